#include "gui/pages/runs_page.h"
#include "gui/pages/page_registry.h"

#include <QColorDialog>
#include <QDateTime>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <exception>
#include <nlohmann/json.hpp>

#include "core/fp8_training.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_reader.h"
#include "gui/models/text_filter.h"
#include "training/precision_comparison.h"
#include "training/run_store.h"
#include "viz/color_map.h"

namespace tinyseek::gui {

namespace {

constexpr int kSortRole = Qt::UserRole + 1;
constexpr int kIdRole = Qt::UserRole + 2;
constexpr int kStatusRole = Qt::UserRole + 3;  // the stored status, untranslated

OpenOptions writeOptions() {
    OpenOptions o;
    o.integrity_check = false;
    return o;
}

QStandardItem* item(const QString& text, const QVariant& sortKey, qint64 id) {
    auto* it = new QStandardItem(text);
    it->setEditable(false);
    it->setData(sortKey, kSortRole);
    it->setData(id, kIdRole);
    return it;
}

QString taskOf(const std::string& configJson) {
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(configJson));
    return doc.object().value(QStringLiteral("task")).toString();
}

// "FP32", or "FP8" and the ablations of its recipe (core/fp8_training.h); "–" for an imported
// run, whose precision its logs do not say.
QString precisionOf(const std::string& configJson) {
    const nlohmann::json config = nlohmann::json::parse(configJson, nullptr, false);
    if (config.is_object() && run_precision(config).empty()) return QStringLiteral("–");
    if (!config.is_object() || run_precision(config) != "fp8") return QStringLiteral("FP32");
    Fp8TrainingRecipe recipe;
    try {
        recipe = Fp8TrainingRecipe::from_json(config.value("fp8", nlohmann::json::object()), "run");
    } catch (const std::exception&) {
        return QStringLiteral("FP8");
    }
    QStringList parts = {QStringLiteral("FP8")};
    if (recipe.per_tensor) parts << RunsPage::tr("per tensor");
    if (!recipe.per_tensor && recipe.tile != 128) parts << RunsPage::tr("tile %1").arg(recipe.tile);
    if (recipe.grad_format == Fp8Format::e5m2) parts << RunsPage::tr("E5M2 gradients");
    if (recipe.limited_accumulator)
        parts << (recipe.promote_every == 0 ? RunsPage::tr("never promoted")
                                            : RunsPage::tr("limited accumulator"));
    if (recipe.bf16_moments) parts << RunsPage::tr("BF16 moments");
    return parts.join(QStringLiteral(" · "));
}

QString localTime(const std::string& iso) {
    const QDateTime t = QDateTime::fromString(QString::fromStdString(iso), Qt::ISODateWithMs);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                       : QString::fromStdString(iso);
}

// A message box with our own translated buttons (Qt's own translations may be missing).
bool confirm(QWidget* parent, const QString& title, const QString& text, const QString& yes) {
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::NoButton, parent);
    QPushButton* accept = box.addButton(yes, QMessageBox::DestructiveRole);
    QPushButton* cancel = box.addButton(RunsPage::tr("Cancel"), QMessageBox::RejectRole);
    box.setDefaultButton(cancel);
    box.exec();
    return box.clickedButton() == accept;
}

void warn(QWidget* parent, const QString& title, const QString& text) {
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::NoButton, parent);
    box.addButton(RunsPage::tr("OK"), QMessageBox::AcceptRole);
    box.exec();
}

}  // namespace

RunsPage::RunsPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("The runs stored in the open database (name, task, status, steps, best accuracy) will "
           "be listed here to open, compare and export."));

    m_body = new QWidget(this);
    auto* body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    body->addLayout(buildButtons());
    buildMessages();
    body->addWidget(m_summary);
    body->addWidget(m_error);
    body->addWidget(buildTable(), 1);
    contentLayout()->addWidget(m_body, 1);
    m_body->hide();
    connectActions();
    updateButtons();
}

