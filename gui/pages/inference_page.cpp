// InferencePage: the tabs, the model (a run's checkpoint, a directory from disk, or a fresh
// tiny model) and the measurement line. The measurements themselves are in
// gui/pages/inference_page_jobs.cpp.
// core/ headers first: they name a member `slots`, which Qt's keyword macro would rewrite.
#include "core/checkpoint.h"
#include "core/param_store.h"
#include "training/run_store.h"

#include "gui/pages/inference_page.h"
#include "gui/pages/inference_page_model.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

#include "gui/database_file.h"
#include "gui/figures/figure_export.h"
#include "gui/live/background_job.h"
#include "gui/live/run_reader.h"
#include "gui/pages/acceptance_panel.h"
#include "gui/pages/kv_cache_panel.h"
#include "gui/pages/page_registry.h"
#include "gui/pages/throughput_panel.h"

namespace tinyseek::gui {

namespace {

// What setRun() reads: the run's name and its checkpoints (by step; the last is the latest).
struct StoredRun {
    QString name;
    std::vector<CheckpointInfo> checkpoints;
};

}  // namespace

InferencePage::InferencePage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("Speculative decoding with the MTP draft, generation throughput and "
           "the KV cache will appear here once a model is loaded."));
    m_job = new BackgroundJob(this);
    buildUi();
    connectJob();
    // The page always has a model: without a run it is a freshly initialised tiny one.
    setEmptyStateVisible(false);
    clearRun();
}

InferencePage::~InferencePage() = default;  // m_job (a child) cancels and waits

void InferencePage::buildUi() {
    auto* content = new QWidget(this);
    auto* outer = new QVBoxLayout(content);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(buildModelLine());
    outer->addWidget(buildJobLine());
    m_tabs = new QTabWidget(content);
    m_tabs->setObjectName(QStringLiteral("inferenceTabs"));
    m_acceptance = new AcceptancePanel(m_tabs);
    m_throughput = new ThroughputPanel(m_tabs);
    m_kvCache = new KvCachePanel(m_tabs);
    m_tabs->addTab(m_acceptance, tr("MTP Acceptance"));
    m_tabs->addTab(m_throughput, tr("Throughput"));
    // The page's title before it grew the other tabs (page_registry.cpp accepts it for
    // --page).
    m_tabs->addTab(m_kvCache, tr("KV Cache"));
    outer->addWidget(m_tabs, 1);
    contentLayout()->addWidget(content, 1);
    connect(m_acceptance, &AcceptancePanel::measureRequested, this,
            [this] { measureAcceptance(); });
    connect(m_throughput, &ThroughputPanel::measureRequested, this,
            [this] { measureThroughput(); });
}

QWidget* InferencePage::buildModelLine() {
    auto* line = new QWidget(this);
    auto* layout = new QHBoxLayout(line);
    layout->setContentsMargins(0, 0, 0, 0);
    m_modelLabel = new QLabel(line);
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    m_modelLabel->setWordWrap(true);
    m_modelLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_openButton = new QPushButton(tr("Open Checkpoint…"), line);
    m_openButton->setObjectName(QStringLiteral("openCheckpointButton"));
    m_openButton->setToolTip(
        tr("Measure a checkpoint directory from disk instead of the run's "
           "latest checkpoint"));
    m_exportButton = new QPushButton(tr("Export Charts…"), line);
    m_exportButton->setToolTip(tr("Write every chart of this page as PNG, SVG, PDF and CSV"));
    layout->addWidget(m_modelLabel, 1);
    layout->addWidget(m_openButton, 0, Qt::AlignTop);
    layout->addWidget(m_exportButton, 0, Qt::AlignTop);
    connect(m_openButton, &QPushButton::clicked, this, &InferencePage::chooseCheckpoint);
    connect(m_exportButton, &QPushButton::clicked, this,
            [this] { FigureExport::exportAll(this, exportables()); });
    return line;
}

QWidget* InferencePage::buildJobLine() {
    auto* line = new QWidget(this);
    auto* layout = new QHBoxLayout(line);
    layout->setContentsMargins(0, 0, 0, 0);
    m_jobLabel = new QLabel(line);
    m_jobLabel->setObjectName(QStringLiteral("measurementStatus"));
    m_jobLabel->setWordWrap(true);
    m_progress = new QProgressBar(line);
    m_progress->setObjectName(QStringLiteral("measurementProgress"));
    m_progress->setMaximumWidth(260);
    m_progress->setVisible(false);
    m_cancelButton = new QPushButton(tr("Cancel"), line);
    m_cancelButton->setObjectName(QStringLiteral("cancelMeasurementButton"));
    m_cancelButton->setToolTip(tr("Stop the measurement (within one decoding step)"));
    m_cancelButton->setVisible(false);
    layout->addWidget(m_jobLabel, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancelButton);
    connect(m_cancelButton, &QPushButton::clicked, this, &InferencePage::cancelMeasurement);
    return line;
}

