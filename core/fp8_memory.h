// Training-state memory of a model under three precision recipes, computed from its parameter
// layout (`tinyseek fp8 memory`, docs/ARCHITECTURE.md "FP8"). Computed, not measured: bytes
// per parameter times parameter counts, nothing is allocated (works for DeepSeek-V3's 671B).
//
// Recipes, bytes per trainable parameter (non-trainable buffers such as the router's
// e_score_correction_bias only take weight storage):
//   fp32  weights 4, gradients 4, AdamW m 4 and v 4; the weights are the master copy.
//   bf16  the usual mixed-precision accounting (ZeRO, Rajbhandari et al. 2020): BF16 compute
//         weights 2, BF16 gradients 2, FP32 master weights 4, FP32 m 4 and v 4.
//   fp8   DeepSeek-V3 §3.3: the GEMM weights (every linear layer's matrix: attention
//         projections, dense MLP, routed and shared experts, the MTP block's projections) as
//         E4M3 codes, 1 byte, plus one FP32 scale per 128 x 128 block; the embedding, lm_head,
//         router gates and norms kept in BF16 (V3 keeps them in their original precision; we
//         assume BF16); FP32 master weights 4 and FP32 gradients 4 (V3 keeps both in FP32
//         "to ensure numerical stability"); AdamW m and v in BF16, 2 each.
// Assumption of ours in the fp8 row: the FP8 codes replace a BF16 compute copy of the GEMM
// weights (none is kept besides the FP32 master). Activations, KV cache and communication
// buffers are not counted (model-info reports activations).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/model_config.h"

namespace tinyseek {

inline constexpr int kFp8WeightBlock = 128;  // V3's 128 x 128 weight scale blocks

// The parameters of a layout, split the way the recipes store them.
struct Fp8ParamSplit {
    std::int64_t total = 0;          // every tensor (= count_params().total)
    std::int64_t trainable = 0;      // gradients, master weights and moments exist for these
    std::int64_t gemm_weights = 0;   // linear layers' matrices, FP8 in the fp8 recipe
    std::int64_t other_weights = 0;  // total - gemm_weights
    std::int64_t weight_scales = 0;  // 128 x 128 blocks over the GEMM weights
};

// True for a tensor the fp8 recipe stores in FP8: a 2-D linear weight that is not the
// embedding, lm_head or a router gate.
bool fp8_is_gemm_weight(const std::string& name, const std::vector<std::int64_t>& shape);

Fp8ParamSplit fp8_param_split(const ModelConfig& config);

// Bytes of one recipe, per component.
struct MemoryRecipe {
    std::string name;  // "fp32", "bf16", "fp8"
    double weights = 0;
    double weight_scales = 0;
    double master_weights = 0;
    double gradients = 0;
    double adam_m = 0;
    double adam_v = 0;
    double total() const;
    nlohmann::json to_json() const;
};

struct Fp8MemoryResult {
    Fp8ParamSplit params;
    std::vector<MemoryRecipe> recipes;  // fp32, bf16, fp8
    nlohmann::json to_json() const;
};

Fp8MemoryResult fp8_training_memory(const ModelConfig& config);

}  // namespace tinyseek