QHBoxLayout* RunsPage::buildButtons() {
    auto* buttons = new QHBoxLayout;
    auto makeButton = [&](const QString& text, const char* name, const QString& tip) {
        auto* b = new QPushButton(text, m_body);
        b->setObjectName(QLatin1String(name));
        b->setToolTip(tip);
        buttons->addWidget(b);
        return b;
    };
    m_openButton = makeButton(tr("Open"), "openRunButton",
                              tr("Make the selected run the current run of every page"));
    m_compareButton = makeButton(tr("Compare"), "compareRunButton",
                                 tr("Overlay the selected runs on the Training page's charts"));
    m_resumeButton =
        makeButton(tr("Resume"), "resumeRunButton",
                   tr("Continue the selected stopped, interrupted or failed run from its last "
                      "checkpoint"));
    m_renameButton = makeButton(tr("Rename…"), "renameRunButton", tr("Rename the selected run"));
    m_colorButton = makeButton(tr("Colour…"), "runColorButton",
                               tr("Choose the selected run's colour on every chart"));
    m_deleteButton = makeButton(tr("Delete…"), "deleteRunButton",
                                tr("Delete the selected runs and all their steps"));
    buttons->addStretch();
    m_filter = new QLineEdit(m_body);
    m_filter->setObjectName(QStringLiteral("runFilter"));
    m_filter->setPlaceholderText(tr("Filter runs…"));
    m_filter->setToolTip(
        tr("Runs whose name contains the text; alternatives split by '|', or "
           "/a regular expression/"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(220);
    buttons->addWidget(m_filter);
    m_refreshButton = makeButton(tr("Refresh"), "refreshRunsButton", tr("Read the list again"));
    m_openDatabaseButton =
        makeButton(tr("Open Database…"), "openDatabaseButton", tr("Open another run database"));
    return buttons;
}

void RunsPage::buildMessages() {
    m_summary = new QLabel(m_body);
    m_summary->setObjectName(QStringLiteral("runsSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel(m_body);
    m_error->setObjectName(QStringLiteral("runsError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
}

QTableView* RunsPage::buildTable() {
    m_model = new QStandardItemModel(0, ColumnCount, this);
    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Kind"), tr("Task"), tr("Precision"),
                                        tr("Status"), tr("Steps"), tr("Best held-out accuracy"),
                                        tr("Created"), tr("ID"), tr("Control of"), tr("Shown")});
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(kSortRole);
    m_table = new QTableView(m_body);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(Id, Qt::DescendingOrder);  // newest first
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Stretch);
    return m_table;
}

void RunsPage::connectActions() {
    connect(m_openButton, &QPushButton::clicked, this, &RunsPage::onOpen);
    connect(m_compareButton, &QPushButton::clicked, this, &RunsPage::onCompare);
    connect(m_resumeButton, &QPushButton::clicked, this, [this] {
        const QList<qint64> ids = selectedRunIds();
        if (ids.size() == 1 && canResume(ids.first())) emit resumeRequested(ids.first());
    });
    connect(m_renameButton, &QPushButton::clicked, this, &RunsPage::onRename);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        const TextFilter filter(text);
        m_proxy->setFilterKeyColumn(Name);
        m_proxy->setFilterRegularExpression(filter.regex());
        m_filter->setStyleSheet(filter.isValid() ? QString() : QStringLiteral("color: #b00020;"));
    });
    connect(m_colorButton, &QPushButton::clicked, this, [this] {
        const QList<qint64> ids = selectedRunIds();
        if (ids.size() != 1) return;
        const QColor color = QColorDialog::getColor(viz::runColor(static_cast<int>(ids.first())),
                                                    this, tr("Run Colour"));
        if (color.isValid()) setRunColor(ids.first(), color);
    });
    connect(m_deleteButton, &QPushButton::clicked, this, &RunsPage::onDelete);
    connect(m_refreshButton, &QPushButton::clicked, this, &RunsPage::refresh);
    connect(m_openDatabaseButton, &QPushButton::clicked, this, &RunsPage::openDatabaseRequested);
    connect(m_table, &QTableView::doubleClicked, this, &RunsPage::onOpen);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunsPage::updateButtons);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(1000);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        if (isVisible()) refresh();
    });
}

void RunsPage::setHub(MetricsHub* hub) {
    if (m_hub) disconnect(m_hub, nullptr, this, nullptr);
    m_hub = hub;
    if (!hub) return;
    connect(hub, &MetricsHub::selectionChanged, this, &RunsPage::updateShownColumn);
    // Step counts and statuses of a live run change: re-read at most once a second.
    connect(hub, &MetricsHub::stepsArrived, this, &RunsPage::scheduleRefresh);
}

void RunsPage::scheduleRefresh() {
    if (!m_refreshTimer.isActive()) m_refreshTimer.start();
}

void RunsPage::setDatabase(const QString& path) {
    // Another file: the old rows go at once, not when the new list arrives.
    if (path != m_databasePath) m_model->removeRows(0, m_model->rowCount());
    m_databasePath = path;
    refresh();
}

