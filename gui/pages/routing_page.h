// Routing page. Which experts the router picks, for one run and optionally a second run side
// by side (e.g. aux-loss-free balancing against none):
//   - load per layer and expert at a chosen step (step scrubber), relative to the balanced
//     load 1/E on a fixed diverging colour scale (white = balanced, red = overloaded,
//     blue = starved), dead and overloaded experts marked, MaxVio per layer in the labels;
//   - the chosen layer's load per expert over all steps (the balancing story over time);
//   - MaxVio per layer and the router bias per expert over the steps;
//   - a stored rollout's tokens coloured by their top-1 expert in the chosen layer.
// Reads a stored run through the page's RunReader, off the GUI thread; live steps extend it
// through appendSteps().
#pragma once

#include <QList>
#include <QString>
#include <QVariantMap>

#include <cstdint>
#include <vector>

#include "gui/models/routing_history.h"
#include "gui/pages/page.h"
#include "training/step_report.h"

class QComboBox;
class QGridLayout;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QSlider;

namespace tinyseek {
class RunStore;
struct RunInfo;
}  // namespace tinyseek

namespace tinyseek::viz {
class Exportable;
class HeatmapWidget;
class CurveChart;
class TokenStrip;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class NamedFigure;
class TokenRoutingView;

class RoutingPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "routing";
    // Load below this fraction of the balanced load marks an expert dead; above
    // kOverloaded times it, overloaded.
    static constexpr double kDeadBelow = 0.05;
    static constexpr double kOverloaded = 2.0;

    explicit RoutingPage(QWidget* parent = nullptr);
    ~RoutingPage() override;

    // Shows run `runId` of the database at `dbPath`; the figures follow once its statistics
    // are read (on the reader thread). Problems (missing file, unknown run) are shown in place
    // of the figures.
    void setRun(const QString& dbPath, qint64 runId);
    void clearRun();
    // Live steps: reports of the shown run extend it (others are ignored). When the scrubber
    // is at the last step it follows the new steps.
    void appendSteps(const QList<tinyseek::StepReport>& reports);
    // Lists the rollouts of the current step again and recomputes the shown one's routing
    // (e.g. once a run's first checkpoint exists).
    void refreshTokenView();
    // Shows another run of the same database side by side, on the same colour scale; 0 = none.
    // Its side is laid out at once and filled when its statistics are read.
    void setCompareRun(qint64 runId);

    qint64 runId() const { return m_main.runId; }
    qint64 compareRunId() const { return m_compare.runId; }
    // Moves the scrubber to the last stored step <= step.
    void setStep(std::int64_t step);
    std::int64_t currentStep() const;
    // Model layer index shown over time, in the bias chart and the token view.
    void setLayer(int layer);
    int currentLayer() const;
    // The layer a user chose, as the window remembers it per database; kept until a run
    // that has it is shown. layerChosen() follows a choice in the layer box.
    QVariantMap viewState() const;
    void restoreViewState(const QVariantMap& view);

    bool isBusy() const override;  // reading a run, or recomputing a rollout's routing
    void setReader(RunReader* reader) override;
    // The figures with data, under stable file names, for "Export all" and `tinyseek export`.
    QList<viz::Exportable*> exportables() const;

    viz::HeatmapWidget* loadHeatmap(int side = 0) const { return m_loadNow[side]; }
    viz::HeatmapWidget* loadOverTimeHeatmap(int side = 0) const { return m_loadOverTime[side]; }
    viz::CurveChart* maxVioChart() const { return m_maxVioChart; }
    viz::CurveChart* biasChart() const { return m_biasChart; }
    TokenRoutingView* tokenView() const { return m_tokenView; }
    const RoutingHistory& history(int side = 0) const { return side == 0 ? m_main : m_compare; }

  signals:
    void layerChosen(int layer);

  private:
    // What setRun() reads: the run's statistics and the runs it can be compared with.
    struct MainRead {
        RoutingHistory history;
        std::vector<RunInfo> runs;  // empty when the list cannot be read
    };
    static MainRead readMainRun(const RunStore& store, qint64 runId);

    void buildUi();
    QHBoxLayout* buildControls();  // step scrubber, layer, comparison, export
    void buildHeatmaps(QWidget* grid);
    void buildCurveCharts(QWidget* grid);  // MaxVio and router bias
    void buildTokenView(QWidget* grid);
    // The figures under the stable file names of "Export All" and `tinyseek export`.
    void nameFigures();
    void connectControls();
    void relayout();
    void showMainRun(MainRead read);
    void showCompareRun(qint64 runId, RoutingHistory history, const QString& error);
    void fillCompareCombo(const std::vector<RunInfo>& runs);
    void fillLayerCombo();
    void updateScrubber(bool keepAtEnd);
    void refreshFigures();
    void refreshLoadNow(int side);
    void refreshLoadOverTime(int side);
    void refreshCurves();
    void showError(const QString& text);
    QString runLabel(const RoutingHistory& h) const;
    static QString formatVio(double vio);  // "0.12", or "n/a" when the step has no value
    double colorScaleMax() const;

    QString m_dbPath;
    RoutingHistory m_main;
    RoutingHistory m_compare;
    quint64 m_mainTicket = 0;  // the main run being read; 0 = none
    quint64 m_compareTicket = 0;
    QList<StepReport> m_liveWhileReading;  // live steps of the main run that arrived meanwhile

    QWidget* m_content = nullptr;
    QGridLayout* m_grid = nullptr;
    QSlider* m_stepSlider = nullptr;
    QLabel* m_stepLabel = nullptr;
    QComboBox* m_layerCombo = nullptr;
    int m_preferredLayer = -1;  // restoreViewState's layer, -1 = none
    QComboBox* m_compareCombo = nullptr;
    QPushButton* m_exportButton = nullptr;
    QLabel* m_info = nullptr;
    viz::HeatmapWidget* m_loadNow[2] = {nullptr, nullptr};
    viz::HeatmapWidget* m_loadOverTime[2] = {nullptr, nullptr};
    viz::CurveChart* m_maxVioChart = nullptr;
    viz::CurveChart* m_biasChart = nullptr;
    TokenRoutingView* m_tokenView = nullptr;
    QList<NamedFigure*> m_figures;  // owned
};

}  // namespace tinyseek::gui
