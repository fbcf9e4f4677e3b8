#include "core/decode_gemm.h"

#include <algorithm>
#include <cstring>
#include <utility>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace tinyseek {

void PackedMatrix::resize(int out, int in) {
    out_ = out;
    in_ = in;
    const size_t n = static_cast<size_t>(panels()) * in * kPanel;
    if (data_.size() < n) data_.resize(n);
    // Zero the padding features of the last panel (they are multiplied, never stored).
    if (out % kPanel != 0) {
        float* last = data_.data() + static_cast<size_t>(panels() - 1) * in * kPanel;
        for (int k = 0; k < in; ++k)
            std::fill(last + k * kPanel + out % kPanel, last + (k + 1) * kPanel, 0.0f);
    }
}

void PackedMatrix::set_rows(int row0, const float* w, int rows, int ld) {
    for (int j = 0; j < rows; ++j) {
        const int o = row0 + j;
        float* dst = data_.data() + static_cast<size_t>(o / kPanel) * in_ * kPanel + o % kPanel;
        const float* src = w + static_cast<size_t>(j) * ld;
        for (int k = 0; k < in_; ++k) dst[k * kPanel] = src[k];
    }
}

void PackedMatrix::set_rows_transposed(int row0, const float* s, int rows, int ld) {
    for (int k = 0; k < in_; ++k) {
        const float* src = s + static_cast<size_t>(k) * ld;
        for (int j = 0; j < rows; ++j) {
            const int o = row0 + j;
            data_[(static_cast<size_t>(o / kPanel) * in_ + k) * kPanel + o % kPanel] = src[j];
        }
    }
}

namespace {

constexpr int kMaxRows = 8;    // rows per register block
constexpr int kMaxPanels = 2;  // panels per register block: 8 x 2 accumulators

// y rows [0, MR) x panels [0, NP) of the block; `valid` = features stored of the last panel.
template <int MR, int NP>
void micro_kernel(float* y, int ldy, const float* x, int ldx, const float* b, size_t pstride,
                  int in, int valid, bool accumulate) {
    constexpr int P = PackedMatrix::kPanel;
#if defined(__AVX512F__)
    __m512 c[MR][NP];
    for (int r = 0; r < MR; ++r)
        for (int p = 0; p < NP; ++p) c[r][p] = _mm512_setzero_ps();
    for (int k = 0; k < in; ++k) {
        __m512 bv[NP];
        for (int p = 0; p < NP; ++p) bv[p] = _mm512_load_ps(b + p * pstride + k * P);
        for (int r = 0; r < MR; ++r) {
            const __m512 a = _mm512_set1_ps(x[static_cast<size_t>(r) * ldx + k]);
            for (int p = 0; p < NP; ++p) c[r][p] = _mm512_fmadd_ps(a, bv[p], c[r][p]);
        }
    }
    for (int r = 0; r < MR; ++r)
        for (int p = 0; p < NP; ++p) {
            float* yp = y + static_cast<size_t>(r) * ldy + p * P;
            const int cols = p == NP - 1 ? valid : P;
            const __mmask16 m = static_cast<__mmask16>((1u << cols) - 1u);
            __m512 v = c[r][p];
            if (accumulate) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, yp));
            _mm512_mask_storeu_ps(yp, m, v);
        }
#else
    // Portable path: the same order of operations, left to the auto-vectoriser.
    float c[MR][NP][P] = {};
    for (int k = 0; k < in; ++k)
        for (int r = 0; r < MR; ++r) {
            const float a = x[static_cast<size_t>(r) * ldx + k];
            for (int p = 0; p < NP; ++p)
                for (int j = 0; j < P; ++j) c[r][p][j] += a * b[p * pstride + k * P + j];
        }
    for (int r = 0; r < MR; ++r)
        for (int p = 0; p < NP; ++p) {
            float* yp = y + static_cast<size_t>(r) * ldy + p * P;
            const int cols = p == NP - 1 ? valid : P;
            for (int j = 0; j < cols; ++j) yp[j] = (accumulate ? yp[j] : 0.0f) + c[r][p][j];
        }
#endif
}

using Kernel = void (*)(float*, int, const float*, int, const float*, size_t, int, int, bool);

template <int... R>
constexpr auto make_table(std::integer_sequence<int, R...>) {
    struct Table {
        Kernel k[kMaxRows][kMaxPanels];
    } t{};
    ((t.k[R][0] = &micro_kernel<R + 1, 1>, t.k[R][1] = &micro_kernel<R + 1, 2>), ...);
    return t;
}
constexpr auto kKernels = make_table(std::make_integer_sequence<int, kMaxRows>{});

}  // namespace

void packed_gemm(float* y, int ldy, const float* x, int ldx, int n, const PackedMatrix& w, int p0,
                 int p1, bool accumulate) {
    constexpr int P = PackedMatrix::kPanel;
    const size_t pstride = static_cast<size_t>(w.in()) * P;
    for (int p = p0; p < p1; p += kMaxPanels) {
        const int np = std::min(kMaxPanels, p1 - p);
        const int valid = std::min(P, w.out() - (p + np - 1) * P);
        const float* b = w.panel(p);
        float* yb = y + p * P;
        // The panel pair (in x 32 floats) stays in L1/L2 while the row blocks stream by.
        for (int r = 0; r < n; r += kMaxRows) {
            const int mr = std::min(kMaxRows, n - r);
            kKernels.k[mr - 1][np - 1](yb + static_cast<size_t>(r) * ldy, ldy,
                                       x + static_cast<size_t>(r) * ldx, ldx, b, pstride, w.in(),
                                       valid, accumulate);
        }
    }
}

}  // namespace tinyseek