QString RunsPage::errorText() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

void RunsPage::showError(const QString& text) {
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void RunsPage::refresh() {
    showError(QString());
    if (m_databasePath.isEmpty()) {
        m_listTicket = 0;
        m_model->removeRows(0, m_model->rowCount());
        setEmptyStateVisible(true);
        m_body->hide();
        updateButtons();
        emit refreshed(true);
        return;
    }
    setEmptyStateVisible(false);
    m_body->show();
    // An empty file is a database nobody has written yet: no runs, nothing to open read-only.
    if (QFileInfo(m_databasePath).size() == 0 || !reader()) {
        m_listTicket = 0;
        showRuns({});
        return;
    }
    // The rows shown stay until the new list arrives (the refresh every second while a run
    // trains must not blink); the list of a large file is read on the reader thread.
    m_listTicket = reader()->read<std::vector<RunInfo>>(
        m_databasePath, this, [](const RunStore& store) { return store.list_runs(); },
        [this](const ReadResult<std::vector<RunInfo>>& runs) {
            if (runs.ticket != m_listTicket) return;  // a later refresh replaced this one
            m_listTicket = 0;
            if (runs.ok())
                showRuns(runs.value);
            else
                showListError(runs.error);
        });
    updateButtons();
}

bool RunsPage::isRefreshing() const {
    return m_listTicket != 0;
}

void RunsPage::showListError(const QString& reason) {
    m_model->removeRows(0, m_model->rowCount());
    m_summary->setText(tr("Database %1").arg(QFileInfo(m_databasePath).fileName()));
    showError(tr("Cannot list the runs of '%1': %2").arg(m_databasePath, reason));
    updateButtons();
    emit refreshed(false);
}

void RunsPage::showRuns(const std::vector<RunInfo>& runs) {
    const QList<qint64> selected = selectedRunIds();
    m_model->removeRows(0, m_model->rowCount());
    showError(QString());
    m_table->setSortingEnabled(false);
    QHash<qint64, QString> names;  // for the "Control of" tooltips
    for (const RunInfo& r : runs) names.insert(r.id, QString::fromStdString(r.name));
    for (const RunInfo& r : runs) m_model->appendRow(rowOf(r, names));
    m_table->setSortingEnabled(true);
    const QString file = QFileInfo(m_databasePath).fileName();
    if (runs.empty())
        m_summary->setText(tr("No runs in %1 yet — start one with File > New Run….").arg(file));
    else if (runs.size() == 1)
        m_summary->setText(tr("1 run in %1").arg(file));
    else
        m_summary->setText(tr("%1 runs in %2").arg(static_cast<qint64>(runs.size())).arg(file));
    updateShownColumn();
    for (qint64 id : selected) selectRun(id);
    updateButtons();
    emit refreshed(true);
}

QString RunsPage::statusText(const RunInfo& r) const {
    // "running" in the file but no worker here: the process that ran it is gone.
    const bool live = m_hub && m_hub->run(r.id) && m_hub->run(r.id)->live;
    switch (r.status) {
        case RunStatus::running:
            return live ? tr("running") : tr("interrupted");
        case RunStatus::completed:
            return tr("completed");
        case RunStatus::failed:
            return tr("failed");
        case RunStatus::stopped:
            return tr("stopped");
    }
    return QString::fromLatin1(to_string(r.status));
}

QList<QStandardItem*> RunsPage::rowOf(const RunInfo& r, const QHash<qint64, QString>& names) const {
    const qint64 id = r.id;
    const QString status = statusText(r);
    QList<QStandardItem*> row(ColumnCount);
    row[Name] = item(QString::fromStdString(r.name), QString::fromStdString(r.name), id);
    row[Kind] = item(QString::fromStdString(r.kind), QString::fromStdString(r.kind), id);
    const QString task = taskOf(r.config_json);
    row[Task] = item(task, task, id);
    const QString precision = precisionOf(r.config_json);
    row[Precision] = item(precision, precision, id);
    row[Status] = item(status, status, id);
    row[Status]->setData(QString::fromLatin1(to_string(r.status)), kStatusRole);
    if (!r.error.empty()) row[Status]->setToolTip(QString::fromStdString(r.error));
    row[Steps] = item(QString::number(r.n_steps), qint64(r.n_steps), id);
    if (r.best_eval_accuracy)
        row[BestAccuracy] =
            item(QStringLiteral("%1 %").arg(*r.best_eval_accuracy * 100.0, 0, 'f', 1),
                 *r.best_eval_accuracy, id);
    else
        row[BestAccuracy] = item(tr("—"), -1.0, id);
    row[Created] = item(localTime(r.created), QString::fromStdString(r.created), id);
    row[Id] = item(QString::number(id), id, id);
    // A control arm names the run it is the same-budget alternative to, so the pair is
    // found (and sorted together) without opening either.
    if (r.parent_run_id) {
        const qint64 parent = *r.parent_run_id;
        row[Parent] = item(QString::number(parent), parent, id);
        row[Parent]->setToolTip(
            names.contains(parent)
                ? tr("Control arm of run %1 (%2)").arg(parent).arg(names.value(parent))
                : tr("Control arm of run %1 (no longer in this database)").arg(parent));
    } else {
        row[Parent] = item(QString(), qint64(0), id);
    }
    row[Shown] = item(QString(), QString(), id);
    for (int c : {Steps, BestAccuracy, Id, Parent})
        row[c]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return row;
}

QStandardItem* RunsPage::itemOf(qint64 runId, Column column) const {
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->item(row, Id)->data(kIdRole).toLongLong() == runId)
            return m_model->item(row, column);
    return nullptr;
}

