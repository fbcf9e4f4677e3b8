// The single-precision GEMMs of the linear layers (core/linear.h): y = x W^T, dx += dy W and
// dW += dy^T x, on the calling thread.
//
// Why not Eigen here: Eigen's AVX-512 kernel keeps a 48 x 4 block of C in 12 registers and
// packs both operands on every call; on this model's shapes (thousands of rows, 32 to 384
// columns, k of 32 to 4,096) it reaches 55-70% of one core's FMA peak. The kernel here keeps
// a 12 x 32 block of C (or 24 x 16 for a last narrow panel) in 24 of the 32 vector registers,
// reads A by broadcasts straight from the caller's rows or columns and B by rows: B that
// several row blocks read is copied to panels of 32 contiguous columns first, the forward's
// W^T transposed on the way (out x in floats, a small cost against 2 n in out FLOPs). It
// measured 1.3-1.6x Eigen on the model's shapes (bench/gemm.cpp, docs/ARCHITECTURE.md
// "GEMM").
//
// Every element of C is one sum in order of k (blocks of 256 added in order): the result does
// not depend on how rows are split across threads or shards, nor on buffer alignment. It
// differs from Eigen's in rounding only.
//
// The AVX-512 kernel is compiled for AVX-512F whatever -march says and chosen at run time;
// machines without AVX-512 get Eigen (sgemm_kernel_name() says which).
#pragma once

namespace tinyseek {

// y (n, out) (+)= x (n, in) W^T, W (out, in); row strides ldx, ldy (elements).
void sgemm_xwt(float* y, long ldy, const float* x, long ldx, const float* w, int n, int in, int out,
               bool accumulate);

// dx (n, in) (+)= dy (n, out) W, W (out, in); row strides lddx, lddy.
void sgemm_dy_w(float* dx, long lddx, const float* dy, long lddy, const float* w, int n, int in,
                int out, bool accumulate);

// dW (out, in) += dy^T x: dy (n, out) with row stride lddy (a column slice of a wider dy is
// fine), x (n, in), dW rows of `in` elements.
void sgemm_dyt_x(float* dw, const float* dy, long lddy, const float* x, int n, int in, int out);

// The strided product under the functions above, for callers with their own layouts (the
// causal attention): C (m, n) (+)= A (m, k) B (k, n), a(i, p) = a[i * a_row_stride + p *
// a_col_stride], B and C row-major with row strides ldb and ldc (with b_transposed, b holds
// B^T row-major: b(p, j) = b[j * ldb + p]). `triangle` skips the zero half
// of a causal product:
//   lower_left  A is lower triangular (a(i, p) = 0 for p > i): k runs to the row block's end;
//   upper_left  A is upper triangular (a(i, p) = 0 for p < i): k runs from the block's start;
//   lower_out   only C's lower triangle is wanted: columns stop at the row block's end, and
//               the entries above the diagonal inside that last panel are written with
//               whatever the full product gives there (the caller overwrites them).
// The triangular modes need A's zero half to hold zeros inside the diagonal blocks.
// AVX-512 only: call it when sgemm_native_available().
enum class SgemmTriangle { none, lower_left, upper_left, lower_out };
struct SgemmStrided {
    int m = 0, n = 0, k = 0;
    const float* a = nullptr;
    long a_row_stride = 0, a_col_stride = 0;
    const float* b = nullptr;
    long ldb = 0;
    bool b_transposed = false;
    float* c = nullptr;
    long ldc = 0;
    bool accumulate = false;
    SgemmTriangle triangle = SgemmTriangle::none;
};
void sgemm_strided(const SgemmStrided& g);
bool sgemm_native_available();

// "avx512" or "eigen": the kernel these functions run now.
const char* sgemm_kernel_name();

// Benchmarks and tests: run Eigen even where the AVX-512 kernel could (the control a speed-up
// is measured against). Process-wide; not while a GEMM runs.
void sgemm_force_eigen(bool force);

}  // namespace tinyseek
