// PrecisionPage: the tabs, the run line, and the read of the run's config, checkpoint and
// FP8/FP32 twins. Each tab's figures and computations live in its panel.
// core/ headers first: they name a member `slots`, which Qt's keyword macro would rewrite.
#include "core/errors.h"
#include "core/model_config.h"
#include "training/precision_comparison.h"
#include "training/run_store.h"
#include "training/train_config.h"

#include "gui/pages/precision_page.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShowEvent>
#include <QTabWidget>
#include <QVBoxLayout>

#include <optional>

#include "gui/database_file.h"
#include "gui/figures/figure_export.h"
#include "gui/live/run_reader.h"
#include "gui/pages/accumulation_panel.h"
#include "gui/pages/fp8_training_panel.h"
#include "gui/pages/granularity_panel.h"
#include "gui/pages/memory_panel.h"
#include "gui/pages/page_registry.h"

namespace tinyseek::gui {

struct PrecisionPage::StoredRun {
    QString name;
    QString precision;
    std::optional<ModelConfig> model;  // none when the stored config cannot be read
    std::optional<CheckpointInfo> checkpoint;
    PrecisionComparison comparison;
};

namespace {

std::optional<ModelConfig> modelOf(const std::string& configJson) {
    try {
        return TrainConfig::from_json(nlohmann::json::parse(configJson), "run config").model;
    } catch (const std::exception&) {
        return std::nullopt;  // a config this version cannot read: the tiny preset stands in
    }
}

}  // namespace

PrecisionPage::PrecisionPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("DeepSeek-V3's FP8 training recipe, simulated: accumulation error, "
           "scaling granularity, FP8 against FP32 training and memory."));
    buildUi();
    setEmptyStateVisible(false);  // the accumulation and memory tabs need no run
}

void PrecisionPage::buildUi() {
    auto* line = new QWidget(this);
    auto* lineLayout = new QHBoxLayout(line);
    lineLayout->setContentsMargins(0, 0, 0, 0);
    m_runLabel =
        new QLabel(tr("No run open: the accumulation and memory tabs work without one."), line);
    m_runLabel->setObjectName(QStringLiteral("precisionRunLabel"));
    m_runLabel->setWordWrap(true);
    auto* exportButton = new QPushButton(tr("Export Charts…"), line);
    exportButton->setToolTip(tr("Write every chart of this page as PNG, SVG, PDF and CSV"));
    lineLayout->addWidget(m_runLabel, 1);
    lineLayout->addWidget(exportButton, 0, Qt::AlignTop);
    connect(exportButton, &QPushButton::clicked, this,
            [this] { FigureExport::exportAll(this, exportables()); });
    contentLayout()->addWidget(line);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("precisionTabs"));
    m_accumulation = new AccumulationPanel(m_tabs);
    m_granularity = new GranularityPanel(m_tabs);
    m_training = new Fp8TrainingPanel(m_tabs);
    m_memory = new MemoryPanel(m_tabs);
    // Titles also name the tabs on the command line (--page, page_registry.cpp).
    m_tabs->addTab(m_accumulation, tr("Accumulation"));
    m_tabs->addTab(m_granularity, tr("Scaling Granularity"));
    m_tabs->addTab(m_training, tr("Training in FP8"));
    m_tabs->addTab(m_memory, tr("Memory"));
    contentLayout()->addWidget(m_tabs, 1);
    connect(m_training, &Fp8TrainingPanel::overlayRequested, this,
            [this](const QList<qint64>& ids) {
                QList<qint64> others;
                for (qint64 id : ids)
                    if (id != m_runId) others << id;
                emit overlayRequested(others);
            });
    clearRun();
}

void PrecisionPage::setRun(const QString& dbPath, qint64 runId) {
    if (!reader()) return;
    m_runId = runId;
    m_runTicket = reader()->read<StoredRun>(
        dbPath, this,
        [runId](const RunStore& store) {
            const RunInfo info = store.run(runId);
            StoredRun run;
            run.name = QString::fromStdString(info.name);
            run.precision = QString::fromStdString(
                run_precision(nlohmann::json::parse(info.config_json, nullptr, false)));
            run.model = modelOf(info.config_json);
            run.checkpoint = store.latest_checkpoint(runId);
            run.comparison = compare_precision(store, runId);
            return run;
        },
        [this, dbPath, runId](const ReadResult<StoredRun>& read) {
            if (read.ticket != m_runTicket) return;  // another run (or none) since
            m_runTicket = 0;
            showStoredRun(dbPath, runId, read.value, read.error);
            emit runRead();
        });
}

