// Parameter counts of a config, per group, from ParamLayout (so they always agree with what
// is allocated and saved). Used by `tinyseek model-info` and the GUI; works for the big
// presets too, since a layout is only a table of names and shapes, never allocated.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/model_config.h"

namespace tinyseek {

// Groups (main model only, except `mtp`):
//   embedding       model.embed_tokens.weight
//   attention       every self_attn.* tensor (projections and the q_a/kv_a RMSNorms)
//   norms           input_layernorm, post_attention_layernorm, model.norm
//   dense_mlp       the SwiGLU MLP of layers [0, first_k_dense_replace)
//   routed_experts  mlp.experts.*
//   shared_experts  mlp.shared_experts.*
//   router          mlp.gate.weight and mlp.gate.e_score_correction_bias
//   head            lm_head.weight
//   mtp             every tensor of the MTP block(s) (layer index >= num_hidden_layers);
//                   the MTP module shares embedding and head with the main model
struct ParamCounts {
    int64_t embedding = 0;
    int64_t attention = 0;
    int64_t norms = 0;
    int64_t dense_mlp = 0;
    int64_t routed_experts = 0;
    int64_t shared_experts = 0;
    int64_t router = 0;
    int64_t head = 0;
    int64_t mtp = 0;

    int64_t total = 0;       // everything saved in model.safetensors (= ParamLayout total)
    int64_t main_model = 0;  // total - mtp (DeepSeek-V3's "671B")
    // Main-model parameters one token uses: all but the routed experts, plus
    // num_experts_per_tok routed experts per MoE layer (DeepSeek-V3's "37B activated";
    // embedding and head counted whole, MTP not counted).
    int64_t active_per_token = 0;

    // (group name, count) in the order above; the names are the JSON keys.
    std::vector<std::pair<std::string, int64_t>> groups() const;
    nlohmann::json to_json() const;
};

ParamCounts count_params(const ModelConfig& config);

}  // namespace tinyseek
