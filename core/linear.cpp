#include "core/linear.h"

#include <algorithm>
#include <type_traits>

#include <omp.h>

#include "core/fp8_training.h"
#include "core/sgemm.h"

namespace tinyseek {

namespace {

// [begin, end) of block `part` when `total` items are split into `parts` near-equal blocks.
std::pair<int, int> split_range(int total, int parts, int part) {
    const int base = total / parts;
    const int extra = total % parts;
    const int begin = part * base + std::min(part, extra);
    return {begin, begin + base + (part < extra ? 1 : 0)};
}

}  // namespace

template <typename T>
void linear_forward(T* y, const T* x, const T* w, int n, int in, int out, bool accumulate,
                    const Fp8TrainingRecipe* fp8) {
    if (n == 0) return;
    if constexpr (std::is_same_v<T, float>) {
        if (fp8) return fp8_linear_forward(*fp8, y, x, w, n, in, out, accumulate);
        return sgemm_xwt(y, out, x, in, w, n, in, out, accumulate);
    }
    MatMap<T> Y(y, n, out);
    ConstMatMap<T> X(x, n, in);
    ConstMatMap<T> W(w, out, in);
    if (accumulate)
        Y.noalias() += X * W.transpose();
    else
        Y.noalias() = X * W.transpose();
}

template <typename T>
void linear_backward(T* dx, T* dw, const T* dy, const T* x, const T* w, int n, int in, int out,
                     const Fp8TrainingRecipe* fp8, GradWrite dx_write) {
    const bool overwrite = dx_write == GradWrite::overwrite;
    if (n == 0) return;
    if constexpr (std::is_same_v<T, float>) {
        if (fp8) {
            if (dx && overwrite) std::fill_n(dx, static_cast<size_t>(n) * in, 0.0f);
            return fp8_linear_backward(*fp8, dx, dw, dy, x, w, n, in, out);
        }
        if (dx) sgemm_dy_w(dx, in, dy, out, w, n, in, out, !overwrite);
        if (dw) sgemm_dyt_x(dw, dy, out, x, n, in, out);
        return;
    }
    ConstMatMap<T> dY(dy, n, out);
    if (dx) {
        // y = x W^T  =>  dL/dx = dL/dy W
        if (overwrite)
            MatMap<T>(dx, n, in).noalias() = dY * ConstMatMap<T>(w, out, in);
        else
            MatMap<T>(dx, n, in).noalias() += dY * ConstMatMap<T>(w, out, in);
    }
    if (dw) {
        // y_ro = sum_i x_ri W_oi  =>  dL/dW_oi = sum_r dy_ro x_ri, i.e. dW = dy^T x
        MatMap<T>(dw, out, in).noalias() += dY.transpose() * ConstMatMap<T>(x, n, in);
    }
}

template <typename T>
void linear_forward_parallel(T* y, const T* x, const T* w, int n, int in, int out,
                             bool accumulate) {
#pragma omp parallel
    {
        const auto [r0, r1] = split_range(n, omp_get_num_threads(), omp_get_thread_num());
        linear_forward(y + static_cast<size_t>(r0) * out, x + static_cast<size_t>(r0) * in, w,
                       r1 - r0, in, out, accumulate);
    }
}

template <typename T>
void linear_backward_parallel(T* dx, T* dw, const T* dy, const T* x, const T* w, int n, int in,
                              int out) {
#pragma omp parallel
    {
        const int parts = omp_get_num_threads();
        const int part = omp_get_thread_num();
        if (dx) {
            const auto [r0, r1] = split_range(n, parts, part);
            linear_backward(dx + static_cast<size_t>(r0) * in, static_cast<T*>(nullptr),
                            dy + static_cast<size_t>(r0) * out, x, w, r1 - r0, in, out);
        }
        if (dw) {
            // dW[o0:o1, :] += dy[:, o0:o1]^T x
            const auto [o0, o1] = split_range(out, parts, part);
            if constexpr (std::is_same_v<T, float>) {
                sgemm_dyt_x(dw + static_cast<size_t>(o0) * in, dy + o0, out, x, n, in, o1 - o0);
            } else if (o1 > o0 && n > 0) {
                ConstStridedMap<T> dY(dy + o0, n, o1 - o0, Eigen::OuterStride<>(out));
                MatMap<T>(dw + static_cast<size_t>(o0) * in, o1 - o0, in).noalias() +=
                    dY.transpose() * ConstMatMap<T>(x, n, in);
            }
        }
    }
}

#define TINYSEEK_INSTANTIATE(T)                                                            \
    template void linear_forward<T>(T*, const T*, const T*, int, int, int, bool,           \
                                    const Fp8TrainingRecipe*);                             \
    template void linear_backward<T>(T*, T*, const T*, const T*, const T*, int, int, int,  \
                                     const Fp8TrainingRecipe*, GradWrite);                 \
    template void linear_forward_parallel<T>(T*, const T*, const T*, int, int, int, bool); \
    template void linear_backward_parallel<T>(T*, T*, const T*, const T*, const T*, int, int, int);
TINYSEEK_INSTANTIATE(float)
TINYSEEK_INSTANTIATE(double)
#undef TINYSEEK_INSTANTIATE

}  // namespace tinyseek