void InferencePage::showSection(const QString& section) {
    if (section == QLatin1String(kKvCacheSection)) showTab(Tab::kvCache);
}

void InferencePage::showTab(Tab tab) {
    m_tabs->setCurrentIndex(static_cast<int>(tab));
}

InferencePage::Tab InferencePage::currentTab() const {
    return static_cast<Tab>(m_tabs->currentIndex());
}

const ModelConfig& InferencePage::modelConfig() const {
    return m_model->checkpoint->config;
}

void InferencePage::setRun(const QString& dbPath, qint64 runId) {
    if (!reader()) return;
    m_runTicket = reader()->read<StoredRun>(
        dbPath, this,
        [runId](const RunStore& store) {
            return StoredRun{QString::fromStdString(store.run(runId).name),
                             store.checkpoints(runId)};
        },
        [this, dbPath, runId](const ReadResult<StoredRun>& read) {
            if (read.ticket != m_runTicket) return;  // another run (or none) since
            m_runTicket = 0;
            QList<CheckpointEntry> checkpoints;
            for (const CheckpointInfo& ck : read.value.checkpoints)
                checkpoints << CheckpointEntry{ck.step,
                                               DatabaseFile::checkpointDir(dbPath, ck.path)};
            useStoredRun(runId, read.value.name, checkpoints, read.error);
        });
}

void InferencePage::useStoredRun(qint64 runId, const QString& runName,
                                 const QList<CheckpointEntry>& checkpoints,
                                 const QString& readError) {
    const auto fresh = [this](const QString& why) { setModel(freshModel(why)); };
    if (!readError.isEmpty())
        return fresh(tr("Model: a freshly initialised tiny model — run %1 could not be read: %2")
                         .arg(runId)
                         .arg(readError));
    if (checkpoints.isEmpty())
        return fresh(tr("Model: a freshly initialised tiny model — run “%1” has no checkpoint "
                        "yet (one is written every 200 steps and at the end of each stage). "
                        "Cache sizes depend only on the dimensions.")
                         .arg(runName));
    const CheckpointEntry& latest = checkpoints.last();
    QString error;
    std::shared_ptr<Model> model = loadModel(latest.dir, &error);
    if (!model)
        return fresh(tr("Model: a freshly initialised tiny model — the checkpoint of run %1 "
                        "could not be read: %2")
                         .arg(runId)
                         .arg(error));
    model->description = tr("Model: run “%1”, checkpoint of step %2 (%3)")
                             .arg(runName)
                             .arg(latest.step)
                             .arg(QDir::toNativeSeparators(latest.dir));
    model->checkpoints = checkpoints;
    setModel(model);
}

bool InferencePage::openCheckpoint(const QString& dir) {
    QString error;
    std::shared_ptr<Model> model = loadModel(dir, &error);
    if (!model) {
        m_jobLabel->setText(tr("Cannot open %1: %2").arg(QDir::toNativeSeparators(dir), error));
        return false;
    }
    m_runTicket = 0;  // a run being read is no longer wanted
    model->description =
        tr("Model: checkpoint %1 (opened from disk)").arg(QDir::toNativeSeparators(dir));
    model->checkpoints = checkpointsBeside(dir);
    setModel(model);
    return true;
}

void InferencePage::chooseCheckpoint() {
    const QString start = m_model && !m_model->dir.isEmpty() ? m_model->dir : QDir::homePath();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Checkpoint"), start);
    if (!dir.isEmpty()) openCheckpoint(dir);
}

void InferencePage::clearRun() {
    m_runTicket = 0;  // a run being read is no longer wanted
    setModel(
        freshModel(tr("Model: a freshly initialised tiny model (no run is open). Open a "
                      "run with a checkpoint, or a checkpoint directory (“Open "
                      "Checkpoint…”), to measure its MTP draft.")));
}

void InferencePage::setModel(std::shared_ptr<const Model> model) {
    m_model = std::move(model);
    m_trained = m_model->trained;
    m_modelText = m_model->description;
    m_modelLabel->setText(m_modelText);
    m_kvCache->setModel(
        std::shared_ptr<const ParamStore>(m_model->checkpoint, &m_model->checkpoint->params));
    clearMeasurements();
    // A measurement of the previous model stops; the new model's start when it has.
    if (m_job->isRunning()) {
        m_autoPending = true;
        m_jobSuperseded = true;
        m_job->cancel();
        return;
    }
    startAutomatic();
}

QList<viz::Exportable*> InferencePage::exportables() const {
    return m_acceptance->exportables() + m_throughput->exportables() + m_kvCache->exportables();
}

}  // namespace tinyseek::gui
