// The Inference page's KV cache tab. How much memory the KV cache takes per attention variant,
// computed and measured:
//   - bytes per token (log scale) for MHA, GQA, MQA and MLA, for the current model and for
//     DeepSeek-V2 and DeepSeek-V3 (computed from their published dimensions by
//     core/kv_accounting; nothing of them is run);
//   - the cache the generator really allocates for B sequences of N tokens, latent and
//     expanded modes, on the current model;
//   - the largest batch whose caches fit a memory budget the user sets.
// Generation throughput of both cache modes is on the page's throughput tab
// (gui/pages/throughput_panel.h). The model is the page's (InferencePage::setRun).
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

#include <memory>

#include "core/kv_accounting.h"
#include "core/model_config.h"

class QComboBox;
class QGridLayout;
class QHBoxLayout;
class QSpinBox;

namespace tinyseek {
class ParamStore;
}  // namespace tinyseek

namespace tinyseek::viz {
class BarChart;
class Exportable;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class NamedFigure;

class KvCachePanel : public QWidget {
    Q_OBJECT

  public:
    explicit KvCachePanel(QWidget* parent = nullptr);
    ~KvCachePanel() override;

    // The model whose caches are measured (its dimensions decide the computed figures).
    void setModel(std::shared_ptr<const ParamStore> params);

    void setDtype(KvDtype dtype);
    void setBudgetMiB(int mib);
    void setSequenceLength(int tokens);
    void setBatch(int batch);

    const ModelConfig& modelConfig() const { return m_config; }
    viz::BarChart* bytesPerTokenChart() const { return m_bytesChart; }
    viz::BarChart* measuredChart() const { return m_measuredChart; }
    viz::BarChart* maxBatchChart() const { return m_maxBatchChart; }
    // Sequence lengths of the measured chart's categories.
    const QList<int>& measuredLengths() const { return m_lengths; }

    // kv-bytes-per-token, kv-measured-cache, kv-max-batch.
    QList<viz::Exportable*> exportables() const;

  private:
    QHBoxLayout* buildControls();
    QGridLayout* buildCharts();
    void describeCharts();  // axes and units
    void refreshAccounting();
    void refreshMeasured();
    void refreshMaxBatch();
    KvDtype dtype() const;

    std::shared_ptr<const ParamStore> m_params;
    ModelConfig m_config;
    QList<int> m_lengths;
    // Bytes per token of the generator's two cache modes, measured (0 = mode not available).
    double m_latentBytesPerToken = 0.0;
    double m_expandedBytesPerToken = 0.0;

    QComboBox* m_dtypeCombo = nullptr;
    QSpinBox* m_batchSpin = nullptr;
    QSpinBox* m_seqSpin = nullptr;
    QSpinBox* m_budgetSpin = nullptr;
    viz::BarChart* m_bytesChart = nullptr;
    viz::BarChart* m_measuredChart = nullptr;
    viz::BarChart* m_maxBatchChart = nullptr;
    QList<NamedFigure*> m_figures;  // owned
};

}  // namespace tinyseek::gui
