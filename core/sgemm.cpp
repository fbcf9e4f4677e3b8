#include "core/sgemm.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <utility>
#include <vector>

#include "core/aligned.h"
#include "core/eigen.h"

namespace tinyseek {

namespace {

// The kernel's functions are compiled for AVX-512F whatever the build's -march, and only
// called after the run-time check below.
#define TINYSEEK_AVX512 __attribute__((target("avx512f,fma")))

// The left operand read element by element: a(i, p) = data[i * row_stride + p * col_stride].
// Rows of x or dy (col_stride 1), or columns of dy for dy^T (row_stride 1).
// Passed to the kernels by reference: by value its 24 bytes go through the stack, and the
// copy's 16-byte load of two 8-byte stores stalls store forwarding on every block (12% of a
// training step on an Intel Xeon, perf).
struct LeftOperand {
    const float* data;
    long row_stride, col_stride;
};

constexpr int kLanes = 16;           // floats in a 512-bit register
constexpr int kRowsTwoVectors = 12;  // C block 12 x 32: 24 accumulators
constexpr int kRowsOneVector = 24;   // C block 24 x 16 for a last panel of <= 16 columns
constexpr int kDepthBlock = 256;     // k per pass: a 32-column B panel is 32 KB of L1
constexpr int kPanelWidth = 2 * kLanes;

// mask of the first `columns` lanes (0..16)
TINYSEEK_AVX512 inline __mmask16 lane_mask(int columns) {
    return columns >= kLanes ? __mmask16(0xffff) : __mmask16((1u << std::max(columns, 0)) - 1);
}

// dst (16, 16; rows of ldd) = src (16, 16; rows of lds) transposed, in registers: 32-bit then
// 64-bit interleaves within 128-bit lanes, then two rounds of lane shuffles.
TINYSEEK_AVX512 void transpose_tile(float* dst, long ldd, const float* src, long lds) {
    __m512 r[16], t[16];
    for (int i = 0; i < 16; ++i) r[i] = _mm512_loadu_ps(src + i * lds);
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    // r[4g + e]: in each 128-bit lane l, element 4l + e of rows 4g .. 4g+3
    for (int g = 0; g < 4; ++g) {
        const __m512d a = _mm512_castps_pd(t[4 * g]), b = _mm512_castps_pd(t[4 * g + 1]);
        const __m512d c = _mm512_castps_pd(t[4 * g + 2]), d = _mm512_castps_pd(t[4 * g + 3]);
        r[4 * g] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        r[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        r[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        r[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    for (int e = 0; e < 4; ++e) {
        const __m512 v0 = _mm512_shuffle_f32x4(r[e], r[4 + e], 0x88);
        const __m512 v1 = _mm512_shuffle_f32x4(r[e], r[4 + e], 0xdd);
        const __m512 w0 = _mm512_shuffle_f32x4(r[8 + e], r[12 + e], 0x88);
        const __m512 w1 = _mm512_shuffle_f32x4(r[8 + e], r[12 + e], 0xdd);
        _mm512_storeu_ps(dst + e * ldd, _mm512_shuffle_f32x4(v0, w0, 0x88));
        _mm512_storeu_ps(dst + (4 + e) * ldd, _mm512_shuffle_f32x4(v1, w1, 0x88));
        _mm512_storeu_ps(dst + (8 + e) * ldd, _mm512_shuffle_f32x4(v0, w0, 0xdd));
        _mm512_storeu_ps(dst + (12 + e) * ldd, _mm512_shuffle_f32x4(v1, w1, 0xdd));
    }
}

// C (MR rows, NV vectors of 16 columns; `columns` of them valid) (+)= A (MR x k) B (k x cols).
// FULL: every column valid, no masks.
template <int MR, int NV, bool FULL>
TINYSEEK_AVX512 void block_kernel(int k, const LeftOperand& a, const float* b, long ldb, float* c,
                                  long ldc, int columns, bool accumulate) {
    const __mmask16 m0 = FULL ? __mmask16(0xffff) : lane_mask(columns);
    const __mmask16 m1 = FULL ? __mmask16(0xffff) : lane_mask(columns - kLanes);
    __m512 c0[MR], c1[NV == 2 ? MR : 1];
    for (int i = 0; i < MR; ++i) {
        c0[i] = accumulate ? _mm512_maskz_loadu_ps(m0, c + i * ldc) : _mm512_setzero_ps();
        if constexpr (NV == 2)
            c1[i] =
                accumulate ? _mm512_maskz_loadu_ps(m1, c + i * ldc + kLanes) : _mm512_setzero_ps();
    }
    const float* ap = a.data;
#pragma GCC unroll 4  // fewer loop branches and pointer steps per FMA: 3-8% on an Intel Xeon
    for (int p = 0; p < k; ++p, b += ldb, ap += a.col_stride) {
        const __m512 b0 = FULL ? _mm512_loadu_ps(b) : _mm512_maskz_loadu_ps(m0, b);
        __m512 b1 = _mm512_setzero_ps();
        if constexpr (NV == 2)
            b1 = FULL ? _mm512_loadu_ps(b + kLanes) : _mm512_maskz_loadu_ps(m1, b + kLanes);
#pragma GCC unroll 32
        for (int i = 0; i < MR; ++i) {
            const __m512 ai = _mm512_set1_ps(ap[i * a.row_stride]);
            c0[i] = _mm512_fmadd_ps(ai, b0, c0[i]);
            if constexpr (NV == 2) c1[i] = _mm512_fmadd_ps(ai, b1, c1[i]);
        }
    }
    for (int i = 0; i < MR; ++i) {
        _mm512_mask_storeu_ps(c + i * ldc, m0, c0[i]);
        if constexpr (NV == 2) _mm512_mask_storeu_ps(c + i * ldc + kLanes, m1, c1[i]);
    }
}

// The same for any number of rows up to the block's, chosen at run time from a table of the
// kernels for 1 .. max rows.
template <int NV, bool FULL, int... Rows>
constexpr auto kernel_table(std::integer_sequence<int, Rows...>) {
    return std::array{&block_kernel<Rows + 1, NV, FULL>...};
}

template <int NV, bool FULL>
TINYSEEK_AVX512 void rows_kernel(int rows, int k, const LeftOperand& a, const float* b, long ldb,
                                 float* c, long ldc, int columns, bool accumulate) {
    constexpr int kMaxRows = NV == 2 ? kRowsTwoVectors : kRowsOneVector;
    static constexpr auto kernels =
        kernel_table<NV, FULL>(std::make_integer_sequence<int, kMaxRows>{});
    kernels[rows - 1](k, a, b, ldb, c, ldc, columns, accumulate);
}

// One block of `rows` rows and one panel of `columns` (<= 32) columns, depth k: the kernel for
// the panel's width (two vectors or one, masked or not).
TINYSEEK_AVX512 void panel_kernel(int rows, int k, const LeftOperand& a, const float* b, long ldb,
                                  float* c, long ldc, int columns, bool accumulate) {
    if (columns == kPanelWidth)
        rows_kernel<2, true>(rows, k, a, b, ldb, c, ldc, columns, accumulate);
    else if (columns > kLanes)
        rows_kernel<2, false>(rows, k, a, b, ldb, c, ldc, columns, accumulate);
    else if (columns == kLanes)
        rows_kernel<1, true>(rows, k, a, b, ldb, c, ldc, columns, accumulate);
    else
        rows_kernel<1, false>(rows, k, a, b, ldb, c, ldc, columns, accumulate);
}

// A's block from row i0 and depth p0.
LeftOperand sub_operand(LeftOperand a, int i0, int p0) {
    return {a.data + i0 * a.row_stride + p0 * a.col_stride, a.row_stride, a.col_stride};
}

// B's panel of `depth` rows and `columns` (<= 32) columns copied to rows of 32 floats, one after
// the other. Read in place, a panel's rows lie one B row apart: at the strides this model's
// shapes give (a multiple of 512 bytes) they fall into a few of L1's sets and evict each other
// long before the panel's 32 KB fill the cache, so every row block re-reads B from L2.
TINYSEEK_AVX512 void pack_panel(float* packed, const float* b, long ldb, int depth, int columns) {
    const __mmask16 m0 = lane_mask(columns), m1 = lane_mask(columns - kLanes);
    for (int p = 0; p < depth; ++p, b += ldb, packed += kPanelWidth) {
        _mm512_storeu_ps(packed, _mm512_maskz_loadu_ps(m0, b));
        _mm512_storeu_ps(packed + kLanes, _mm512_maskz_loadu_ps(m1, b + kLanes));
    }
}

// The same panel from B's transpose: b(p, j) = bt[j * ldbt + p], so the panel's rows are
// columns of bt, moved through registers 16 x 16 at a time (transpose_tile) where whole tiles
// fit and one by one at the edges. This is how the forward reads W^T and attention K^T and V^T
// without first writing the transpose out.
TINYSEEK_AVX512 void pack_panel_transposed(float* packed, const float* bt, long ldbt, int depth,
                                           int columns) {
    for (int l0 = 0; l0 < kPanelWidth; l0 += kLanes) {
        const int lanes = std::clamp(columns - l0, 0, kLanes);
        int p = 0;
        if (lanes == kLanes)
            for (; p + kLanes <= depth; p += kLanes)
                transpose_tile(packed + p * kPanelWidth + l0, kPanelWidth, bt + l0 * ldbt + p,
                               ldbt);
        for (; p < depth; ++p)
            for (int l = 0; l < kLanes; ++l)
                packed[p * kPanelWidth + l0 + l] = l < lanes ? bt[(l0 + l) * ldbt + p] : 0.0f;
    }
}

// B's `depth` rows of n columns as panels of 32 columns (the last one zero-padded), each
// `depth` rows of 32 floats, panel j0 / 32 from packed + j0 * depth; from B's rows, or with
// `transposed` from the rows of bt = B^T (b is then bt's first column, ldb its row stride).
// The buffer is the calling thread's, kept between calls (no allocation after the first) and
// 64-byte aligned, as the panels' rows must be for their loads not to straddle cache lines.
TINYSEEK_AVX512 const float* pack_panels(const float* b, long ldb, int depth, int n,
                                         bool transposed) {
    thread_local AlignedVector<float> packed;
    const long panels = (n + kPanelWidth - 1) / kPanelWidth;
    // Grown, never shrunk: a resize up from a smaller size zero-fills the new part, which with
    // sizes that alternate between calls was 2-4% of a training step in memset.
    const auto size = static_cast<size_t>(panels * depth * kPanelWidth);
    if (packed.size() < size) packed.resize(size);
    for (int j0 = 0; j0 < n; j0 += kPanelWidth) {
        float* panel = packed.data() + static_cast<long>(j0) * depth;
        const int columns = std::min(kPanelWidth, n - j0);
        if (transposed)
            pack_panel_transposed(panel, b + j0 * ldb, ldb, depth, columns);
        else
            pack_panel(panel, b + j0, ldb, depth, columns);
    }
    return packed.data();
}

// B of a product: b(p, j) = data[p * ld + j], or with `transposed` data[j * ld + p]. A transposed
// B is always packed (pack_panels), which the kernels need to read it by rows.
struct RightOperand {
    const float* data;
    long ld;
    bool transposed = false;

    // B from row p0 on, for pack_panels.
    const float* from(int p0) const { return data + p0 * (transposed ? 1 : ld); }
};

// The B a product's kernels read: rows p0 .. p0 + depth of B, packed (pack_panels) when it is
// transposed or more than one block of rows reads it (pack_panel says why), else in place.
struct Panels {
    const float* data;
    long ld;  // between the rows the kernels read
    bool packed;
    int depth;

    // B's row p (from the first row packed) at column j0, j0 a panel's first column.
    const float* at(int p, int j0) const {
        return packed ? data + static_cast<long>(j0) * depth + p * kPanelWidth : data + p * ld + j0;
    }
};

TINYSEEK_AVX512 Panels panels_of(const RightOperand& b, int m, int p0, int depth, int n) {
    if (b.transposed || (m > kRowsTwoVectors && b.ld != kPanelWidth))
        return {pack_panels(b.from(p0), b.ld, depth, n, b.transposed), kPanelWidth, true, depth};
    return {b.from(p0), b.ld, false, depth};
}

// C (m, n; row stride ldc) (+)= A (m, k) B (k, n; row stride ldb): passes over k (kDepthBlock
// deep); in each, B packed as panels of 32 columns (the last one 16 wide where it fits) and
// blocks of rows of A, each run over every panel before the next: the block's part of A stays
// in L1 and C is written a row block at a time, whole rows after one another, while B's
// packed panels are read from L2.
TINYSEEK_AVX512 void avx512_gemm(int m, int n, int k, LeftOperand a, const RightOperand& b,
                                 float* c, long ldc, bool accumulate) {
    if (k == 0 && !accumulate)
        for (int i = 0; i < m; ++i) std::fill_n(c + i * ldc, n, 0.0f);
    const int tail = n % kPanelWidth;  // a last panel of 16 or fewer columns runs 24-row blocks
    const int narrow_from = tail > 0 && tail <= kLanes ? n - tail : n;
    for (int p0 = 0; p0 < k; p0 += kDepthBlock) {
        const int depth = std::min(kDepthBlock, k - p0);
        const bool add = accumulate || p0 > 0;
        const Panels panels = panels_of(b, m, p0, depth, n);
        for (int i0 = 0; i0 < m; i0 += kRowsTwoVectors) {
            const int rows = std::min(kRowsTwoVectors, m - i0);
            for (int j0 = 0; j0 < narrow_from; j0 += kPanelWidth)
                panel_kernel(rows, depth, sub_operand(a, i0, p0), panels.at(0, j0), panels.ld,
                             c + i0 * ldc + j0, ldc, std::min(kPanelWidth, n - j0), add);
        }
        if (narrow_from < n)
            for (int i0 = 0; i0 < m; i0 += kRowsOneVector)
                panel_kernel(std::min(kRowsOneVector, m - i0), depth, sub_operand(a, i0, p0),
                             panels.at(0, narrow_from), panels.ld, c + i0 * ldc + narrow_from, ldc,
                             n - narrow_from, add);
    }
}

// The causal products: row blocks outermost, each with its own k range and column count.
TINYSEEK_AVX512 void avx512_gemm_triangular(const SgemmStrided& g) {
    const LeftOperand a{g.a, g.a_row_stride, g.a_col_stride};
    // B whole (every row block takes its own k range of it)
    const Panels panels = panels_of({g.b, g.ldb, g.b_transposed}, g.m, 0, g.k, g.n);
    for (int i0 = 0; i0 < g.m; i0 += kRowsTwoVectors) {
        const int rows = std::min(kRowsTwoVectors, g.m - i0);
        const int block_end = i0 + rows;
        const int k0 = g.triangle == SgemmTriangle::upper_left ? std::min(i0, g.k) : 0;
        const int k1 = g.triangle == SgemmTriangle::lower_left ? std::min(block_end, g.k) : g.k;
        const int n1 = g.triangle == SgemmTriangle::lower_out ? std::min(block_end, g.n) : g.n;
        for (int j0 = 0; j0 < n1; j0 += kPanelWidth) {
            const int columns = std::min(kPanelWidth, n1 - j0);
            float* cc = g.c + i0 * g.ldc + j0;
            if (k1 <= k0 && !g.accumulate)
                for (int i = 0; i < rows; ++i) std::fill_n(cc + i * g.ldc, columns, 0.0f);
            for (int p0 = k0; p0 < k1; p0 += kDepthBlock) {
                const int depth = std::min(kDepthBlock, k1 - p0);
                panel_kernel(rows, depth, sub_operand(a, i0, p0), panels.at(p0, j0), panels.ld, cc,
                             g.ldc, columns, g.accumulate || p0 > k0);
            }
        }
    }
}

std::atomic<bool> eigen_forced{false};

bool use_avx512() {
    static const bool machine_has_it =
        __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
    return machine_has_it && !eigen_forced.load(std::memory_order_relaxed);
}

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Strided = Eigen::OuterStride<>;
using MapS = Eigen::Map<RowMajor, Eigen::Unaligned, Strided>;
using ConstMapS = Eigen::Map<const RowMajor, Eigen::Unaligned, Strided>;

}  // namespace

void sgemm_xwt(float* y, long ldy, const float* x, long ldx, const float* w, int n, int in, int out,
               bool accumulate) {
    if (n <= 0 || out <= 0) return;
    if (!use_avx512()) {
        MapS Y(y, n, out, Strided(ldy));
        ConstMapS X(x, n, in, Strided(ldx));
        ConstMapS W(w, out, in, Strided(in));
        if (accumulate)
            Y.noalias() += X * W.transpose();
        else
            Y.noalias() = X * W.transpose();
        return;
    }
    avx512_gemm(n, out, in, LeftOperand{x, ldx, 1}, RightOperand{w, in, true}, y, ldy, accumulate);
}

void sgemm_dy_w(float* dx, long lddx, const float* dy, long lddy, const float* w, int n, int in,
                int out, bool accumulate) {
    if (n <= 0 || in <= 0) return;
    if (!use_avx512()) {
        MapS DX(dx, n, in, Strided(lddx));
        ConstMapS DY(dy, n, out, Strided(lddy));
        ConstMapS W(w, out, in, Strided(in));
        if (accumulate)
            DX.noalias() += DY * W;
        else
            DX.noalias() = DY * W;
        return;
    }
    avx512_gemm(n, in, out, LeftOperand{dy, lddy, 1}, RightOperand{w, in}, dx, lddx, accumulate);
}

void sgemm_dyt_x(float* dw, const float* dy, long lddy, const float* x, int n, int in, int out) {
    if (out <= 0 || in <= 0) return;
    if (!use_avx512()) {
        MapS(dw, out, in, Strided(in)).noalias() +=
            ConstMapS(dy, n, out, Strided(lddy)).transpose() * ConstMapS(x, n, in, Strided(in));
        return;
    }
    avx512_gemm(out, in, n, LeftOperand{dy, 1, lddy}, RightOperand{x, in}, dw, in, true);
}

void sgemm_strided(const SgemmStrided& g) {
    if (g.m <= 0 || g.n <= 0) return;
    if (g.triangle == SgemmTriangle::none)
        return avx512_gemm(g.m, g.n, g.k, LeftOperand{g.a, g.a_row_stride, g.a_col_stride},
                           RightOperand{g.b, g.ldb, g.b_transposed}, g.c, g.ldc, g.accumulate);
    avx512_gemm_triangular(g);
}

bool sgemm_native_available() {
    return use_avx512();
}

void sgemm_force_eigen(bool force) {
    eigen_forced.store(force, std::memory_order_relaxed);
}

const char* sgemm_kernel_name() {
    return use_avx512() ? "avx512" : "eigen";
}

}  // namespace tinyseek
