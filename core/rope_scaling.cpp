#include "core/rope_scaling.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace tinyseek {

bool yarn_active(const ModelConfig& c) {
    return c.rope_scaling &&
           c.max_position_embeddings > c.rope_scaling->original_max_position_embeddings;
}

std::vector<double> rope_frequencies(const ModelConfig& c) {
    const int dim = c.qk_rope_head_dim;
    const double base = c.rope_theta;
    std::vector<double> omega(dim / 2);
    for (int i = 0; i < dim / 2; ++i) omega[i] = std::pow(base, -2.0 * i / dim);
    if (!yarn_active(c)) return omega;

    const YarnScaling& y = *c.rope_scaling;
    const auto correction_dim = [&](double rotations) {
        return dim *
               std::log(y.original_max_position_embeddings / (rotations * 2.0 * std::numbers::pi)) /
               (2.0 * std::log(base));
    };
    const double low = std::max(std::floor(correction_dim(y.beta_fast)), 0.0);
    double high = std::min(std::ceil(correction_dim(y.beta_slow)), static_cast<double>(dim - 1));
    if (low == high) high += 0.001;  // as the reference: no division by zero
    for (int i = 0; i < dim / 2; ++i) {
        const double ramp = std::clamp((i - low) / (high - low), 0.0, 1.0);
        omega[i] = omega[i] / y.factor * ramp + omega[i] * (1.0 - ramp);
    }
    return omega;
}

double attention_softmax_scale(const ModelConfig& c) {
    double scale = 1.0 / std::sqrt(static_cast<double>(c.qk_head_dim()));
    if (yarn_active(c)) {
        const double mscale =
            0.1 * c.rope_scaling->mscale_all_dim * std::log(c.rope_scaling->factor) + 1.0;
        scale *= mscale * mscale;
    }
    return scale;
}

}  // namespace tinyseek
