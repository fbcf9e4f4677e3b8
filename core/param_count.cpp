#include "core/param_count.h"

#include <cstdio>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/param_layout.h"

namespace tinyseek {

namespace {

bool contains(std::string_view s, std::string_view part) {
    return s.find(part) != std::string_view::npos;
}

// Block index of "model.layers.{i}.…", or -1 for tensors outside the blocks.
int block_of(std::string_view name) {
    constexpr std::string_view prefix = "model.layers.";
    if (name.substr(0, prefix.size()) != prefix) return -1;
    int layer = 0;
    for (size_t i = prefix.size(); i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i)
        layer = layer * 10 + (name[i] - '0');
    return layer;
}

}  // namespace

std::vector<std::pair<std::string, int64_t>> ParamCounts::groups() const {
    return {{"embedding", embedding},
            {"attention", attention},
            {"norms", norms},
            {"dense_mlp", dense_mlp},
            {"routed_experts", routed_experts},
            {"shared_experts", shared_experts},
            {"router", router},
            {"head", head},
            {"mtp", mtp}};
}

nlohmann::json ParamCounts::to_json() const {
    nlohmann::json g = nlohmann::json::object();
    for (const auto& [name, n] : groups()) g[name] = n;
    return {{"total", total},
            {"main_model", main_model},
            {"active_per_token", active_per_token},
            {"groups", g}};
}

ParamCounts count_params(const ModelConfig& config) {
    const ParamLayout layout(config);
    ParamCounts c;
    for (const TensorSpec& t : layout.tensors()) {
        const auto n = static_cast<int64_t>(t.numel);
        const std::string_view name = t.name;
        const int block = block_of(name);
        c.total += n;
        if (block >= config.num_hidden_layers)
            c.mtp += n;
        else if (name == "model.embed_tokens.weight")
            c.embedding += n;
        else if (name == "lm_head.weight")
            c.head += n;
        else if (contains(name, ".self_attn."))
            c.attention += n;
        else if (contains(name, "layernorm.weight") || name == "model.norm.weight")
            c.norms += n;
        else if (contains(name, ".mlp.experts."))
            c.routed_experts += n;
        else if (contains(name, ".mlp.shared_experts."))
            c.shared_experts += n;
        else if (contains(name, ".mlp.gate."))
            c.router += n;
        else
            c.dense_mlp += n;  // mlp.{gate,up,down}_proj of a dense layer
    }
    c.main_model = c.total - c.mtp;
    // Every MoE layer holds n_routed_experts equal experts; a token runs k of them.
    const int64_t E = config.n_routed_experts;
    const int64_t routed_used = E > 0 ? c.routed_experts / E * config.num_experts_per_tok : 0;
    c.active_per_token = c.main_model - c.routed_experts + routed_used;
    return c;
}

}  // namespace tinyseek
