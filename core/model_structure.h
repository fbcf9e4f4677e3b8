// The model as a diagram sees it (the Explore page's model view): its parts in the order a
// token passes through them (embedding, per block the attention and the feed-forward,
// final norm, head, then the MTP module), each with its tensors (Hugging Face names, shapes),
// parameters, parameters one token uses, and KV cache per token. Built from ParamLayout and
// the config alone, so it works for the deepseek-v2 / deepseek-v3 presets too (nothing is
// allocated). The totals are model-info's: count_params (core/param_count.h),
// model_flops_per_token (core/model_flops.h) and the KV accounting (core/kv_accounting.h),
// so the diagram and the command can never disagree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/kv_accounting.h"
#include "core/model_config.h"

namespace tinyseek {

struct TensorInfo {
    std::string name;  // e.g. "model.layers.1.mlp.gate.weight"
    std::vector<int64_t> shape;
    int64_t numel = 0;
};

struct ModelPart {
    enum class Kind { embedding, attention, dense_mlp, moe, final_norm, head, mtp };
    Kind kind = Kind::embedding;
    int layer = -1;  // block index for attention / dense_mlp / moe; num_hidden_layers for mtp
    std::vector<TensorInfo> tensors;
    int64_t params = 0;
    // Parameters one token uses: all but the routed experts, plus K of them (MoE parts).
    int64_t active_params = 0;
    // KV cache per token this part keeps (attention parts; the MTP module's only when it
    // drafts in speculative decoding), in the structure's dtype.
    int64_t kv_bytes_per_token = 0;
};

struct ModelStructure {
    std::vector<ModelPart> parts;
    int64_t total_params = 0;      // everything saved (= count_params().total)
    int64_t main_params = 0;       // without the MTP module
    int64_t active_per_token = 0;  // main model (= count_params().active_per_token)
    int seq_len = 0;
    double forward_flops_per_token = 0;   // model_flops_per_token(config, seq_len), MTP included
    double training_flops_per_token = 0;  // 3 x forward
    KvScheme scheme = KvScheme::mla;      // the cache this model's attention keeps
    KvDtype dtype = KvDtype::bf16;
    int64_t kv_bytes_per_token = 0;  // all main layers (MTP not counted, as kv-report)
};

// `seq_len` <= 0: max_position_embeddings. Throws ConfigError for an invalid config.
ModelStructure model_structure(const ModelConfig& config, int seq_len = 0,
                               KvDtype dtype = KvDtype::bf16);

const char* to_string(ModelPart::Kind kind);

}  // namespace tinyseek
