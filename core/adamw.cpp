#include "core/adamw.h"

#include "core/bf16.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
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

void AdamW::step(ParamStore& params, const ParamStore& grads, float lr) {
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
            m[i] = beta1 * m[i] + (1.0f - beta1) * g[i];
            v[i] = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
            if (bf16) {
                m[i] = round_to_bf16(m[i]);
                v[i] = round_to_bf16(v[i]);
            }
            // decoupled decay: p <- p - lr*wd*p - lr_t * m / (sqrt(v) + eps)
            p[i] = p[i] * decay - step_size * m[i] / (std::sqrt(v[i]) + eps);
        }
    }
}

namespace {

// Sum of squares of g[begin, end) in double, in eight interleaved partial sums: the compiler may
// vectorise them without reordering anything, and the result depends only on the range.
double sum_of_squares(const float* g, int64_t begin, int64_t end) {
    double lanes[8] = {};
    int64_t i = begin;
    for (; i + 8 <= end; i += 8)
        for (int l = 0; l < 8; ++l) lanes[l] += static_cast<double>(g[i + l]) * g[i + l];
    double sum = 0;
    for (; i < end; ++i) sum += static_cast<double>(g[i]) * g[i];
    for (double lane : lanes) sum += lane;
    return sum;
}

}  // namespace

float clip_grad_norm(ParamStore& grads, float max_norm) {
    const std::vector<TensorSpec>& tensors = grads.layout().tensors();
    float* g = grads.data().data();
    // One parallel region: each thread sums its contiguous share of every tensor, one thread
    // adds the shares in thread order (so the norm depends on the thread count only), and each
    // thread scales its own shares. A non-finite norm scales nothing and throws below.
    const int threads = std::max(1, omp_get_max_threads());
    std::vector<double> share(tensors.size() * static_cast<size_t>(threads), 0.0);
    auto tensor_sum = [&](size_t t) {
        double part = 0;
        for (int id = 0; id < threads; ++id) part += share[t * threads + id];
        return part;
    };
    double sum = 0;
#pragma omp parallel num_threads(threads)
    {
        const int64_t id = omp_get_thread_num(), n = omp_get_num_threads();
        auto own = [&](const TensorSpec& t) {
            const int64_t offset = static_cast<int64_t>(t.offset);
            const int64_t numel = static_cast<int64_t>(t.numel);
            return std::pair{offset + numel * id / n, offset + numel * (id + 1) / n};
        };
        for (size_t t = 0; t < tensors.size(); ++t) {
            if (!tensors[t].trainable) continue;
            const auto [begin, end] = own(tensors[t]);
            share[t * threads + id] = sum_of_squares(g, begin, end);
        }
#pragma omp barrier
#pragma omp single
        for (size_t t = 0; t < tensors.size(); ++t) sum += tensor_sum(t);
        const double norm = std::sqrt(sum);
        if (max_norm > 0 && std::isfinite(norm) && norm > max_norm) {
            const float scale = static_cast<float>(max_norm / norm);
            for (const TensorSpec& t : tensors) {
                if (!t.trainable) continue;
                const auto [begin, end] = own(t);
                for (int64_t i = begin; i < end; ++i) g[i] *= scale;
            }
        }
    }
    const double norm = std::sqrt(sum);
    if (!std::isfinite(norm)) {
        for (size_t t = 0; t < tensors.size(); ++t)
            if (!std::isfinite(tensor_sum(t)))
                throw NumericError("gradient of '" + tensors[t].name + "' contains NaN or Inf");
        throw NumericError("gradient norm overflowed (" + std::to_string(norm) + ")");
    }
    return static_cast<float>(norm);
}

}  // namespace tinyseek
