#include "gui/pages/rollouts_page.h"
#include "gui/pages/page_registry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <utility>

#include "gui/figures/figure_export.h"
#include "gui/figures/rollout_table_figure.h"
#include "gui/models/rollout_group_model.h"
#include "gui/models/rollout_table_model.h"
#include "gui/pages/rollout_distribution_view.h"
#include "gui/pages/rollout_group_view.h"
#include "viz/heatmap_widget.h"

namespace tinyseek::gui {

RolloutsPage::RolloutsPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("The sampled completions of a run, with their rewards and advantages, will appear here "
           "once a run is started or opened."));

    m_model = new RolloutTableModel(this);
    m_figure = std::make_unique<RolloutTableFigure>(m_model);
    m_named = std::make_unique<NamedFigure>(QStringLiteral("rollouts-table"), m_figure.get());

    m_groupModel = new RolloutGroupModel(this);

    m_content = new QWidget(this);
    auto* outer = new QVBoxLayout(m_content);
    outer->setContentsMargins(0, 0, 0, 0);
    m_tabs = new QTabWidget(m_content);
    m_tabs->setObjectName(QStringLiteral("rolloutTabs"));
    m_tabs->addTab(buildCompletionsTab(), tr("Completions"));
    m_distributions = new RolloutDistributionView(m_tabs);
    m_tabs->addTab(m_distributions, tr("Distributions over Steps"));
    outer->addWidget(m_tabs, 1);
    FigureExport::install(m_view, m_named.get(), [this] { return exportables(); });

    contentLayout()->addWidget(m_content, 1);
    m_content->hide();
    connectFilters();
}

QWidget* RolloutsPage::buildCompletionsTab() {
    auto* tab = new QWidget(m_content);
    auto* layout = new QVBoxLayout(tab);
    layout->addLayout(buildFilters());
    m_lists = new QStackedWidget(tab);
    m_lists->addWidget(buildTable());
    m_lists->addWidget(buildGroupList());
    m_groupView = new RolloutGroupView(tab);
    m_groupView->setObjectName(QStringLiteral("rolloutGroupView"));
    auto* split = new QSplitter(Qt::Vertical, tab);
    split->addWidget(m_lists);
    split->addWidget(m_groupView);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    return tab;
}

// A list of rows of one line each, selected whole, one at a time.
QTableView* RolloutsPage::newListView(const QString& name, QAbstractItemModel* model) {
    auto* view = new QTableView(m_content);
    view->setObjectName(name);
    view->setModel(model);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setWordWrap(false);
    view->verticalHeader()->setVisible(false);
    // Fixed row heights: the view never measures rows it does not show, so paging stays lazy.
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    return view;
}

QTableView* RolloutsPage::buildGroupList() {
    m_groupList = newListView(QStringLiteral("rolloutGroupList"), m_groupModel);
    m_groupList->horizontalHeader()->setSectionResizeMode(RolloutGroupModel::Prompt,
                                                          QHeaderView::Stretch);
    return m_groupList;
}

QHBoxLayout* RolloutsPage::buildFilters() {
    auto* filters = new QHBoxLayout;
    m_source = new QComboBox(m_content);
    m_source->setObjectName(QStringLiteral("rolloutSource"));
    m_source->addItem(tr("Training rollouts"), int(RolloutSource::train));
    m_source->addItem(tr("Held-out samples"), int(RolloutSource::eval));
    m_source->setToolTip(
        tr("GRPO's sampled completions, or the greedy completions of a fixed "
           "subset of the held-out set stored at every evaluation"));
    m_listMode = new QComboBox(m_content);
    m_listMode->setObjectName(QStringLiteral("rolloutListMode"));
    m_listMode->addItem(tr("Every completion"));
    m_listMode->addItem(tr("One row per prompt"));
    m_listMode->setToolTip(
        tr("List each completion, or each prompt once with how its group "
           "did (unique-prompt mode)"));
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
    filters->addWidget(m_source);
    filters->addWidget(m_listMode);
    filters->addSpacing(16);
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
    m_view = newListView(QStringLiteral("rolloutTable"), m_model);
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
    connect(m_source, &QComboBox::currentIndexChanged, this, [this] { applyFilter(); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_distributions &&
            std::exchange(m_distributionsStale, false))
            m_distributions->refresh();
    });
    connect(m_listMode, &QComboBox::currentIndexChanged, this, [this](int mode) {
        m_lists->setCurrentIndex(mode);
        applyFilter();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showGroupOfRow(current.row()); });
    connect(m_groupList->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showGroupOfRow(current.row()); });
    connect(m_model, &RolloutTableModel::countsChanged, this, [this] {
        updateCount();
        // The group of the first row is shown at once, so the view below is never blank.
        if (m_listMode->currentIndex() == 0 && m_model->rowCount() > 0 &&
            !m_view->currentIndex().isValid())
            m_view->setCurrentIndex(m_model->index(0, 0));
    });
    connect(m_groupModel, &RolloutGroupModel::countsChanged, this, [this] {
        updateCount();
        if (m_listMode->currentIndex() == 1 && m_groupModel->rowCount() > 0 &&
            !m_groupList->currentIndex().isValid())
            m_groupList->setCurrentIndex(m_groupModel->index(0, 0));
    });
    connect(m_model, &RolloutTableModel::runFailed, this, &RolloutsPage::showRunError);
}

