// Precision page: DeepSeek-V3's FP8 training recipe, simulated on the CPU, on four tabs
// (docs/ARCHITECTURE.md "FP8"):
//   Accumulation         the limited tensor-core accumulator's error against K, with and
//                        without promotion to FP32 (gui/pages/accumulation_panel.h);
//   Scaling granularity  quantisation error of the run's weights and activations with one
//                        scale per tensor or per tile (gui/pages/granularity_panel.h);
//   Training in FP8      the run against its FP8 or FP32 twin in the database: loss curves and
//                        their relative gap beside two FP32 seeds'
//                        (gui/pages/fp8_training_panel.h);
//   Memory               training-state bytes under FP32, BF16 and FP8, computed from the config
//                        (gui/pages/memory_panel.h).
// The first two compute on worker threads when asked; the run's data is read on the reader
// thread whenever the shown run changes.
#pragma once

#include <QList>
#include <QString>

#include "gui/pages/page.h"

class QLabel;
class QTabWidget;

namespace tinyseek::viz {
class Exportable;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class AccumulationPanel;
class Fp8TrainingPanel;
class GranularityPanel;
class MemoryPanel;

class PrecisionPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "precision";
    enum class Tab { accumulation = 0, granularity = 1, training = 2, memory = 3 };
    // The tabs' section ids for --page (page_registry.cpp), in tab order.
    static constexpr const char* kSections[] = {"fp8-accumulation", "fp8-granularity",
                                                "fp8-training", "fp8-memory"};

    explicit PrecisionPage(QWidget* parent = nullptr);

    // Reads the run's config, latest checkpoint and FP8/FP32 twins.
    void setRun(const QString& dbPath, qint64 runId);
    void clearRun();

    void showTab(Tab tab);
    Tab currentTab() const;
    void showSection(const QString& section) override;
    bool isBusy() const override;  // reading the run or computing

    // Compute even while hidden (tinyseek export and tests, where no page is ever shown).
    // Default: once the page is visible.
    void setComputeWhileHidden(bool on);

    AccumulationPanel* accumulationPanel() const { return m_accumulation; }
    GranularityPanel* granularityPanel() const { return m_granularity; }
    Fp8TrainingPanel* trainingPanel() const { return m_training; }
    MemoryPanel* memoryPanel() const { return m_memory; }
    // Every figure with something to show, under stable file names.
    QList<viz::Exportable*> exportables() const;

  protected:
    // The first showing computes what the open tabs need (each takes about a second).
    void showEvent(QShowEvent* event) override;

  signals:
    void runRead();  // after the panels show a newly read run (or why it could not be read)
    // Runs to overlay on the Training page beside the current one (the FP8 tab's button).
    void overlayRequested(const QList<qint64>& runIds);

  private:
    struct StoredRun;
    void buildUi();
    // Starts the computations that have nothing to show yet, if the page is visible.
    void computeMissing();
    void showStoredRun(const QString& dbPath, qint64 runId, const StoredRun& run,
                       const QString& error);

    quint64 m_runTicket = 0;  // the run being read; 0 = none
    qint64 m_runId = 0;       // the run shown; 0 = none
    bool m_computeHidden = false;
    QLabel* m_runLabel = nullptr;
    QTabWidget* m_tabs = nullptr;
    AccumulationPanel* m_accumulation = nullptr;
    GranularityPanel* m_granularity = nullptr;
    Fp8TrainingPanel* m_training = nullptr;
    MemoryPanel* m_memory = nullptr;
};

}  // namespace tinyseek::gui
