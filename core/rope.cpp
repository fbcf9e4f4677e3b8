#include "core/rope.h"

#include <cmath>
#include <string>

#include "core/errors.h"

namespace tinyseek {

namespace {

std::vector<double> plain_frequencies(int dim, double theta) {
    if (dim <= 0 || dim % 2 != 0)
        throw Error("RopeTable: rope dim must be even and > 0, got " + std::to_string(dim));
    std::vector<double> f(dim / 2);
    for (int i = 0; i < dim / 2; ++i) f[i] = std::pow(theta, -2.0 * i / dim);
    return f;
}

}  // namespace

template <typename T>
RopeTable<T>::RopeTable(int dim, int max_positions, double theta)
    : RopeTable(max_positions, plain_frequencies(dim, theta)) {}

template <typename T>
RopeTable<T>::RopeTable(int max_positions, const std::vector<double>& frequencies)
    : dim_(static_cast<int>(frequencies.size()) * 2), max_positions_(max_positions) {
    if (frequencies.empty()) throw Error("RopeTable: no frequencies (rope dim 0)");
    const int half = dim_ / 2;
    cos_.resize(static_cast<size_t>(max_positions) * half);
    sin_.resize(cos_.size());
    for (int p = 0; p < max_positions; ++p) {
        for (int i = 0; i < half; ++i) {
            const double angle = p * frequencies[i];
            cos_[static_cast<size_t>(p) * half + i] = static_cast<T>(std::cos(angle));
            sin_[static_cast<size_t>(p) * half + i] = static_cast<T>(std::sin(angle));
        }
    }
}

namespace {

// sign = +1 rotates by +a (forward), -1 by -a (backward).
template <typename T>
void rotate(T* x, const RopeTable<T>& table, const int* positions, int n, int heads, int row_stride,
            int head_stride, T sign) {
    const int half = table.dim() / 2;
    for (int r = 0; r < n; ++r) {
        const int p = positions[r];
        if (p < 0 || p >= table.max_positions())
            throw Error("RoPE: position " + std::to_string(p) + " outside [0, " +
                        std::to_string(table.max_positions()) + ") (max_position_embeddings)");
        const T* c = table.cos_row(p);
        const T* s = table.sin_row(p);
        for (int h = 0; h < heads; ++h) {
            T* v = x + static_cast<size_t>(r) * row_stride + static_cast<size_t>(h) * head_stride;
            for (int i = 0; i < half; ++i) {
                const T x0 = v[2 * i];
                const T x1 = v[2 * i + 1];
                const T si = sign * s[i];
                v[2 * i] = x0 * c[i] - x1 * si;
                v[2 * i + 1] = x0 * si + x1 * c[i];
            }
        }
    }
}

}  // namespace

template <typename T>
void rope_forward(T* x, const RopeTable<T>& table, const int* positions, int n, int heads,
                  int row_stride, int head_stride) {
    rotate(x, table, positions, n, heads, row_stride, head_stride, T(1));
}

template <typename T>
void rope_backward(T* dx, const RopeTable<T>& table, const int* positions, int n, int heads,
                   int row_stride, int head_stride) {
    rotate(dx, table, positions, n, heads, row_stride, head_stride, T(-1));
}

template class RopeTable<float>;
template class RopeTable<double>;
template void rope_forward<float>(float*, const RopeTable<float>&, const int*, int, int, int, int);
template void rope_forward<double>(double*, const RopeTable<double>&, const int*, int, int, int,
                                   int);
template void rope_backward<float>(float*, const RopeTable<float>&, const int*, int, int, int, int);
template void rope_backward<double>(double*, const RopeTable<double>&, const int*, int, int, int,
                                    int);

}  // namespace tinyseek
