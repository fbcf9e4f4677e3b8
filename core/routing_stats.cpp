#include "core/routing_stats.h"

#include <algorithm>

#include "core/param_layout.h"

namespace tinyseek {

float max_violation(const int64_t* load, int E) {
    int64_t total = 0, most = 0;
    for (int i = 0; i < E; ++i) {
        total += load[i];
        most = std::max(most, load[i]);
    }
    if (total == 0) return 0.0f;
    const double mean = static_cast<double>(total) / E;
    return static_cast<float>(most / mean - 1.0);
}

void update_routing_bias(float* bias, const int64_t* load, int E, float gamma) {
    int64_t total = 0;
    for (int i = 0; i < E; ++i) total += load[i];
    // Compare E * load_i with the total to keep the sign exact in integers.
    for (int i = 0; i < E; ++i) {
        const int64_t diff = load[i] * E - total;
        bias[i] -= gamma * static_cast<float>((diff > 0) - (diff < 0));
    }
}

void apply_aux_free_update(ParamStore& params, const RoutingStats& stats) {
    const ModelConfig& c = params.config();
    if (!c.bias_update_on()) return;
    for (int i = 0; i < stats.num_layers(); ++i) {
        float* bias =
            params.ptr(layer_prefix(stats.layers[i]) + "mlp.gate.e_score_correction_bias");
        update_routing_bias(bias, stats.load(i), stats.n_experts, c.bias_update_speed);
    }
}

}  // namespace tinyseek
