// RMSNorm over the last dimension of (n, c) rows:
//   y = x * rstd * w,   rstd = 1 / sqrt(mean_j(x_j^2) + eps)        (Zhang & Sennrich 2019)
// Rows may be strided (e.g. the c_KV part of MLA's [c_KV | k_rope] rows); outputs are
// contiguous (n, c).
#pragma once

namespace tinyseek {

// out (n, c) = rmsnorm(x) * w. rstd (n) receives 1/rms per row for the backward; it may be
// null for inference. Row r of x starts at x + r * x_stride.
template <typename T>
void rmsnorm_forward(T* out, T* rstd, const T* x, const T* w, int n, int c, T eps, int x_stride);

template <typename T>
void rmsnorm_forward(T* out, T* rstd, const T* x, const T* w, int n, int c, T eps) {
    rmsnorm_forward(out, rstd, x, w, n, c, eps, c);
}

// Backward given the forward's x and rstd: dx += dL/dx (dx strided like x), dw += dL/dw.
// dx or dw may be null.
template <typename T>
void rmsnorm_backward(T* dx, T* dw, const T* dout, const T* x, const T* w, const T* rstd, int n,
                      int c, int x_stride);

template <typename T>
void rmsnorm_backward(T* dx, T* dw, const T* dout, const T* x, const T* w, const T* rstd, int n,
                      int c) {
    rmsnorm_backward(dx, dw, dout, x, w, rstd, n, c, c);
}

}  // namespace tinyseek