RolloutsPage::~RolloutsPage() = default;

void RolloutsPage::setReader(RunReader* reader) {
    Page::setReader(reader);
    m_model->setReader(reader);
    m_groupModel->setReader(reader);
    m_groupView->setReader(reader);
    m_distributions->setReader(reader);
}

void RolloutsPage::setRun(const QString& dbPath, qint64 runId) {
    setEmptyStateVisible(false);
    m_content->show();
    m_count->clear();
    m_count->setStyleSheet(QString());
    m_figure->setTitle(tr("Rollouts of run %1").arg(runId));
    m_dbPath = dbPath;
    m_groupView->clear(tr("Select a rollout or a prompt above to see its whole group here."));
    m_model->setRun(dbPath, runId, currentFilter());
    readGroupsIfListed();
    m_distributionsStale = false;
    m_distributions->setRun(dbPath, runId);
}

void RolloutsPage::readGroupsIfListed() {
    if (m_listMode->currentIndex() == 1 && !m_dbPath.isEmpty())
        m_groupModel->setRun(m_dbPath, m_model->runId(), currentFilter());
}

void RolloutsPage::showRunError(const QString& reason) {
    m_count->setText(tr("Cannot show run %1: %2").arg(m_model->runId()).arg(reason));
    m_count->setStyleSheet(QStringLiteral("color: #c0392b;"));
}

bool RolloutsPage::isBusy() const {
    return m_model->isReading() || m_groupModel->isReading() || m_groupView->isReading() ||
           m_distributions->isReading();
}

void RolloutsPage::clearRun() {
    m_model->clear();
    m_groupModel->clear();
    m_distributions->clear();
    m_dbPath.clear();
    m_content->hide();
    setEmptyStateVisible(true);
}

void RolloutsPage::appendSteps(const QList<StepReport>& reports) {
    if (!m_model->hasRun() && !m_model->isReading()) return;
    for (const StepReport& r : reports)
        if (r.run_id == m_model->runId() && !r.rollouts.empty()) {
            m_model->refresh();
            readGroupsIfListed();
            // The histograms read every stored completion: only while their tab is shown.
            if (m_tabs->currentWidget() == m_distributions)
                m_distributions->refresh();
            else
                m_distributionsStale = true;
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

void RolloutsPage::setSource(RolloutSource source) {
    m_source->setCurrentIndex(m_source->findData(int(source)));
}

void RolloutsPage::setUniquePrompts(bool on) {
    m_listMode->setCurrentIndex(on ? 1 : 0);
}

void RolloutsPage::showSection(const QString& section) {
    if (section == QLatin1String(kSections[0])) m_tabs->setCurrentIndex(0);
    if (section == QLatin1String(kSections[1])) m_tabs->setCurrentIndex(1);
}

void RolloutsPage::showGroupOfRow(int row) {
    const RolloutQuery q = currentFilter();
    if (m_listMode->currentIndex() == 1) {
        if (const RolloutGroup* g = m_groupModel->group(row))
            m_groupView->showGroup(m_dbPath, m_model->runId(), q.source, g->step, g->group);
        return;
    }
    if (const StoredRollout* r = m_model->rollout(row))
        m_groupView->showGroup(m_dbPath, m_model->runId(), q.source, r->step, r->sample.group,
                               r->sample.member);
}

RolloutQuery RolloutsPage::currentFilter() const {
    RolloutQuery q;
    q.source = static_cast<RolloutSource>(m_source->currentData().toInt());
    if (m_fromStep->value() > 0) q.min_step = m_fromStep->value();
    if (m_toStep->value() >= 0) q.max_step = m_toStep->value();
    if (m_useMinReward->isChecked()) q.min_reward = m_minReward->value();
    return q;
}

void RolloutsPage::applyFilter() {
    m_filterTimer->stop();
    m_model->setFilter(currentFilter());
    readGroupsIfListed();
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
    const bool eval = currentFilter().source == RolloutSource::eval;
    if (m_model->totalCount() == 0) {
        m_count->setText(eval ? tr("This run has stored no held-out samples: it ran before "
                                   "they were kept, or has not evaluated yet.")
                              : tr("This run has stored no rollouts yet."));
        return;
    }
    if (m_listMode->currentIndex() == 1) {
        m_count->setText(
            tr("%1 prompts of %2 completions (steps %3–%4)")
                .arg(locale.toString(static_cast<qlonglong>(m_groupModel->matchingCount())))
                .arg(locale.toString(static_cast<qlonglong>(m_model->totalCount())))
                .arg(m_model->firstStep())
                .arg(m_model->lastStep()));
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
    QList<viz::Exportable*> out{m_named.get()};
    out << m_groupView->exportables();
    if (!m_distributions->heatmap()->matrix().isEmpty()) out << m_distributions->heatmap();
    return out;
}

}  // namespace tinyseek::gui
