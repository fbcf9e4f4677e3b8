// MainWindow, the analysis pages' half: the Routing, Inference and Rollouts pages follow the
// run every page shows and the live steps of the MetricsHub, and File > Export writes every
// chart of the current run (these pages and the Training page) into one folder.
#include <QAction>

#include <memory>
#include <vector>

#include "gui/app_settings.h"
#include "gui/figures/figure_export.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_controller.h"
#include "gui/main_window.h"
#include "gui/pages/evaluation_page.h"
#include "gui/pages/explore_page.h"
#include "gui/pages/inference_page.h"
#include "gui/pages/precision_page.h"
#include "gui/pages/reward_model_page.h"
#include "gui/pages/rollouts_page.h"
#include "gui/pages/routing_page.h"
#include "gui/pages/runs_page.h"
#include "gui/pages/training_page.h"
#include "viz/color_map.h"
#include "viz/metric_chart.h"

namespace tinyseek::gui {

namespace {

// AppSettings::pageView's entry for the colours chosen on the Runs page: run id -> "#rrggbb".
const QString kRunColorsView = QStringLiteral("run-colors");

}  // namespace

void MainWindow::connectAnalysisPages() {
    auto* routing = qobject_cast<RoutingPage*>(page(QString::fromLatin1(RoutingPage::kId)));
    auto* inference = qobject_cast<InferencePage*>(page(QString::fromLatin1(InferencePage::kId)));
    auto* rollouts = qobject_cast<RolloutsPage*>(page(QString::fromLatin1(RolloutsPage::kId)));
    auto* precision = qobject_cast<PrecisionPage*>(page(QString::fromLatin1(PrecisionPage::kId)));
    auto* explore = qobject_cast<ExplorePage*>(page(QString::fromLatin1(ExplorePage::kId)));
    connect(
        this, &MainWindow::currentRunChanged, this,
        [this, routing, inference, rollouts, precision, explore](const QString& db, qint64 runId) {
            const bool shown = runId > 0 && !db.isEmpty();
            if (shown) {
                routing->setRun(db, runId);
                inference->setRun(db, runId);
                rollouts->setRun(db, runId);
                precision->setRun(db, runId);
                explore->setRun(db, runId);
            } else {
                routing->clearRun();
                inference->clearRun();
                rollouts->clearRun();
                precision->clearRun();
                explore->clearRun();
            }
            m_exportAction->setEnabled(shown);
        });
    // Runs overlaid for comparison (Runs page "Compare", --compare) also become the Routing
    // page's comparison while it has none, so aux-free vs none shows on both pages at once.
    connect(m_hub, &MetricsHub::selectionChanged, routing, [this, routing] {
        const QList<qint64> overlays = m_hub->overlays();
        if (!overlays.isEmpty() && routing->compareRunId() == 0 && m_hub->currentRun() != 0)
            routing->setCompareRun(overlays.first());
    });
    // The Precision page's FP8 runs, overlaid on the Training page beside the current one.
    connect(precision, &PrecisionPage::overlayRequested, this, [this](const QList<qint64>& ids) {
        QString error;
        for (qint64 id : ids)
            if (!m_hub->addOverlay(id, &error)) showStatusMessage(error, 0);
        showPage(QString::fromLatin1(TrainingPage::kId));
    });
    // Live steps are stored before the hub delivers them, so the pages can read them back.
    connect(m_hub, &MetricsHub::stepsArrived, routing, &RoutingPage::appendSteps);
    connect(m_hub, &MetricsHub::stepsArrived, rollouts, &RolloutsPage::appendSteps);
    connect(m_hub, &MetricsHub::stepsArrived, explore, &ExplorePage::appendSteps);
    // A finished run has its final checkpoint: the Inference page's model and the routing of
    // its rollouts can now come from it.
    connect(m_controller, &RunController::runFinished, this,
            [this, routing, inference, precision, explore](qint64 runId) {
                if (runId != m_hub->currentRun() || m_databasePath.isEmpty()) return;
                inference->setRun(m_databasePath, runId);
                explore->refreshCheckpoints();
                precision->setRun(m_databasePath, runId);
                routing->refreshTokenView();
            });

    connectRememberedViews();

    m_exportAction->setText(FigureExport::tr("&Export All Charts of This Run…"));
    m_exportAction->setToolTip(FigureExport::tr(
        "Write every chart of the current run (Training, Routing, Inference, Explore, "
        "Rollouts, Evaluation, Precision) and the Reward Model page's as PNG, SVG, PDF and CSV "
        "into a folder"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportRunCharts);
}

// The view of each database: the Training page's controls and the run colours chosen on the
// Runs page are saved as they change and restored when the database opens.
void MainWindow::connectRememberedViews() {
    // Run colours the user chose are remembered per database, beside the views.
    if (auto* runs = qobject_cast<RunsPage*>(page(QString::fromLatin1(RunsPage::kId))))
        connect(runs, &RunsPage::runColorChosen, this, [this](qint64 runId, const QColor& color) {
            if (m_persistent && !m_databasePath.isEmpty()) {
                AppSettings settings;
                QVariantMap colors = settings.pageView(m_databasePath, kRunColorsView);
                colors.insert(QString::number(runId), color.name());
                settings.setPageView(m_databasePath, kRunColorsView, colors);
            }
            if (auto* training =
                    qobject_cast<TrainingPage*>(page(QString::fromLatin1(TrainingPage::kId))))
                training->recolourRuns();
        });
    // Views are remembered per database (AppSettings::pageView).
    if (auto* routing = qobject_cast<RoutingPage*>(page(QString::fromLatin1(RoutingPage::kId))))
        connect(routing, &RoutingPage::layerChosen, this, [this, routing] {
            if (m_persistent && !m_databasePath.isEmpty())
                AppSettings().setPageView(m_databasePath, QString::fromLatin1(RoutingPage::kId),
                                          routing->viewState());
        });
    if (auto* training = qobject_cast<TrainingPage*>(page(QString::fromLatin1(TrainingPage::kId))))
        connect(training, &TrainingPage::viewChanged, this, [this, training] {
            if (m_persistent && !m_restoringViews && !m_databasePath.isEmpty())
                AppSettings().setPageView(m_databasePath, QString::fromLatin1(TrainingPage::kId),
                                          training->viewState());
        });
}

void MainWindow::restorePageViews() {
    auto* training = qobject_cast<TrainingPage*>(page(QString::fromLatin1(TrainingPage::kId)));
    if (!training || !m_persistent) return;
    viz::clearRunColors();  // another database's runs are other runs
    const QVariantMap colors = AppSettings().pageView(m_databasePath, kRunColorsView);
    for (auto it = colors.cbegin(); it != colors.cend(); ++it)
        viz::setRunColor(it.key().toInt(), QColor(it.value().toString()));
    training->recolourRuns();
    m_restoringViews = true;
    training->restoreViewState(
        AppSettings().pageView(m_databasePath, QString::fromLatin1(TrainingPage::kId)));
    if (auto* routing = qobject_cast<RoutingPage*>(page(QString::fromLatin1(RoutingPage::kId))))
        routing->restoreViewState(
            AppSettings().pageView(m_databasePath, QString::fromLatin1(RoutingPage::kId)));
    m_restoringViews = false;
}

void MainWindow::exportRunCharts() {
    // The Training page's charts under stable names, then every analysis page's figures.
    std::vector<std::unique_ptr<NamedFigure>> named;
    QList<viz::Exportable*> figures;
    if (auto* training =
            qobject_cast<TrainingPage*>(page(QString::fromLatin1(TrainingPage::kId)))) {
        training->refreshAll();
        for (const QString& key : training->visibleChartKeys()) {
            named.push_back(std::make_unique<NamedFigure>(
                QStringLiteral("training-") + viz::Exporter::sanitizeFileName(key),
                training->chart(key)));
            figures << named.back().get();
        }
    }
    if (auto* p = qobject_cast<RoutingPage*>(page(QString::fromLatin1(RoutingPage::kId))))
        figures << p->exportables();
    if (auto* p = qobject_cast<InferencePage*>(page(QString::fromLatin1(InferencePage::kId))))
        figures << p->exportables();
    if (auto* p = qobject_cast<ExplorePage*>(page(QString::fromLatin1(ExplorePage::kId))))
        figures << p->exportables();
    if (auto* p = qobject_cast<RolloutsPage*>(page(QString::fromLatin1(RolloutsPage::kId))))
        figures << p->exportables();
    if (auto* p = qobject_cast<EvaluationPage*>(page(QString::fromLatin1(EvaluationPage::kId))))
        figures << p->exportables();
    if (auto* p = qobject_cast<PrecisionPage*>(page(QString::fromLatin1(PrecisionPage::kId))))
        figures << p->exportables();
    // The reward-model lab's experiment is the database's, not the run's, but it is a chart
    // of this window too.
    if (auto* p = qobject_cast<RewardModelPage*>(page(QString::fromLatin1(RewardModelPage::kId))))
        figures << p->exportables();
    FigureExport::exportAll(this, figures);
}

}  // namespace tinyseek::gui
