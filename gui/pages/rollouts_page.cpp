#include "gui/pages/rollouts_page.h"
#include "gui/pages/page_registry.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

#include "gui/figures/figure_export.h"
#include "gui/figures/rollout_table_figure.h"
#include "gui/models/rollout_table_model.h"

namespace tinyseek::gui {

RolloutsPage::RolloutsPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("The sampled completions of a run, with their rewards and advantages, will appear here "
           "once a run is started or opened."));

    m_model = new RolloutTableModel(this);
    m_figure = std::make_unique<RolloutTableFigure>(m_model);
    m_named = std::make_unique<NamedFigure>(QStringLiteral("rollouts-table"), m_figure.get());

    m_content = new QWidget(this);
    auto* outer = new QVBoxLayout(m_content);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(buildFilters());
    outer->addWidget(buildTable(), 1);
    FigureExport::install(m_view, m_named.get(), [this] { return exportables(); });

    contentLayout()->addWidget(m_content, 1);
    m_content->hide();
    connectFilters();
}

QHBoxLayout* RolloutsPage::buildFilters() {
    auto* filters = new QHBoxLayout;
    auto* fromLabel = new QLabel(tr("Steps from"), m_content);
    m_fromStep = new QSpinBox(m_content);
    m_fromStep->setObjectName(QStringLiteral("fromStep"));
    m_fromStep->setRange(0, INT_MAX);
    m_fromStep->setToolTip(tr("First step whose rollouts are listed"));
    fromLabel->setBuddy(m_fromStep);
    auto* toLabel = new QLabel(tr("to"), m_content);
    m_toStep = new QSpinBox(m_content);
    m_toStep->setObjectName(QStringLiteral("toStep"));
    m_toStep->setRange(-1, INT_MAX);
    m_toStep->setSpecialValueText(tr("latest"));
    m_toStep->setValue(-1);
    m_toStep->setToolTip(tr("Last step whose rollouts are listed (“latest”: no limit)"));
    toLabel->setBuddy(m_toStep);
    m_useMinReward = new QCheckBox(tr("Minimum reward"), m_content);
    m_useMinReward->setObjectName(QStringLiteral("useMinReward"));
    m_minReward = new QDoubleSpinBox(m_content);
    m_minReward->setObjectName(QStringLiteral("minReward"));
    m_minReward->setRange(-1000.0, 1000.0);
    m_minReward->setDecimals(2);
    m_minReward->setSingleStep(0.1);
    m_minReward->setValue(1.0);
    m_minReward->setEnabled(false);
    m_minReward->setToolTip(tr("List only rollouts whose total reward is at least this"));
    m_resetButton = new QPushButton(tr("Show All"), m_content);
    m_resetButton->setToolTip(tr("Clear the filters"));
    m_exportButton = new QPushButton(tr("Export Table…"), m_content);
    m_exportButton->setToolTip(
        tr("Write the filtered table as CSV (every row) and as a PNG, SVG or PDF page"));
    m_count = new QLabel(m_content);
    m_count->setObjectName(QStringLiteral("rolloutCount"));
    filters->addWidget(fromLabel);
    filters->addWidget(m_fromStep);
    filters->addWidget(toLabel);
    filters->addWidget(m_toStep);
    filters->addSpacing(16);
    filters->addWidget(m_useMinReward);
    filters->addWidget(m_minReward);
    filters->addWidget(m_resetButton);
    filters->addSpacing(16);
    filters->addWidget(m_count, 1);
    filters->addWidget(m_exportButton);
    return filters;
}

QTableView* RolloutsPage::buildTable() {
    m_view = new QTableView(m_content);
    m_view->setObjectName(QStringLiteral("rolloutTable"));
    m_view->setModel(m_model);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setVisible(false);
    // Fixed row heights: the view never measures rows it does not show, so paging stays lazy.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(RolloutTableModel::Completion, QHeaderView::Stretch);
    header->resizeSection(RolloutTableModel::Step, 70);
    header->resizeSection(RolloutTableModel::Prompt, 200);
    for (int c : {RolloutTableModel::Accuracy, RolloutTableModel::Format, RolloutTableModel::Reward,
                  RolloutTableModel::Advantage, RolloutTableModel::Length})
        header->resizeSection(c, 90);
    header->resizeSection(RolloutTableModel::Style, 120);
    return m_view;
}

