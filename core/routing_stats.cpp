#include "core/routing_stats.h"

#include <algorithm>

#include "core/errors.h"
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

RoutingStats merge_routing(const RoutingStats& a, int a_sequences, const RoutingStats& b,
                           int b_sequences) {
    if (b.layers.empty()) return a;
    if (a.layers.empty()) return b;
    if (a.layers != b.layers || a.n_experts != b.n_experts)
        throw Error("merge_routing: the two parts have different MoE layers");
    RoutingStats m = a;
    const int E = a.n_experts;
    for (std::size_t i = 0; i < a.tokens_per_expert.size(); ++i) {
        const int64_t na = a.tokens_per_expert[i], nb = b.tokens_per_expert[i];
        m.tokens_per_expert[i] = na + nb;
        const double weight_sum =
            double(a.mean_gate_weight[i]) * double(na) + double(b.mean_gate_weight[i]) * double(nb);
        m.mean_gate_weight[i] = na + nb ? static_cast<float>(weight_sum / double(na + nb)) : 0.0f;
    }
    for (int l = 0; l < m.num_layers(); ++l) m.max_vio[l] = max_violation(m.load(l), E);
    const int n = a_sequences + b_sequences;
    m.aux_loss = n ? (a.aux_loss * a_sequences + b.aux_loss * b_sequences) / n : 0.0;
    return m;
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
