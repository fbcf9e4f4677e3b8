// Per-step routing statistics of the MoE layers and the auxiliary-loss-free bias update
// (DeepSeek-V3 §2.1.2).
#pragma once

#include <cstdint>
#include <vector>

#include "core/param_store.h"

namespace tinyseek {

struct RoutingStats {
    int n_experts = 0;
    std::vector<int> layers;                 // block index of each MoE layer (MTP block last)
    std::vector<int64_t> tokens_per_expert;  // (layers, E) routed (token, expert) pairs
    std::vector<float> mean_gate_weight;     // (layers, E) mean gate weight of those pairs
    std::vector<float> bias;                 // (layers, E) e_score_correction_bias used
    std::vector<float> max_vio;              // (layers) MaxVio of each layer
    double aux_loss = 0;                     // sum over layers of the balance loss (when on)

    int num_layers() const { return static_cast<int>(layers.size()); }
    const int64_t* load(int i) const { return tokens_per_expert.data() + i * n_experts; }
};

// The statistics of one batch forwarded in two parts, of `a_sequences` and `b_sequences`
// sequences (the same parameters, the same MoE layers): loads add up, the mean gate weights
// and MaxVio follow from the summed loads, and the balance loss, a mean over a part's
// sequences, is weighted by them. A part without layers (nothing forwarded) is left out.
RoutingStats merge_routing(const RoutingStats& a, int a_sequences, const RoutingStats& b,
                           int b_sequences);

// MaxVio = max_i load_i / mean_i load_i - 1 (0 for perfect balance; 0 when nothing routed).
float max_violation(const int64_t* load, int n_experts);

// Aux-loss-free balancing, after each optimizer step:
//   b_i -= gamma * sign(load_i - mean load)
// overloaded experts become less likely to be chosen, underloaded ones more likely.
void update_routing_bias(float* bias, const int64_t* load, int n_experts, float gamma);

// Applies update_routing_bias to every MoE layer of `stats` with gamma = bias_update_speed
// when params.config().balance_mode is aux_free or aux_free_seq; does nothing otherwise.
void apply_aux_free_update(ParamStore& params, const RoutingStats& stats);

}  // namespace tinyseek