int RunsPage::rowCount() const {
    return m_proxy->rowCount();
}

qint64 RunsPage::runIdAt(int row) const {
    return m_proxy->index(row, 0).data(kIdRole).toLongLong();
}

QList<qint64> RunsPage::runIds() const {
    QList<qint64> ids;
    for (int row = 0; row < m_model->rowCount(); ++row)
        ids << m_model->item(row, Id)->data(kIdRole).toLongLong();
    return ids;
}

QString RunsPage::cellText(int row, Column column) const {
    return m_proxy->index(row, column).data(Qt::DisplayRole).toString();
}

QList<qint64> RunsPage::selectedRunIds() const {
    QList<qint64> ids;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        ids << index.data(kIdRole).toLongLong();
    return ids;
}

void RunsPage::selectRun(qint64 runId) {
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        if (runIdAt(row) != runId) continue;
        m_table->selectionModel()->select(m_proxy->index(row, 0),
                                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        m_table->scrollTo(m_proxy->index(row, 0));
    }
}

void RunsPage::setActiveRun(qint64 runId) {
    m_activeRun = runId;
    updateButtons();
}

void RunsPage::setTrainingActive(bool active) {
    m_trainingActive = active;
    updateButtons();
}

void RunsPage::setFilter(const QString& text) {
    m_filter->setText(text);
}

void RunsPage::setRunColor(qint64 runId, const QColor& color) {
    viz::setRunColor(static_cast<int>(runId), color);
    emit runColorChosen(runId, color);
}

void RunsPage::updateButtons() {
    const QList<qint64> ids = selectedRunIds();
    m_openButton->setEnabled(ids.size() == 1);
    m_compareButton->setEnabled(!ids.isEmpty());
    m_resumeButton->setEnabled(ids.size() == 1 && canResume(ids.first()));
    m_renameButton->setEnabled(ids.size() == 1);
    m_colorButton->setEnabled(ids.size() == 1);
    m_deleteButton->setEnabled(!ids.isEmpty() && !ids.contains(m_activeRun));
    m_deleteButton->setToolTip(ids.contains(m_activeRun)
                                   ? tr("The run that is training now cannot be deleted; stop "
                                        "it first")
                                   : tr("Delete the selected runs and all their steps"));
    m_refreshButton->setEnabled(!m_databasePath.isEmpty());
}

bool RunsPage::canResume(qint64 runId) const {
    // Only while nothing trains (one run at a time), and only runs that did not finish: the
    // status must come from a list read since the last run ended, not the one before it.
    if (m_trainingActive || m_activeRun != 0 || isRefreshing()) return false;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->item(row, Id)->data(kIdRole).toLongLong() != runId) continue;
        const QString status = m_model->item(row, Status)->data(kStatusRole).toString();
        return status == QLatin1String("stopped") || status == QLatin1String("failed") ||
               status == QLatin1String("running");
    }
    return false;
}

