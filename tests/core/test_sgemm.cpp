// The linear layers' single-precision GEMMs (core/sgemm.h) against products written from the
// definition in double, on shapes that hit every edge of the kernel's blocking: rows not a
// multiple of the 12- or 24-row blocks, columns not a multiple of 16 or 32, k across the
// 256-deep passes and k = 0, strided operands, accumulate and overwrite. Both kernels (the
// AVX-512 one where the machine has it, and Eigen) are held to the same bound.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/sgemm.h"

namespace tinyseek {
namespace {

std::vector<float> random_values(size_t count, std::mt19937& rng) {
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(count);
    for (float& x : v) x = u(rng);
    return v;
}

// Checks got[i, j] against sum_p a(i, p) b(p, j) (+ c0) computed in double, within the
// rounding bound of a k-term float sum: 2 k eps sum_p |a b| (+ |c0|).
template <typename A, typename B>
void expect_product(const std::vector<float>& got, long ldc, int m, int n, int k, A a, B b,
                    const std::vector<float>* c0, const char* what) {
    const double eps = std::numeric_limits<float>::epsilon();
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            double sum = c0 ? (*c0)[i * ldc + j] : 0.0, magnitude = std::abs(sum);
            for (int p = 0; p < k; ++p) {
                sum += double(a(i, p)) * b(p, j);
                magnitude += std::abs(double(a(i, p)) * b(p, j));
            }
            ASSERT_NEAR(got[i * ldc + j], sum, 2.0 * (k + 1) * eps * magnitude + 1e-30)
                << what << " m=" << m << " n=" << n << " k=" << k << " at (" << i << ", " << j
                << ") with " << sgemm_kernel_name();
        }
}

struct Shape {
    int m, n, k;
};

const Shape kShapes[] = {{1, 1, 1},    {5, 15, 7},    {12, 32, 128}, {13, 33, 3},
                         {24, 16, 64}, {25, 17, 257}, {37, 48, 600}, {30, 100, 0},
                         {7, 31, 256}, {64, 64, 33},  {26, 8, 5}};

class SgemmKernels : public ::testing::TestWithParam<bool> {
  protected:
    void SetUp() override { sgemm_force_eigen(GetParam()); }
    void TearDown() override { sgemm_force_eigen(false); }
};

TEST_P(SgemmKernels, XTimesWTransposedOverwritesOrAccumulates) {
    std::mt19937 rng(1);
    for (const Shape& s : kShapes) {
        const int n = s.m, out = s.n, in = s.k;
        const long ldx = in + 3, ldy = out + 5;  // rows wider than the matrix
        const auto x = random_values(size_t(n) * ldx, rng);
        const auto w = random_values(size_t(out) * in, rng);
        const auto xa = [&](int i, int p) { return x[i * ldx + p]; };
        const auto wt = [&](int p, int j) { return w[size_t(j) * in + p]; };
        std::vector<float> y(size_t(n) * ldy, std::numeric_limits<float>::quiet_NaN());
        sgemm_xwt(y.data(), ldy, x.data(), ldx, w.data(), n, in, out, false);
        expect_product(y, ldy, n, out, in, xa, wt, nullptr, "x W^T");
        const std::vector<float> before = random_values(y.size(), rng);
        y = before;
        sgemm_xwt(y.data(), ldy, x.data(), ldx, w.data(), n, in, out, true);
        expect_product(y, ldy, n, out, in, xa, wt, &before, "y + x W^T");
        for (int i = 0; i < n; ++i)  // the padding between rows is not written
            for (long j = out; j < ldy; ++j) ASSERT_EQ(y[i * ldy + j], before[i * ldy + j]);
    }
}

// dx (+)= dy W on every shape, dx's rows `in + 1` apart. Accumulating adds to random values;
// overwriting replaces NaN (which any read would spread). Either way the padding between rows
// keeps what it held.
void check_dy_times_w(bool accumulate, std::mt19937& rng) {
    for (const Shape& s : kShapes) {
        const int n = s.m, in = s.n, out = s.k;
        const long lddy = out + 2, lddx = in + 1;
        const auto dy = random_values(size_t(n) * lddy, rng);
        const auto w = random_values(size_t(out) * in, rng);
        const std::vector<float> before =
            accumulate
                ? random_values(size_t(n) * lddx, rng)
                : std::vector<float>(size_t(n) * lddx, std::numeric_limits<float>::quiet_NaN());
        std::vector<float> dx = before;
        sgemm_dy_w(dx.data(), lddx, dy.data(), lddy, w.data(), n, in, out, accumulate);
        expect_product(
            dx, lddx, n, in, out, [&](int i, int p) { return dy[i * lddy + p]; },
            [&](int p, int j) { return w[size_t(p) * in + j]; }, accumulate ? &before : nullptr,
            accumulate ? "dx + dy W" : "dy W");
        for (int i = 0; i < n; ++i)
            for (long j = in; j < lddx; ++j)
                ASSERT_TRUE(std::isnan(before[i * lddx + j])
                                ? std::isnan(dx[i * lddx + j])
                                : dx[i * lddx + j] == before[i * lddx + j]);
    }
}

TEST_P(SgemmKernels, DyTimesWAccumulates) {
    std::mt19937 rng(2);
    check_dy_times_w(true, rng);
}

TEST_P(SgemmKernels, DyTimesWOverwrites) {
    std::mt19937 rng(12);
    check_dy_times_w(false, rng);
}

TEST_P(SgemmKernels, DyTransposedTimesXOnAColumnSlice) {
    std::mt19937 rng(3);
    for (const Shape& s : kShapes) {
        const int out = s.m, in = s.n, n = s.k;
        const int first = 3;  // the slice dy[:, 3:3+out] of a wider dy, as a thread's share
        const long lddy = out + 7;
        // at least one row, so that dy + first points into it when n = 0
        const auto dy = random_values(size_t(std::max(n, 1)) * lddy, rng);
        const auto x = random_values(size_t(n) * in, rng);
        const std::vector<float> before = random_values(size_t(out) * in, rng);
        std::vector<float> dw = before;
        sgemm_dyt_x(dw.data(), dy.data() + first, lddy, x.data(), n, in, out);
        expect_product(
            dw, in, out, in, n, [&](int i, int p) { return dy[p * lddy + first + i]; },
            [&](int p, int j) { return x[size_t(p) * in + j]; }, &before, "dW + dy^T x");
    }
}

INSTANTIATE_TEST_SUITE_P(NativeAndEigen, SgemmKernels, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Eigen" : "Native"; });

// The strided product with B given as its transpose (b(p, j) = bt[j * ldbt + p], as attention
// passes K and V for Q K^T and dO V^T), on every shape: the transposing pack's 16 x 16 tiles
// and the edges around them.
TEST(Sgemm, StridedProductReadsATransposedRightOperand) {
    if (!sgemm_native_available()) GTEST_SKIP() << "sgemm_strided runs the AVX-512 kernel only";
    std::mt19937 rng(5);
    for (const Shape& s : kShapes) {
        const long lda = s.k + 1, ldbt = s.k + 3, ldc = s.n + 2;
        const auto a = random_values(size_t(s.m) * lda, rng);
        const auto bt = random_values(size_t(s.n) * ldbt, rng);
        std::vector<float> c(size_t(s.m) * ldc, std::numeric_limits<float>::quiet_NaN());
        sgemm_strided({.m = s.m,
                       .n = s.n,
                       .k = s.k,
                       .a = a.data(),
                       .a_row_stride = lda,
                       .a_col_stride = 1,
                       .b = bt.data(),
                       .ldb = ldbt,
                       .b_transposed = true,
                       .c = c.data(),
                       .ldc = ldc});
        expect_product(
            c, ldc, s.m, s.n, s.k, [&](int i, int p) { return a[i * lda + p]; },
            [&](int p, int j) { return bt[j * ldbt + p]; }, nullptr, "A B from B^T");
    }
}

// Each element is one sum in k order, so rows computed in two calls (as two shards or threads
// compute them) equal, bit for bit, the rows of one call.
TEST(Sgemm, RowsDoNotDependOnHowTheCallIsSplit) {
    if (std::string(sgemm_kernel_name()) != "avx512")
        GTEST_SKIP() << "Eigen's blocking may round row blocks differently";
    std::mt19937 rng(4);
    const int n = 50, in = 300, out = 40;
    const auto x = random_values(size_t(n) * in, rng);
    const auto w = random_values(size_t(out) * in, rng);
    std::vector<float> whole(size_t(n) * out), split(size_t(n) * out);
    sgemm_xwt(whole.data(), out, x.data(), in, w.data(), n, in, out, false);
    for (int r0 : {0, 17, 29})
        sgemm_xwt(split.data() + size_t(r0) * out, out, x.data() + size_t(r0) * in, in, w.data(),
                  (r0 == 0    ? 17
                   : r0 == 17 ? 12
                              : n - 29),
                  in, out, false);
    EXPECT_EQ(whole, split);
}

}  // namespace
}  // namespace tinyseek