void PrecisionPage::clearRun() {
    m_runTicket = 0;
    m_runId = 0;
    m_runLabel->setText(tr("No run open: the accumulation and memory tabs work without one."));
    m_granularity->setCheckpoint(QString(), QString(),
                                 tr("Open a run with a checkpoint to measure its weights and "
                                    "activations."));
    m_training->clearComparison(
        tr("Open a run trained in FP8 (or in FP32) whose twin of the other precision is in the "
           "same database: train the same config twice, once with --precision fp8."));
    m_memory->setModel(ModelConfig::preset("tiny"), tr("the tiny preset"));
}

void PrecisionPage::showStoredRun(const QString& dbPath, qint64 runId, const StoredRun& run,
                                  const QString& error) {
    if (!error.isEmpty()) {
        clearRun();
        m_runLabel->setText(tr("Run %1 could not be read: %2").arg(runId).arg(error));
        return;
    }
    m_runLabel->setText(tr("Run “%1” (%2).").arg(run.name, run.precision.toUpper()));
    m_memory->setModel(
        run.model.value_or(ModelConfig::preset("tiny")),
        run.model
            ? tr("run “%1”'s model (%2)").arg(run.name, QString::fromStdString(run.model->name))
            : tr("the tiny preset (run “%1”'s config is unreadable)").arg(run.name));
    if (run.checkpoint)
        m_granularity->setCheckpoint(
            DatabaseFile::checkpointDir(dbPath, run.checkpoint->path),
            tr("run “%1”, checkpoint of step %2").arg(run.name).arg(run.checkpoint->step));
    else
        m_granularity->setCheckpoint(QString(), QString(),
                                     tr("Run “%1” has no checkpoint yet.").arg(run.name));
    computeMissing();
    const PrecisionComparison& c = run.comparison;
    if (c.complete())
        m_training->showComparison(c);
    else if (c.sft_steps == 0)
        m_training->clearComparison(tr("Run “%1” has no SFT stage to compare.").arg(run.name));
    else
        m_training->clearComparison(
            tr("No twin of run “%1” in this database: train the same config and seed with "
               "--precision %2 to compare FP8 with FP32.")
                .arg(run.name, run.precision == QLatin1String("fp8") ? QStringLiteral("fp32")
                                                                     : QStringLiteral("fp8")));
}

void PrecisionPage::showEvent(QShowEvent* event) {
    Page::showEvent(event);
    computeMissing();
}

void PrecisionPage::setComputeWhileHidden(bool on) {
    m_computeHidden = on;
    computeMissing();
}

void PrecisionPage::computeMissing() {
    if (!isVisible() && !m_computeHidden) return;
    if (m_accumulation->rows().empty() && !m_accumulation->isComputing()) m_accumulation->compute();
    if (!m_granularity->checkpoint().isEmpty() && !m_granularity->hasResult() &&
        !m_granularity->isComputing())
        m_granularity->compute();
}

void PrecisionPage::showTab(Tab tab) {
    m_tabs->setCurrentIndex(static_cast<int>(tab));
}

PrecisionPage::Tab PrecisionPage::currentTab() const {
    return static_cast<Tab>(m_tabs->currentIndex());
}

void PrecisionPage::showSection(const QString& section) {
    for (int i = 0; i < 4; ++i)
        if (section == QLatin1String(kSections[i])) showTab(static_cast<Tab>(i));
}

bool PrecisionPage::isBusy() const {
    return m_runTicket != 0 || m_accumulation->isComputing() || m_granularity->isComputing();
}

QList<viz::Exportable*> PrecisionPage::exportables() const {
    return m_accumulation->exportables() + m_granularity->exportables() +
           m_training->exportables() + m_memory->exportables();
}

}  // namespace tinyseek::gui