void RolloutsPage::connectFilters() {
    m_filterTimer = new QTimer(this);
    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(250);
    connect(m_filterTimer, &QTimer::timeout, this, &RolloutsPage::applyFilter);
    const auto later = [this] { m_filterTimer->start(); };
    connect(m_fromStep, &QSpinBox::valueChanged, this, later);
    connect(m_toStep, &QSpinBox::valueChanged, this, later);
    connect(m_minReward, &QDoubleSpinBox::valueChanged, this, later);
    connect(m_useMinReward, &QCheckBox::toggled, this, [this](bool on) {
        m_minReward->setEnabled(on);
        applyFilter();
    });
    connect(m_resetButton, &QPushButton::clicked, this, [this] {
        setStepRange(0, -1);
        setMinimumReward(false, m_minReward->value());
    });
    connect(m_exportButton, &QPushButton::clicked, this,
            [this] { FigureExport::exportOne(this, *m_named); });
    connect(m_model, &RolloutTableModel::countsChanged, this, &RolloutsPage::updateCount);
    connect(m_model, &RolloutTableModel::runFailed, this, &RolloutsPage::showRunError);
}

RolloutsPage::~RolloutsPage() = default;

void RolloutsPage::setReader(RunReader* reader) {
    Page::setReader(reader);
    m_model->setReader(reader);
}

void RolloutsPage::setRun(const QString& dbPath, qint64 runId) {
    setEmptyStateVisible(false);
    m_content->show();
    m_count->clear();
    m_count->setStyleSheet(QString());
    m_figure->setTitle(tr("Rollouts of run %1").arg(runId));
    m_model->setRun(dbPath, runId, currentFilter());
}

void RolloutsPage::showRunError(const QString& reason) {
    m_count->setText(tr("Cannot show run %1: %2").arg(m_model->runId()).arg(reason));
    m_count->setStyleSheet(QStringLiteral("color: #c0392b;"));
}

bool RolloutsPage::isBusy() const {
    return m_model->isReading();
}

void RolloutsPage::clearRun() {
    m_model->clear();
    m_content->hide();
    setEmptyStateVisible(true);
}

void RolloutsPage::appendSteps(const QList<StepReport>& reports) {
    if (!m_model->hasRun() && !m_model->isReading()) return;
    for (const StepReport& r : reports)
        if (r.run_id == m_model->runId() && !r.rollouts.empty()) {
            m_model->refresh();
            return;
        }
}

void RolloutsPage::setStepRange(qint64 from, qint64 to) {
    const QSignalBlocker a(m_fromStep), b(m_toStep);
    m_fromStep->setValue(static_cast<int>(std::clamp<qint64>(from, 0, INT_MAX)));
    m_toStep->setValue(static_cast<int>(std::clamp<qint64>(to, -1, INT_MAX)));
    applyFilter();
}

void RolloutsPage::setMinimumReward(bool enabled, double minimum) {
    const QSignalBlocker a(m_useMinReward), b(m_minReward);
    m_useMinReward->setChecked(enabled);
    m_minReward->setValue(minimum);
    m_minReward->setEnabled(enabled);
    applyFilter();
}

RolloutQuery RolloutsPage::currentFilter() const {
    RolloutQuery q;
    if (m_fromStep->value() > 0) q.min_step = m_fromStep->value();
    if (m_toStep->value() >= 0) q.max_step = m_toStep->value();
    if (m_useMinReward->isChecked()) q.min_reward = m_minReward->value();
    return q;
}

void RolloutsPage::applyFilter() {
    m_filterTimer->stop();
    m_model->setFilter(currentFilter());
}

QString RolloutsPage::countText() const {
    return m_count->text();
}

void RolloutsPage::updateCount() {
    if (!m_model->hasRun()) return;
    if (!m_model->lastError().isEmpty()) {
        m_count->setText(m_model->lastError());
        m_count->setStyleSheet(QStringLiteral("color: #c0392b;"));
        return;
    }
    m_count->setStyleSheet(QString());
    const QLocale locale;
    if (m_model->totalCount() == 0) {
        m_count->setText(tr("This run has stored no rollouts yet."));
        return;
    }
    m_count->setText(tr("%1 of %2 rollouts (steps %3–%4)")
                         .arg(locale.toString(m_model->rowCount()))
                         .arg(locale.toString(static_cast<qlonglong>(m_model->totalCount())))
                         .arg(m_model->firstStep())
                         .arg(m_model->lastStep()));
}

QList<viz::Exportable*> RolloutsPage::exportables() const {
    if (!m_model->hasRun() || m_model->totalCount() == 0) return {};
    return {m_named.get()};
}

}  // namespace tinyseek::gui
