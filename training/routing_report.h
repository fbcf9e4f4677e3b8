// RoutingStats (core) -> StepReport (training): the MoE part every trainer publishes.
#pragma once

#include "core/routing_stats.h"
#include "training/step_report.h"

namespace tinyseek {

// Fills, for the MoE layers of `stats` (model layer ids, the MTP block last when it ran):
//   scalars  "moe/max_vio"          mean over layers of MaxVio = max_i load_i / mean load - 1
//            "moe/max_vio/layer_N"  MaxVio of model layer N
//   expert_load   fraction of the layer's routed (token, expert) pairs per expert: each row
//                 sums to 1 (a row stays all 0 when the layer routed nothing)
//   router_bias   the e_score_correction_bias used by that forward
//   gate_weight   mean gate weight an expert received when chosen
// Does nothing when the model has no MoE layer.
void fill_routing_report(const RoutingStats& stats, StepReport& report);

// "moe/max_vio/layer_N".
std::string max_vio_layer_key(int layer);

}  // namespace tinyseek
