#include "core/swiglu.h"

#include <algorithm>
#include <cstddef>

#include "core/eigen.h"

namespace tinyseek {

namespace {
// Rows are processed in chunks of up to 32 values held in fixed-capacity Eigen arrays (on the
// stack), so sigmoid(g) is computed once per element with Eigen's vectorised exp.
constexpr int kChunk = 32;
template <typename T>
using Chunk = Eigen::Array<T, Eigen::Dynamic, 1, 0, kChunk, 1>;
template <typename T>
using Span = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <typename T>
using ConstSpan = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;
}  // namespace

template <typename T>
void swiglu_forward(T* h, const T* gu, int n, int f) {
    for (int r = 0; r < n; ++r) {
        const T* gr = gu + static_cast<size_t>(r) * 2 * f;
        T* hr = h + static_cast<size_t>(r) * f;
        for (int j = 0; j < f; j += kChunk) {
            const int m = std::min(kChunk, f - j);
            const ConstSpan<T> g(gr + j, m), u(gr + f + j, m);
            Span<T>(hr + j, m) = g * u / (T(1) + (-g).exp());
        }
    }
}

template <typename T>
void swiglu_backward(T* dgu, const T* dh, const T* gu, int n, int f) {
    for (int r = 0; r < n; ++r) {
        const T* gr = gu + static_cast<size_t>(r) * 2 * f;
        const T* dr = dh + static_cast<size_t>(r) * f;
        T* dgr = dgu + static_cast<size_t>(r) * 2 * f;
        for (int j = 0; j < f; j += kChunk) {
            const int m = std::min(kChunk, f - j);
            const ConstSpan<T> g(gr + j, m), u(gr + f + j, m), d(dr + j, m);
            const Chunk<T> sig = (T(1) + (-g).exp()).inverse();
            Span<T>(dgr + f + j, m) = d * g * sig;                          // dup
            Span<T>(dgr + j, m) = d * u * sig * (T(1) + g * (T(1) - sig));  // dgate
        }
    }
}

template void swiglu_forward<float>(float*, const float*, int, int);
template void swiglu_forward<double>(double*, const double*, int, int);
template void swiglu_backward<float>(float*, const float*, const float*, int, int);
template void swiglu_backward<double>(double*, const double*, const double*, int, int);

}  // namespace tinyseek
