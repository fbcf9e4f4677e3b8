#include "core/swiglu.h"

#include <cstddef>

#include "core/eigen.h"

namespace tinyseek {

namespace {
template <typename T>
using Row = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <typename T>
using ConstRow = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;
}  // namespace

template <typename T>
void swiglu_forward(T* h, const T* gu, int n, int f) {
    for (int r = 0; r < n; ++r) {
        ConstRow<T> g(gu + static_cast<size_t>(r) * 2 * f, f);
        ConstRow<T> u(gu + static_cast<size_t>(r) * 2 * f + f, f);
        Row<T>(h + static_cast<size_t>(r) * f, f) = g * u / (T(1) + (-g).exp());
    }
}

template <typename T>
void swiglu_backward(T* dgu, const T* dh, const T* gu, int n, int f) {
    for (int r = 0; r < n; ++r) {
        ConstRow<T> g(gu + static_cast<size_t>(r) * 2 * f, f);
        ConstRow<T> u(gu + static_cast<size_t>(r) * 2 * f + f, f);
        ConstRow<T> d(dh + static_cast<size_t>(r) * f, f);
        Row<T> dg(dgu + static_cast<size_t>(r) * 2 * f, f);
        Row<T> du(dgu + static_cast<size_t>(r) * 2 * f + f, f);
        const auto sig = T(1) / (T(1) + (-g).exp());
        du = d * g * sig;
        dg = d * u * sig * (T(1) + g * (T(1) - sig));
    }
}

template void swiglu_forward<float>(float*, const float*, int, int);
template void swiglu_forward<double>(double*, const double*, int, int);
template void swiglu_backward<float>(float*, const float*, const float*, int, int);
template void swiglu_backward<double>(double*, const double*, const double*, int, int);

}  // namespace tinyseek
