#include "core/decode_gemm.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

using namespace tinyseek;

namespace {
std::vector<float> random_vector(size_t n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = d(rng);
    return v;
}

// y = x W^T in double, the naive reference.
std::vector<double> reference(const std::vector<float>& x, int ldx, const std::vector<float>& w,
                              int n, int in, int out) {
    std::vector<double> y(static_cast<size_t>(n) * out, 0.0);
    for (int r = 0; r < n; ++r)
        for (int o = 0; o < out; ++o)
            for (int k = 0; k < in; ++k) y[r * out + o] += double(x[r * ldx + k]) * w[o * in + k];
    return y;
}
}  // namespace

TEST(DecodeGemm, MatchesNaiveReferenceOnAllEdgeShapes) {
    for (int n : {1, 3, 8, 9, 17}) {
        for (int out : {1, 8, 16, 17, 40, 64}) {
            for (int in : {1, 5, 32}) {
                const int ldx = in + 3;  // strided input rows
                const int ldy = out + 2;
                const std::vector<float> x = random_vector(size_t(n) * ldx, n * 100 + in);
                const std::vector<float> w = random_vector(size_t(out) * in, out * 7 + in);
                PackedMatrix pm;
                pm.resize(out, in);
                pm.set_rows(0, w.data(), out, in);
                const std::vector<double> ref = reference(x, ldx, w, n, in, out);
                std::vector<float> y(size_t(n) * ldy, 7.0f);
                packed_gemm(y.data(), ldy, x.data(), ldx, n, pm);
                for (int r = 0; r < n; ++r) {
                    for (int o = 0; o < out; ++o) {
                        ASSERT_NEAR(y[r * ldy + o], ref[r * out + o], 1e-4)
                            << n << "x" << in << " -> " << out << " at " << r << "," << o;
                    }
                    // Padding columns of y are never written.
                    for (int o = out; o < ldy; ++o) ASSERT_EQ(y[r * ldy + o], 7.0f);
                }
            }
        }
    }
}

TEST(DecodeGemm, AnySplitOfRowsAndPanelsGivesTheSameBits) {
    // The generator hands each thread a block of rows; experts get blocks of 16 slots. Any
    // split of rows or of output panels must reproduce the one-call result exactly.
    const int n = 37, in = 128, out = 72;  // 5 panels, the last one partial
    const std::vector<float> x = random_vector(size_t(n) * in, 11);
    const std::vector<float> w = random_vector(size_t(out) * in, 12);
    PackedMatrix pm;
    pm.resize(out, in);
    pm.set_rows(0, w.data(), out, in);
    std::vector<float> whole(size_t(n) * out), pieces(size_t(n) * out, 0.0f);
    packed_gemm(whole.data(), out, x.data(), in, n, pm);
    const int bounds[] = {0, 5, 19, 32, n};  // uneven row blocks, incl. odd sizes
    for (int b = 0; b + 1 < 5; ++b)
        for (int p0 = 0; p0 < pm.panels(); p0 += 3)  // panel ranges cut through pairs
            packed_gemm(pieces.data() + size_t(bounds[b]) * out, out,
                        x.data() + size_t(bounds[b]) * in, in, bounds[b + 1] - bounds[b], pm, p0,
                        std::min(pm.panels(), p0 + 3));
    EXPECT_EQ(whole, pieces);
    const std::vector<double> ref = reference(x, in, w, n, in, out);
    for (size_t i = 0; i < whole.size(); ++i) ASSERT_NEAR(whole[i], ref[i], 1e-3);
}

TEST(DecodeGemm, RowResultsDoNotDependOnTheBatch) {
    const int in = 48, out = 40, n = 13;
    const std::vector<float> x = random_vector(size_t(n) * in, 1);
    const std::vector<float> w = random_vector(size_t(out) * in, 2);
    PackedMatrix pm;
    pm.resize(out, in);
    pm.set_rows(0, w.data(), out, in);
    std::vector<float> all(size_t(n) * out), one(out);
    packed_gemm(all.data(), out, x.data(), in, n, pm);
    for (int r = 0; r < n; ++r) {
        packed_gemm(one.data(), out, x.data() + r * in, in, 1, pm);
        for (int o = 0; o < out; ++o) ASSERT_EQ(one[o], all[r * out + o]);
    }
}

TEST(DecodeGemm, StackedTransposedAndAccumulate) {
    // W = [A; S^T] where A (5, 12) is given row-wise and S (12, 20) column-wise.
    const int in = 12;
    const std::vector<float> a = random_vector(5 * in, 3);
    const std::vector<float> s = random_vector(in * 20, 4);
    std::vector<float> w(25 * in);
    for (int o = 0; o < 5; ++o)
        for (int k = 0; k < in; ++k) w[o * in + k] = a[o * in + k];
    for (int o = 0; o < 20; ++o)
        for (int k = 0; k < in; ++k) w[(5 + o) * in + k] = s[k * 20 + o];
    PackedMatrix pm;
    pm.resize(64, 64);  // a larger earlier use: resize must reset the padding correctly
    pm.resize(25, in);
    pm.set_rows(0, a.data(), 5, in);
    pm.set_rows_transposed(5, s.data(), 20, 20);
    const int n = 6;
    const std::vector<float> x = random_vector(n * in, 5);
    const std::vector<double> ref = reference(x, in, w, n, in, 25);
    std::vector<float> y(n * 25, 1.0f);
    packed_gemm(y.data(), 25, x.data(), in, n, pm, 0, pm.panels(), /*accumulate=*/true);
    for (int i = 0; i < n * 25; ++i) ASSERT_NEAR(y[i], ref[i] + 1.0, 1e-4);
}
