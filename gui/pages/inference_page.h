// Inference page: how the model generates, on three tabs.
//   MTP acceptance  how often the MTP module's draft is accepted in speculative decoding, by
//                   position, by token class, at each checkpoint of the run, and one completion
//                   token by token (gui/pages/acceptance_panel.h);
//   Throughput      tokens per second of plain and speculative decoding by batch size and
//                   cache mode, and the speed-up (gui/pages/throughput_panel.h);
//   KV Cache        bytes per token of MHA/GQA/MQA/MLA, the measured cache, the largest batch
//                   in a budget (gui/pages/kv_cache_panel.h; the page's former id "kv-cache"
//                   still opens it).
// The model is the open run's latest checkpoint, or any checkpoint directory the user opens
// (its run folder's other step-<N> checkpoints then make the curve over training), or a
// freshly initialised tiny model when there is neither (the page says which). Measurements
// decode held-out prompts of the checkpoint's task (training/speculation_eval.h) on a worker
// thread (gui/live/background_job.h) with a progress bar and Cancel: acceptance and the curve
// start by themselves when a trained model arrives and the page is shown (so a window that
// never shows the page spends nothing on it), throughput when the user asks.
#pragma once

#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

#include "core/model_config.h"
#include "gui/pages/page.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace tinyseek {
struct Checkpoint;
}  // namespace tinyseek

namespace tinyseek::viz {
class Exportable;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class AcceptancePanel;
class BackgroundJob;
class KvCachePanel;
class ThroughputPanel;

class InferencePage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "inference";
    // The KV cache tab's section id: the page's id before it grew the other tabs, so
    // `--page kv-cache` still works and opens that tab.
    static constexpr const char* kKvCacheSection = "kv-cache";
    enum class Tab { acceptance = 0, throughput = 1, kvCache = 2 };

    explicit InferencePage(QWidget* parent = nullptr);
    ~InferencePage() override;

    // Uses the run's latest checkpoint (read on the reader thread) and measures it; the run's
    // checkpoints make the curve over training. Without a checkpoint: a fresh tiny model.
    void setRun(const QString& dbPath, qint64 runId);
    // Back to a freshly initialised tiny model.
    void clearRun();
    // A checkpoint directory from disk; false (and the page says why) when it is not one.
    bool openCheckpoint(const QString& dir);

    void showSection(const QString& section) override;
    void showTab(Tab tab);
    Tab currentTab() const;

    // Each starts a measurement on the worker thread unless one runs (false then).
    bool measureAcceptance();
    bool measureCurve();
    bool measureThroughput();
    // Cancels the running measurement; it stops within one decode step.
    void cancelMeasurement();
    bool isMeasuring() const;
    bool isBusy() const override;  // measuring, about to, or reading the run

    // Start the automatic measurements even while the page is hidden (tinyseek export and
    // tests, where no page is ever shown). Default: only once the page is visible.
    void setMeasureWhileHidden(bool on);

    // Measurement settings (tests use small ones): held-out prompts decoded (default 128),
    // batch sizes and repeats of the throughput measurement (default 1, 8, 64 and 3).
    void setHeldOutPrompts(int n);
    void setThroughputBatches(const QList<int>& batches, int repeats);

    QString modelDescription() const { return m_modelText; }
    const ModelConfig& modelConfig() const;
    bool hasTrainedModel() const { return m_trained; }
    AcceptancePanel* acceptancePanel() const { return m_acceptance; }
    ThroughputPanel* throughputPanel() const { return m_throughput; }
    KvCachePanel* kvCachePanel() const { return m_kvCache; }
    QString measurementStatus() const;

    // Every figure with something to show, under stable file names.
    QList<viz::Exportable*> exportables() const;

  protected:
    void showEvent(QShowEvent* event) override;

  signals:
    void acceptanceMeasured();
    void curveMeasured();
    void throughputMeasured();
    // Any measurement's end (also cancelled or failed), after the page has shown it.
    void measurementFinished(const QString& job, bool cancelled, const QString& error);

  private:
    struct CheckpointEntry {
        qint64 step = 0;
        QString dir;
    };
    struct Model;  // gui/pages/inference_page_model.h
    static std::shared_ptr<Model> freshModel(const QString& description);
    // nullptr with *error set when `dir` is not a readable checkpoint.
    static std::shared_ptr<Model> loadModel(const QString& dir, QString* error);
    static QList<CheckpointEntry> checkpointsBeside(const QString& dir);

    void buildUi();
    QWidget* buildModelLine();
    QWidget* buildJobLine();
    void connectJob();
    void chooseCheckpoint();
    void useStoredRun(qint64 runId, const QString& runName,
                      const QList<CheckpointEntry>& checkpoints, const QString& readError);
    // Makes `model` the page's model and starts what measures by itself.
    void setModel(std::shared_ptr<const Model> model);
    void startAutomatic();
    void clearMeasurements();
    // Starts `work` on the job thread with the progress line showing `text`; `onDone` shows
    // the result on the GUI thread. Timing work runs at normal priority, the rest lowered.
    bool startJob(
        const QString& name, const QString& text, std::function<void()> onDone,
        std::function<void(const std::atomic<bool>&, const std::function<void(int, int)>&)> work,
        bool timing = false);
    void onJobFinished(const QString& name, bool cancelled, const QString& error);
    // A measurement that ended without a result: its figures say `why`.
    void clearFiguresOf(const QString& job, const QString& why);
    QString decodingSetting(int prompts) const;  // how `prompts` held-out prompts were decoded
    QString whyNoAcceptance() const;             // empty when the model can be measured

    std::shared_ptr<const Model> m_model;
    QString m_modelText;
    bool m_trained = false;
    quint64 m_runTicket = 0;  // the run being read; 0 = none
    int m_heldOutPrompts = 128;
    QList<int> m_batches = {1, 8, 64};
    int m_repeats = 3;

    BackgroundJob* m_job = nullptr;
    // The automatic measurements wait: for the running job to end, or for the page to show.
    bool m_autoPending = false;
    bool m_measureHidden = false;
    bool m_jobSuperseded = false;    // the running job was cancelled for a new model
    std::function<void()> m_onDone;  // shows the running job's result (for its model)

    QLabel* m_modelLabel = nullptr;
    QPushButton* m_openButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QLabel* m_jobLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QTabWidget* m_tabs = nullptr;
    AcceptancePanel* m_acceptance = nullptr;
    ThroughputPanel* m_throughput = nullptr;
    KvCachePanel* m_kvCache = nullptr;
};

}  // namespace tinyseek::gui
