#include "core/grad_norm.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.h"

namespace tinyseek {

namespace {

// Thread `id` of `n`'s contiguous share of tensor t, in elements of the flat block.
std::pair<int64_t, int64_t> share_of(const TensorSpec& t, int64_t id, int64_t n) {
    const int64_t offset = static_cast<int64_t>(t.offset);
    const int64_t numel = static_cast<int64_t>(t.numel);
    return {offset + numel * id / n, offset + numel * (id + 1) / n};
}

// g[begin, end) += every block's elements, in block order (no blocks: nothing is written), and
// the sum of squares of the result in eight interleaved double lanes: the compiler vectorises
// the lanes without reordering anything, so the sum depends on the range only.
template <typename T>
double reduce_share(T* g, std::span<const T* const> blocks, int64_t begin, int64_t end) {
    double lanes[8] = {};
    int64_t i = begin;
    for (; i + 8 <= end; i += 8) {
        T s[8];
        for (int l = 0; l < 8; ++l) s[l] = g[i + l];
        for (const T* b : blocks)
            for (int l = 0; l < 8; ++l) s[l] += b[i + l];
        if (!blocks.empty())
            for (int l = 0; l < 8; ++l) g[i + l] = s[l];
        for (int l = 0; l < 8; ++l) lanes[l] += static_cast<double>(s[l]) * s[l];
    }
    double sum = 0;
    for (; i < end; ++i) {
        T s = g[i];
        for (const T* b : blocks) s += b[i];
        if (!blocks.empty()) g[i] = s;
        sum += static_cast<double>(s) * s;
    }
    for (double lane : lanes) sum += lane;
    return sum;
}

// The slow path of a non-finite norm: which tensor holds a NaN or Inf.
[[noreturn]] void throw_non_finite(const ParamStore& grads, double norm) {
    const float* g = grads.data().data();
    for (const TensorSpec& t : grads.layout().tensors()) {
        if (!t.trainable) continue;
        if (!std::all_of(g + t.offset, g + t.offset + t.numel,
                         [](float x) { return std::isfinite(x); }))
            throw NumericError("gradient of '" + t.name + "' contains NaN or Inf");
    }
    throw NumericError("gradient norm overflowed (" + std::to_string(norm) + ")");
}

}  // namespace

// Every tensor's shares reduced on their threads; the trainable ones' squares added tensor by
// tensor in thread order.
template <typename T>
double reduce_gradient_blocks(const ParamLayout& layout, T* g, std::span<const T* const> blocks) {
    const std::vector<TensorSpec>& tensors = layout.tensors();
    const int threads = std::max(1, omp_get_max_threads());
    std::vector<double> share(tensors.size() * static_cast<size_t>(threads), 0.0);
#pragma omp parallel num_threads(threads)
    {
        const int64_t id = omp_get_thread_num(), n = omp_get_num_threads();
        for (size_t t = 0; t < tensors.size(); ++t) {
            const auto [begin, end] = share_of(tensors[t], id, n);
            const double squares = reduce_share(g, blocks, begin, end);
            if (tensors[t].trainable) share[t * threads + id] = squares;
        }
    }
    double sum = 0;
    for (size_t t = 0; t < tensors.size(); ++t) {
        double part = 0;
        for (int id = 0; id < threads; ++id) part += share[t * threads + id];
        sum += part;
    }
    return sum;
}

template double reduce_gradient_blocks<float>(const ParamLayout&, float*,
                                              std::span<const float* const>);
template double reduce_gradient_blocks<double>(const ParamLayout&, double*,
                                               std::span<const double* const>);

double gradient_square_sum(const ParamStore& grads) {
    // With no blocks nothing is written: the const_cast only shares the one summation.
    return reduce_gradient_blocks(grads.layout(), const_cast<float*>(grads.data().data()),
                                  std::span<const float* const>{});
}

GradientClip gradient_clip(const ParamStore& grads, float max_norm,
                           std::optional<double> square_sum) {
    const double norm = std::sqrt(square_sum ? *square_sum : gradient_square_sum(grads));
    if (!std::isfinite(norm)) throw_non_finite(grads, norm);
    GradientClip clip{static_cast<float>(norm), 1.0f};
    if (max_norm > 0 && norm > max_norm) clip.scale = static_cast<float>(max_norm / norm);
    return clip;
}

float clip_grad_norm(ParamStore& grads, float max_norm) {
    const GradientClip clip = gradient_clip(grads, max_norm);
    if (clip.scale == 1.0f) return clip.norm;
    float* g = grads.data().data();
    const float scale = clip.scale;
#pragma omp parallel
    for (const TensorSpec& t : grads.layout().tensors()) {
        if (!t.trainable) continue;
        const int64_t begin = static_cast<int64_t>(t.offset);
        const int64_t end = begin + static_cast<int64_t>(t.numel);
#pragma omp for schedule(static) nowait
        for (int64_t i = begin; i < end; ++i) g[i] *= scale;
    }
    return clip.norm;
}

}  // namespace tinyseek
