// Evaluation page: what held-out evaluations say beyond one accuracy, for the runs the Training
// page shows (the current run and those added with Compare) and their control arms.
//   - pass@k and maj@k against k (log2 axis): every curve stored for those runs
//     (training/run_pass_at_k.h; `tinyseek passk --db`, or "Measure" here on the current run's
//     latest checkpoint). Does sampling more often find answers the other arm finds at k = 1
//     (pass@k), and does a vote over k samples pick them (maj@k)?
//   - Accuracy by difficulty: greedy held-out accuracy per bucket (rows, training/difficulty.h)
//     at every evaluation (columns) of one shown run, from the MetricsHub's series, so a live
//     run extends it.
// Both figures export as PNG, SVG, PDF and CSV (right-click, or "Export Charts…").
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

#include "gui/pages/page.h"
#include "training/run_store.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;

namespace tinyseek::viz {
class Exportable;
class HeatmapWidget;
class ScalingPlot;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class BackgroundJob;
class MetricsHub;

class EvaluationPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "evaluation";
    // Section ids for --page: the pass@k tab and the difficulty tab.
    static constexpr const char* kSections[2] = {"pass-at-k", "difficulty"};
    explicit EvaluationPage(QWidget* parent = nullptr);
    ~EvaluationPage() override;

    void setHub(MetricsHub* hub);
    void showSection(const QString& section) override;
    bool isBusy() const override;  // reading curves or measuring

    // What the pass@k plot shows.
    enum class Measure { Pass, Majority, Both };
    void setMeasure(Measure measure);
    // Reads the shown runs' stored curves again.
    void refresh();
    // Measures the current run's latest checkpoint with the page's settings (100 held-out
    // problems, 64 samples, the run's rollout temperature) in the background, stores the curve
    // and shows it. False when no run is shown or a measurement is running.
    bool measureCurrentRun();

    viz::ScalingPlot* passPlot() const { return m_plot; }
    viz::HeatmapWidget* difficultyMap() const { return m_heatmap; }
    QString passSummary() const;
    QList<viz::Exportable*> exportables() const;

  private:
    // The curves of one run, as read.
    struct RunCurves {
        qint64 id = 0;
        QString name;
        bool control = false;  // the control arm of a shown run
        std::vector<StoredPassAtK> curves;
        QStringList stages;        // the stage of each curve's step ("SFT", "GRPO"; "" unknown)
        double temperature = 1.0;  // its rollout temperature (grpo.temperature)
    };

    QWidget* buildPassTab();
    QWidget* buildDifficultyTab();
    void onSelectionChanged();
    void showCurves(quint64 ticket, const QList<RunCurves>& runs, const QString& error);
    void updatePlot();
    void updateStatus();
    void updateDifficulty();
    void populateDifficultyRuns();
    void onMeasureFinished(bool cancelled, const QString& error);
    double rolloutTemperature() const;
    QString measuringText() const;  // the summary's first line while a measurement runs

    MetricsHub* m_hub = nullptr;
    QString m_dbPath;
    quint64 m_readTicket = 0;  // curves being read; 0 = none
    QList<RunCurves> m_runs;
    Measure m_measure = Measure::Both;

    QTabWidget* m_tabs = nullptr;
    viz::ScalingPlot* m_plot = nullptr;
    QComboBox* m_measureCombo = nullptr;
    QPushButton* m_measureButton = nullptr;
    QLabel* m_passSummary = nullptr;
    QStringList m_curveSummary;  // a line per drawn curve (updatePlot)
    BackgroundJob* m_job = nullptr;
    int m_measureDone = 0;  // samples drawn by the running measurement, of m_measureTotal
    int m_measureTotal = 0;
    viz::HeatmapWidget* m_heatmap = nullptr;
    QComboBox* m_difficultyRun = nullptr;
    QLabel* m_difficultySummary = nullptr;
};

}  // namespace tinyseek::gui