void RunsPage::updateShownColumn() {
    const qint64 current = m_hub ? m_hub->currentRun() : 0;
    const QList<qint64> overlays = m_hub ? m_hub->overlays() : QList<qint64>();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const qint64 id = m_model->item(row, Id)->data(kIdRole).toLongLong();
        const QString text =
            id == current ? tr("current") : (overlays.contains(id) ? tr("compared") : QString());
        m_model->item(row, Shown)->setText(text);
        m_model->item(row, Shown)->setData(text, kSortRole);
        QFont font = m_table->font();
        font.setBold(id == current);
        for (int c = 0; c < ColumnCount; ++c) m_model->item(row, c)->setFont(font);
    }
}

bool RunsPage::renameRun(qint64 runId, const QString& name, QString* error) {
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) {
        if (error) *error = tr("A run name cannot be empty.");
        return false;
    }
    try {
        RunStore store(m_databasePath.toStdString(), writeOptions());
        store.rename_run(runId, trimmed.toStdString());
    } catch (const std::exception& e) {
        if (error)
            *error = tr("Cannot rename run %1: %2").arg(runId).arg(QString::fromUtf8(e.what()));
        return false;
    }
    if (m_hub) m_hub->setRunName(runId, trimmed);
    // The row changes now; the list read again follows.
    if (QStandardItem* name = itemOf(runId, Name)) {
        name->setText(trimmed);
        name->setData(trimmed, kSortRole);
    }
    refresh();
    emit runRenamed(runId, trimmed);
    return true;
}

bool RunsPage::deleteRun(qint64 runId, QString* error) {
    if (runId == m_activeRun) {
        if (error) *error = tr("Run %1 is training now; stop it before deleting it.").arg(runId);
        return false;
    }
    try {
        RunStore store(m_databasePath.toStdString(), writeOptions());
        store.delete_run(runId);
    } catch (const std::exception& e) {
        if (error)
            *error = tr("Cannot delete run %1: %2").arg(runId).arg(QString::fromUtf8(e.what()));
        return false;
    }
    if (m_hub) m_hub->unloadRun(runId);
    // The row goes now; the list read again follows.
    if (QStandardItem* row = itemOf(runId, Id)) m_model->removeRow(row->row());
    refresh();
    emit runDeleted(runId);
    return true;
}

bool RunsPage::openRun(qint64 runId, QString* error) {
    if (!m_hub) return false;
    if (!m_hub->setCurrentRun(runId, error)) return false;
    emit runOpened(runId);
    return true;
}

bool RunsPage::compareRun(qint64 runId, QString* error) {
    if (!m_hub) return false;
    if (!m_hub->addOverlay(runId, error)) return false;
    emit runCompared(runId);
    return true;
}

void RunsPage::onOpen() {
    const QList<qint64> ids = selectedRunIds();
    if (ids.size() != 1) return;
    QString error;
    if (!openRun(ids.first(), &error)) warn(this, tr("Cannot Open Run"), error);
}

void RunsPage::onCompare() {
    QString error;
    for (qint64 id : selectedRunIds())
        if (!compareRun(id, &error)) warn(this, tr("Cannot Compare Run"), error);
}

void RunsPage::onRename() {
    const QList<qint64> ids = selectedRunIds();
    if (ids.size() != 1) return;
    QString current;
    for (int row = 0; row < rowCount(); ++row)
        if (runIdAt(row) == ids.first()) current = cellText(row, Name);
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Rename Run"), tr("New name of run %1:").arg(ids.first()),
                              QLineEdit::Normal, current, &ok);
    if (!ok) return;
    QString error;
    if (!renameRun(ids.first(), name, &error)) warn(this, tr("Cannot Rename Run"), error);
}

void RunsPage::onDelete() {
    const QList<qint64> ids = selectedRunIds();
    if (ids.isEmpty()) return;
    QStringList names;
    for (int row = 0; row < rowCount(); ++row)
        if (ids.contains(runIdAt(row)))
            names << tr("%1 (#%2, %3 steps)")
                         .arg(cellText(row, Name), cellText(row, Id), cellText(row, Steps));
    const QString question =
        ids.size() == 1 ? tr("Delete this run and every step, metric, rollout and expert "
                             "statistic stored with it? This cannot be undone.")
                        : tr("Delete these %1 runs and every step, metric, rollout and expert "
                             "statistic stored with them? This cannot be undone.")
                              .arg(ids.size());
    const QString text = question + QStringLiteral("\n\n") + names.join(QLatin1Char('\n'));
    if (!confirm(this, tr("Delete Runs"), text, tr("Delete"))) return;
    QString error;
    for (qint64 id : ids)
        if (!deleteRun(id, &error)) warn(this, tr("Cannot Delete Run"), error);
}

}  // namespace tinyseek::gui
