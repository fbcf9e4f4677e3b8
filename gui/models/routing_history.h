// RoutingHistory: the routing statistics of one run, held in memory for the Routing page.
// Per MoE layer and stored step: each expert's share of the layer's routed token slots and
// its router bias (DeepSeek-V3's e_score_correction_bias). Filled from a stored run (load(),
// which the Routing page runs on the RunReader's thread) and extended with live StepReports;
// turned into the plain matrices and series the viz widgets draw.
#pragma once

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <map>
#include <vector>

#include "training/step_report.h"
#include "viz/plot_data.h"

namespace tinyseek {
class RunStore;
}

namespace tinyseek::gui {

class RoutingHistory {
    Q_DECLARE_TR_FUNCTIONS(RoutingHistory)

  public:
    // Reads every stored step of the run's expert statistics (throws StoreError).
    static RoutingHistory load(const RunStore& store, std::int64_t runId);

    // Adds a live step (a step already held is ignored; steps must come in order).
    void append(const StepReport& report);
    // Run facts from the stored config JSON ("model": config.json keys). Unknown values stay
    // at their defaults (topK 0, balanceMode empty, hiddenLayers -1).
    void setModelFromConfigJson(const std::string& configJson);

    std::int64_t runId = 0;
    QString runName;
    QString balanceMode;  // "aux_free", "aux_free_seq", "aux_loss", "none"; empty when unknown
    int topK = 0;         // experts per token; 0 when unknown
    int hiddenLayers = -1;

    bool isEmpty() const { return m_steps.empty() || m_layers.empty(); }
    int layerCount() const { return static_cast<int>(m_layers.size()); }
    int layerAt(int row) const { return m_layers[static_cast<std::size_t>(row)]; }
    int rowOfLayer(int layer) const;  // -1 when the layer has no statistics
    // "Layer 2", or "MTP block" for the multi-token-prediction block.
    QString layerName(int row) const;
    int experts() const { return m_experts; }
    int stepCount() const { return static_cast<int>(m_steps.size()); }
    std::int64_t stepAt(int index) const { return m_steps[static_cast<std::size_t>(index)]; }
    // Index of the last stored step <= step (0 when step is before the first).
    int indexAtOrBefore(std::int64_t step) const;
    bool hasBias() const { return m_hasBias; }

    // Largest possible relative load: with top-K routing an expert can get at most 1/K of a
    // layer's slots, i.e. E/K times the balanced share. 0 when K is unknown.
    double maxRelativeLoad() const;

    // Load of each expert relative to the balanced load 1/E (1 = balanced, 0 = dead):
    // (layers, experts) at a step index. NaN where the step has no value.
    viz::Matrix relativeLoadAt(int stepIndex) const;
    // One layer over time: (experts, steps), relative load, columns labelled with the step.
    viz::Matrix relativeLoadOverTime(int row) const;
    // MaxVio = max_i load_i / mean_i load_i - 1 (DeepSeek-V3 §2.1.2); NaN without data.
    double maxVio(int row, int stepIndex) const;
    viz::MetricSeries maxVioSeries(int row) const;
    viz::MetricSeries biasSeries(int row, int expert) const;
    float share(int row, int stepIndex, int expert) const;

  private:
    static std::size_t at(int stepIndex, int experts, int expert) {
        return static_cast<std::size_t>(stepIndex) * static_cast<std::size_t>(experts) +
               static_cast<std::size_t>(expert);
    }

    std::vector<int> m_layers;          // model layer index of each row
    int m_experts = 0;                  // E
    std::vector<std::int64_t> m_steps;  // (S) ascending
    std::vector<double> m_wallTimes;    // (S)
    // Per row: (S, E) load shares and biases, one vector per layer so steps can be appended.
    std::vector<std::vector<float>> m_load;
    std::vector<std::vector<float>> m_bias;
    bool m_hasBias = false;
};

}  // namespace tinyseek::gui
