#include "core/param_store.h"

#include <cmath>
#include <random>

namespace tinyseek {

namespace {
std::pair<Eigen::Index, Eigen::Index> matrix_shape(const TensorSpec& t) {
    if (t.shape.size() == 2) return {t.shape[0], t.shape[1]};
    return {1, static_cast<Eigen::Index>(t.numel)};
}

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

MatrixMap ParamStore::mat(std::string_view name) {
    const TensorSpec& t = layout_.at(name);
    auto [r, c] = matrix_shape(t);
    return MatrixMap(data_.data() + t.offset, r, c);
}

ConstMatrixMap ParamStore::mat(std::string_view name) const {
    const TensorSpec& t = layout_.at(name);
    auto [r, c] = matrix_shape(t);
    return ConstMatrixMap(data_.data() + t.offset, r, c);
}

void init_params(ParamStore& params, uint64_t seed, float std) {
    std::mt19937_64 rng(seed);
    const float residual_scale = 1.0f / std::sqrt(2.0f * params.config().num_blocks());
    for (const TensorSpec& t : params.layout().tensors()) {
        float* p = params.data().data() + t.offset;
        if (t.shape.size() == 1) {
            const bool is_bias = ends_with(t.name, "e_score_correction_bias");
            std::fill(p, p + t.numel, is_bias ? 0.0f : 1.0f);
            continue;
        }
        const bool residual =
            ends_with(t.name, "o_proj.weight") || ends_with(t.name, "down_proj.weight");
        std::normal_distribution<float> normal(0.0f, residual ? std * residual_scale : std);
        for (size_t i = 0; i < t.numel; ++i) p[i] = normal(rng);
    }
}

void ParamStore::set_zero() {
    float* d = data_.data();
    const std::int64_t n = static_cast<std::int64_t>(data_.size());
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < n; ++i) d[i] = 0.0f;
}

}  // namespace tinyseek
