#include "core/adamw.h"

#include "core/bf16.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/errors.h"

namespace tinyseek {

AdamW::AdamW(const ModelConfig& config, const AdamWConfig& hyper)
    : hyper_(hyper), m_(config), v_(config) {}

void AdamW::reset() {
    std::fill(m_.data().begin(), m_.data().end(), 0.0f);
    std::fill(v_.data().begin(), v_.data().end(), 0.0f);
    t_ = 0;
}

void AdamW::step(ParamStore& params, const ParamStore& grads, float lr, float grad_scale) {
    const size_t total = m_.layout().total_floats();
    if (params.layout().total_floats() != total || grads.layout().total_floats() != total)
        throw Error("AdamW: parameter/gradient blocks have " +
                    std::to_string(params.layout().total_floats()) + "/" +
                    std::to_string(grads.layout().total_floats()) + " floats, optimizer has " +
                    std::to_string(total));
    ++t_;
    const double b1 = hyper_.beta1, b2 = hyper_.beta2;
    // Bias corrections folded into the step size: lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t),
    // with eps scaled to match, which is m_hat / (sqrt(v_hat) + eps) exactly.
    const float c1 = static_cast<float>(1.0 - std::pow(b1, static_cast<double>(t_)));
    const float c2 = static_cast<float>(std::sqrt(1.0 - std::pow(b2, static_cast<double>(t_))));
    const float step_size = lr * c2 / c1;
    const float eps = hyper_.eps * c2;
    const float beta1 = hyper_.beta1, beta2 = hyper_.beta2;
    float* p = params.data().data();
    const float* g = grads.data().data();
    float* m = m_.data().data();
    float* v = v_.data().data();
    const std::vector<TensorSpec>& tensors = m_.layout().tensors();
    const float lr_wd = lr * hyper_.weight_decay;
    const bool bf16 = hyper_.bf16_moments;
    // One parallel region for the whole block; each tensor's elements are split statically.
#pragma omp parallel
    for (const TensorSpec& t : tensors) {
        if (!t.trainable) continue;
        const float decay = t.weight_decay ? 1.0f - lr_wd : 1.0f;
        const int64_t begin = static_cast<int64_t>(t.offset);
        const int64_t end = begin + static_cast<int64_t>(t.numel);
#pragma omp for schedule(static) nowait
        for (int64_t i = begin; i < end; ++i) {
            const float gi = g[i] * grad_scale;  // exact when 1: as if clipped in place
            m[i] = beta1 * m[i] + (1.0f - beta1) * gi;
            v[i] = beta2 * v[i] + (1.0f - beta2) * gi * gi;
            if (bf16) {
                m[i] = round_to_bf16(m[i]);
                v[i] = round_to_bf16(v[i]);
            }
            // decoupled decay: p <- p - lr*wd*p - lr_t * m / (sqrt(v) + eps)
            p[i] = p[i] * decay - step_size * m[i] / (std::sqrt(v[i]) + eps);
        }
    }
}

}  // namespace tinyseek
