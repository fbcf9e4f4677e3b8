#include "training/routing_report.h"

#include <cstddef>
#include <string>

namespace tinyseek {

std::string max_vio_layer_key(int layer) {
    return std::string(metric::kMaxVio) + "/layer_" + std::to_string(layer);
}

void fill_routing_report(const RoutingStats& stats, StepReport& report) {
    const int L = stats.num_layers();
    const int E = stats.n_experts;
    if (L == 0 || E == 0) return;
    report.expert_load = ExpertMatrix(stats.layers, E);
    report.router_bias = ExpertMatrix(stats.layers, E);
    report.gate_weight = ExpertMatrix(stats.layers, E);
    double vio_sum = 0.0;
    for (int l = 0; l < L; ++l) {
        const std::int64_t* load = stats.load(l);
        std::int64_t routed = 0;
        for (int e = 0; e < E; ++e) routed += load[e];
        const std::size_t row = static_cast<std::size_t>(l) * E;
        for (int e = 0; e < E; ++e) {
            report.expert_load.at(l, e) =
                routed > 0 ? static_cast<float>(static_cast<double>(load[e]) / routed) : 0.0f;
            report.router_bias.at(l, e) = stats.bias[row + e];
            report.gate_weight.at(l, e) = stats.mean_gate_weight[row + e];
        }
        vio_sum += stats.max_vio[l];
        report.scalars[max_vio_layer_key(stats.layers[l])] = stats.max_vio[l];
    }
    report.scalars[metric::kMaxVio] = vio_sum / L;
}

}  // namespace tinyseek
