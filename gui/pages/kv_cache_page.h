// KV Cache page. How much memory the KV cache takes per attention variant, computed and
// measured:
//   - bytes per token (log scale) for MHA, GQA, MQA and MLA, for the current model and for
//     DeepSeek-V2 and DeepSeek-V3 (computed from their published dimensions by
//     core/kv_accounting; nothing of them is run);
//   - the cache the generator really allocates for B sequences of N tokens, latent and
//     expanded modes, on the current model;
//   - generation throughput of both modes ("Measure throughput", on a worker thread);
//   - the largest batch whose caches fit a memory budget the user sets.
// The current model is the open run's latest checkpoint, or a freshly initialised tiny
// model when there is none (the page says which).
#pragma once

#include <QList>
#include <QString>

#include <atomic>
#include <memory>

#include "core/kv_accounting.h"
#include "core/model_config.h"
#include "gui/pages/page.h"

class QComboBox;
class QGridLayout;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QSpinBox;
class QThread;

namespace tinyseek {
class ParamStore;
struct CheckpointInfo;
}  // namespace tinyseek

namespace tinyseek::viz {
class BarChart;
class Exportable;
}  // namespace tinyseek::viz

namespace tinyseek {
struct ThroughputPoint;
}

namespace tinyseek::gui {

class NamedFigure;

class KvCachePage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "kv-cache";
    explicit KvCachePage(QWidget* parent = nullptr);
    ~KvCachePage() override;

    // Uses the run's latest checkpoint as the current model (a fresh tiny model when the run
    // has none or it cannot be read; the page says why). The run is read on the reader
    // thread; the model changes when it arrives.
    void setRun(const QString& dbPath, qint64 runId);
    // Back to a freshly initialised tiny model.
    void clearRun();

    void setDtype(KvDtype dtype);
    void setBudgetMiB(int mib);
    void setSequenceLength(int tokens);
    void setBatch(int batch);
    // Starts the throughput measurement on a worker thread; throughputMeasured() follows.
    void measureThroughput();
    bool isMeasuring() const { return m_thread != nullptr; }
    bool isBusy() const override;  // measuring, or reading the run

    const ModelConfig& modelConfig() const { return m_config; }
    QString modelDescription() const;
    viz::BarChart* bytesPerTokenChart() const { return m_bytesChart; }
    viz::BarChart* measuredChart() const { return m_measuredChart; }
    viz::BarChart* throughputChart() const { return m_throughputChart; }
    viz::BarChart* maxBatchChart() const { return m_maxBatchChart; }
    // Sequence lengths of the measured chart's categories.
    const QList<int>& measuredLengths() const { return m_lengths; }

    QList<viz::Exportable*> exportables() const;

  signals:
    void throughputMeasured();

  private:
    void buildUi();
    QHBoxLayout* buildModelLine(QWidget* content);  // which model, and Export
    QHBoxLayout* buildControls(QWidget* content);
    QGridLayout* buildCharts(QWidget* content);
    void describeCharts();  // axes, units and the throughput chart's invitation
    void connectControls();
    void useStoredModel(const QString& dbPath, qint64 runId, const QString& runName,
                        const CheckpointInfo* checkpoint, const QString& readError);
    void useModel(std::shared_ptr<const ParamStore> params, const QString& description);
    void refreshAccounting();
    void refreshMeasured();
    void refreshMaxBatch();
    void showThroughput(const std::vector<ThroughputPoint>& points, int threads);
    KvDtype dtype() const;

    std::shared_ptr<const ParamStore> m_params;
    ModelConfig m_config;
    QString m_modelText;
    QList<int> m_lengths;
    // Bytes per token of the generator's two cache modes, measured (0 = mode not available).
    double m_latentBytesPerToken = 0.0;
    double m_expandedBytesPerToken = 0.0;

    QLabel* m_modelLabel = nullptr;
    QComboBox* m_dtypeCombo = nullptr;
    QSpinBox* m_batchSpin = nullptr;
    QSpinBox* m_seqSpin = nullptr;
    QSpinBox* m_budgetSpin = nullptr;
    QPushButton* m_measureButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QLabel* m_measureStatus = nullptr;
    viz::BarChart* m_bytesChart = nullptr;
    viz::BarChart* m_measuredChart = nullptr;
    viz::BarChart* m_throughputChart = nullptr;
    viz::BarChart* m_maxBatchChart = nullptr;
    QList<NamedFigure*> m_figures;  // owned

    QThread* m_thread = nullptr;
    std::atomic<bool> m_cancel{false};
    quint64 m_runTicket = 0;  // the run being read; 0 = none
};

}  // namespace tinyseek::gui
