#include "core/rmsnorm.h"

#include <cmath>
#include <cstddef>

namespace tinyseek {

template <typename T>
void rmsnorm_forward(T* out, T* rstd, const T* x, const T* w, int n, int c, T eps, int x_stride) {
    for (int r = 0; r < n; ++r) {
        const T* xr = x + static_cast<size_t>(r) * x_stride;
        T* yr = out + static_cast<size_t>(r) * c;
        T ss = 0;
        for (int j = 0; j < c; ++j) ss += xr[j] * xr[j];
        const T s = T(1) / std::sqrt(ss / T(c) + eps);
        if (rstd) rstd[r] = s;
        for (int j = 0; j < c; ++j) yr[j] = xr[j] * s * w[j];
    }
}

template <typename T>
void rmsnorm_backward(T* dx, T* dw, const T* dout, const T* x, const T* w, const T* rstd, int n,
                      int c, int x_stride) {
    for (int r = 0; r < n; ++r) {
        const T* xr = x + static_cast<size_t>(r) * x_stride;
        const T* dyr = dout + static_cast<size_t>(r) * c;
        const T s = rstd[r];
        if (dw)
            for (int j = 0; j < c; ++j) dw[j] += dyr[j] * xr[j] * s;
        if (!dx) continue;
        // y_j = w_j x_j s with s = (mean(x^2) + eps)^(-1/2), ds/dx_k = -s^3 x_k / c, so with
        // g = dy * w:  dx_k = s g_k - s^3 x_k (sum_j g_j x_j) / c.
        T gx = 0;
        for (int j = 0; j < c; ++j) gx += dyr[j] * w[j] * xr[j];
        const T k = s * s * s * gx / T(c);
        T* dxr = dx + static_cast<size_t>(r) * x_stride;
        for (int j = 0; j < c; ++j) dxr[j] += s * dyr[j] * w[j] - k * xr[j];
    }
}

template void rmsnorm_forward<float>(float*, float*, const float*, const float*, int, int, float,
                                     int);
template void rmsnorm_forward<double>(double*, double*, const double*, const double*, int, int,
                                      double, int);
template void rmsnorm_backward<float>(float*, float*, const float*, const float*, const float*,
                                      const float*, int, int, int);
template void rmsnorm_backward<double>(double*, double*, const double*, const double*,
                                       const double*, const double*, int, int, int);

}  // namespace tinyseek
