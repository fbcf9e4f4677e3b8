#include "core/fp8_memory.h"

#include <nlohmann/json.hpp>

#include "core/param_layout.h"

namespace tinyseek {

namespace {

std::int64_t blocks(std::int64_t n) {
    return (n + kFp8WeightBlock - 1) / kFp8WeightBlock;
}

}  // namespace

bool fp8_is_gemm_weight(const std::string& name, const std::vector<std::int64_t>& shape) {
    if (shape.size() != 2) return false;
    return !name_contains(name, "embed_tokens") && !name_contains(name, "lm_head") &&
           !name_contains(name, "mlp.gate.weight");
}

Fp8ParamSplit fp8_param_split(const ModelConfig& config) {
    Fp8ParamSplit s;
    const ParamLayout layout(config);
    for (const TensorSpec& t : layout.tensors()) {
        const auto n = std::int64_t(t.numel);
        s.total += n;
        if (t.trainable) s.trainable += n;
        if (fp8_is_gemm_weight(t.name, t.shape)) {
            s.gemm_weights += n;
            s.weight_scales += blocks(t.shape[0]) * blocks(t.shape[1]);
        }
    }
    s.other_weights = s.total - s.gemm_weights;
    return s;
}

double MemoryRecipe::total() const {
    return weights + weight_scales + master_weights + gradients + adam_m + adam_v;
}

nlohmann::json MemoryRecipe::to_json() const {
    return {{"recipe", name},
            {"weights", weights},
            {"weight_scales", weight_scales},
            {"master_weights", master_weights},
            {"gradients", gradients},
            {"adam_m", adam_m},
            {"adam_v", adam_v},
            {"total", total()}};
}

nlohmann::json Fp8MemoryResult::to_json() const {
    nlohmann::json j{{"computed_not_measured", true},
                     {"params",
                      {{"total", params.total},
                       {"trainable", params.trainable},
                       {"gemm_weights", params.gemm_weights},
                       {"other_weights", params.other_weights},
                       {"weight_scales", params.weight_scales}}},
                     {"recipes", nlohmann::json::array()}};
    for (const MemoryRecipe& r : recipes) {
        nlohmann::json row = r.to_json();
        row["bytes_per_param"] = r.total() / double(params.total);
        j["recipes"].push_back(row);
    }
    return j;
}

Fp8MemoryResult fp8_training_memory(const ModelConfig& config) {
    Fp8MemoryResult r;
    r.params = fp8_param_split(config);
    const auto& p = r.params;
    const double all = double(p.total), train = double(p.trainable);
    r.recipes.push_back({"fp32", 4 * all, 0, 0, 4 * train, 4 * train, 4 * train});
    r.recipes.push_back({"bf16", 2 * all, 0, 4 * train, 2 * train, 4 * train, 4 * train});
    r.recipes.push_back({"fp8", 1.0 * double(p.gemm_weights) + 2.0 * double(p.other_weights),
                         4.0 * double(p.weight_scales), 4 * train, 4 * train, 2 * train,
                         2 * train});
    return r;
}

}  // namespace tinyseek
