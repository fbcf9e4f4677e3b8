#include "core/model_structure.h"

#include <algorithm>
#include <string>

#include "core/model_flops.h"
#include "core/param_count.h"
#include "core/param_layout.h"

namespace tinyseek {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// Block index of "model.layers.{l}.…", or -1.
int layer_of(const std::string& name) {
    const std::string prefix = "model.layers.";
    if (!starts_with(name, prefix)) return -1;
    return std::stoi(name.substr(prefix.size()));
}

ModelPart::Kind kind_of(const ModelConfig& c, const std::string& name, int layer) {
    if (layer >= c.num_hidden_layers) return ModelPart::Kind::mtp;
    if (layer >= 0) {
        const std::string rest = name.substr(layer_prefix(layer).size());
        if (starts_with(rest, "self_attn.") || starts_with(rest, "input_layernorm"))
            return ModelPart::Kind::attention;
        return layer < c.first_k_dense_replace ? ModelPart::Kind::dense_mlp : ModelPart::Kind::moe;
    }
    if (name == "model.embed_tokens.weight") return ModelPart::Kind::embedding;
    if (name == "model.norm.weight") return ModelPart::Kind::final_norm;
    return ModelPart::Kind::head;
}

// The part a tensor belongs to, in token order: parts are appended as their first tensor
// appears, and ParamLayout lists tensors by block, so only the head needs moving to the end
// of the main model (before the MTP module).
ModelPart& part_for(std::vector<ModelPart>& parts, ModelPart::Kind kind, int layer) {
    for (ModelPart& p : parts)
        if (p.kind == kind && p.layer == layer) return p;
    parts.push_back({kind, layer, {}, 0, 0, 0});
    return parts.back();
}

int64_t routed_params(const ModelPart& part) {
    int64_t n = 0;
    for (const TensorInfo& t : part.tensors)
        if (t.name.find(".mlp.experts.") != std::string::npos) n += t.numel;
    return n;
}

void order_in_token_path(std::vector<ModelPart>& parts) {
    const auto rank = [](const ModelPart& p) {
        switch (p.kind) {
            case ModelPart::Kind::embedding:
                return 0;
            case ModelPart::Kind::final_norm:
                return 2;
            case ModelPart::Kind::head:
                return 3;
            case ModelPart::Kind::mtp:
                return 4;
            default:
                return 1;  // blocks, in layout order
        }
    };
    std::stable_sort(parts.begin(), parts.end(),
                     [&](const ModelPart& a, const ModelPart& b) { return rank(a) < rank(b); });
}

}  // namespace

const char* to_string(ModelPart::Kind kind) {
    switch (kind) {
        case ModelPart::Kind::embedding:
            return "embedding";
        case ModelPart::Kind::attention:
            return "attention";
        case ModelPart::Kind::dense_mlp:
            return "dense_mlp";
        case ModelPart::Kind::moe:
            return "moe";
        case ModelPart::Kind::final_norm:
            return "final_norm";
        case ModelPart::Kind::head:
            return "head";
        case ModelPart::Kind::mtp:
            return "mtp";
    }
    return "?";
}

ModelStructure model_structure(const ModelConfig& c, int seq_len, KvDtype dtype) {
    c.validate("model config");
    ModelStructure s;
    const ParamLayout layout(c);
    for (const TensorSpec& t : layout.tensors()) {
        const int layer = layer_of(t.name);
        const ModelPart::Kind kind = kind_of(c, t.name, layer);
        ModelPart& part = part_for(s.parts, kind, layer);
        part.tensors.push_back({t.name, t.shape, static_cast<int64_t>(t.numel)});
        part.params += static_cast<int64_t>(t.numel);
    }
    order_in_token_path(s.parts);
    s.scheme = kv_scheme_of(c);
    s.dtype = dtype;
    const int64_t kv_layer = kv_bytes_per_token_per_layer(c, s.scheme, dtype);
    const int64_t E = c.n_routed_experts, K = c.num_experts_per_tok;
    for (ModelPart& p : s.parts) {
        const int64_t routed = routed_params(p);
        p.active_params = p.params - routed + (E > 0 ? routed / E * K : 0);
        if (p.kind == ModelPart::Kind::attention || p.kind == ModelPart::Kind::mtp)
            p.kv_bytes_per_token = kv_layer;
    }
    const ParamCounts counts = count_params(c);
    s.total_params = counts.total;
    s.main_params = counts.main_model;
    s.active_per_token = counts.active_per_token;
    s.seq_len = seq_len > 0 ? seq_len : c.max_position_embeddings;
    const FlopsPerToken flops = model_flops_per_token(c, s.seq_len);
    s.forward_flops_per_token = flops.forward;
    s.training_flops_per_token = flops.training;
    s.kv_bytes_per_token = kv_layer * kv_cached_layers(c);
    return s;
}

}  // namespace tinyseek
