// The simulated FP8 GEMM: tensor-core steps and promotion worked out by hand, the fast path
// held bit-exactly to the plain-loop reference over formats, tilings and accumulator models,
// and the plain FP32 / FP64 products on cases whose rounding is known.
#include "core/fp8_gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "core/errors.h"
#include "core/fp8_gemm_reference.h"
#include "core/plain_gemm.h"
#include "tests/same_bits.h"

using namespace tinyseek;

namespace {

// A (rows, cols) matrix of exact FP8 values with one scale of 1 per tensor.
Fp8Matrix exact(const std::vector<float>& x, int rows, int cols) {
    return fp8_quantize_with_scales(x, rows, cols, Fp8Format::e4m3, rows, cols, {1.0f});
}

Fp8AccumulatorModel model(int bits, AccRounding r, int fused, int promote) {
    Fp8AccumulatorModel m;
    m.mantissa_bits = bits;
    m.rounding = r;
    m.fused_terms = fused;
    m.promote_every = promote;
    return m;
}

// Both implementations, which must agree bit for bit.
float both(const Fp8Matrix& a, const Fp8Matrix& w, const Fp8AccumulatorModel& m) {
    const std::vector<float> fast = fp8_gemm(a, w, m);
    const std::vector<float> ref = fp8_gemm_reference(a, w, m);
    EXPECT_TRUE(tinyseek::testing::same_bits(fast, ref)) << fast[0] << " vs " << ref[0];
    return fast[0];
}

}  // namespace

TEST(Fp8Gemm, OneStepAlignsCutsAndNormalisesByHand) {
    // Products 1.875, 1.125 and 0.875 (operands times 1), 3 accumulator bits. Aligned to the
    // largest exponent 0 in units of 2^-3: 15 + 9 + 7 = 31 units = 3.875 = 1.1111b x 2^1,
    // one bit too many: truncation keeps 1.111b x 2 = 3.75; nearest-even breaks the tie
    // toward the even 10.000b x 2 = 4.
    const Fp8Matrix a = exact({1.875f, 1.125f, 0.875f}, 1, 3);
    const Fp8Matrix w = exact({1.0f, 1.0f, 1.0f}, 1, 3);
    EXPECT_EQ(both(a, w, model(3, AccRounding::truncate, 32, 0)), 3.75f);
    EXPECT_EQ(both(a, w, model(3, AccRounding::nearest_even, 32, 0)), 4.0f);
    EXPECT_EQ(both(a, w, model(13, AccRounding::truncate, 32, 0)), 3.875f);

    const std::vector<Fp8Term> products = {{1.875, 0}, {1.125, 0}, {1.75, -1}};
    EXPECT_EQ(fp8_fused_step_reference(0.0, products, 3, AccRounding::truncate), 3.75);
    EXPECT_EQ(fp8_fused_step_reference(0.0, products, 3, AccRounding::nearest_even), 4.0);
}

TEST(Fp8Gemm, SmallProductsVanishAgainstALargeSumInOneStep) {
    // 32 products of 2^-7 * 2^-7 = 2^-14, then one product 1. 13 bits: in a step that also
    // holds the 1, each 2^-14 is half a unit of 2^-13 and is cut to nothing (also to nearest:
    // a tie, to even 0); summed among themselves first they make 2^-9, which survives.
    std::vector<float> x(33, std::ldexp(1.0f, -7));
    x[32] = 1.0f;
    const Fp8Matrix a = exact(x, 1, 33);
    const float exact_sum = 1.0f + std::ldexp(1.0f, -9);
    EXPECT_EQ(both(a, a, model(13, AccRounding::truncate, 33, 0)), 1.0f);
    EXPECT_EQ(both(a, a, model(13, AccRounding::nearest_even, 33, 0)), 1.0f);
    EXPECT_EQ(both(a, a, model(13, AccRounding::truncate, 32, 0)), exact_sum);
    // One product per step: each 2^-14 meets only the running sum, itself tiny, so all stay.
    EXPECT_EQ(both(a, a, model(13, AccRounding::truncate, 1, 0)), exact_sum);
}

TEST(Fp8Gemm, PromotionAppliesEachTilesScale) {
    // A = [2 2 | 4 4] stored as ones with tile scales 2 and 4; W = ones, one scale. Even with
    // N_C = 0 the tile boundary at k = 2 promotes: 2 * (1 + 1) + 4 * (1 + 1) = 12.
    const Fp8Matrix a = fp8_quantize_with_scales(std::vector<float>{2, 2, 4, 4}, 1, 4,
                                                 Fp8Format::e4m3, 1, 2, {2.0f, 4.0f});
    const Fp8Matrix w = exact({1, 1, 1, 1}, 1, 4);
    EXPECT_EQ(fp8_decode(a.codes[3], a.format), 1.0f);
    EXPECT_EQ(both(a, w, model(13, AccRounding::truncate, 32, 0)), 12.0f);
    EXPECT_EQ(fp8_promotion_starts(4, 2, 4, 0), (std::vector<int>{0, 2}));
    EXPECT_EQ(fp8_promotion_starts(300, 128, 300, 100), (std::vector<int>{0, 100, 128, 200, 256}));
}

TEST(Fp8Gemm, PromotionBoundsTheAccumulatorsLoss) {
    // 16 products of 1.125 with 3 accumulator bits, one per step: from 4.5 on the running sum
    // needs more bits than it has. Promoted every 2, each partial sum (1.125, 2.25) is exact and
    // FP32 adds them exactly: 16 * 1.125 = 18.
    const Fp8Matrix a = exact(std::vector<float>(16, 1.125f), 1, 16);
    const Fp8Matrix w = exact(std::vector<float>(16, 1.0f), 1, 16);
    EXPECT_EQ(both(a, w, model(3, AccRounding::truncate, 1, 2)), 18.0f);
    EXPECT_LT(both(a, w, model(3, AccRounding::truncate, 1, 0)), 18.0f);
}

TEST(Fp8Gemm, FastPathMatchesTheReferenceBitForBit) {
    std::mt19937_64 rng(42);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uniform_real_distribution<float> log_magnitude(-12.0f, 4.0f);
    auto random = [&](int rows, int cols) {  // wide magnitudes, zeros, both signs
        std::vector<float> x(std::size_t(rows) * cols);
        for (float& v : x)
            v = (rng() % 11 == 0) ? 0.0f : normal(rng) * std::exp2(log_magnitude(rng));
        return x;
    };
    const int m = 3, n = 4;
    int cases = 0;
    for (int k : {77, 130}) {
        const std::vector<float> xa = random(m, k), xw = random(n, k);
        for (auto [fa, fw] : {std::pair{Fp8Format::e4m3, Fp8Format::e4m3},
                              std::pair{Fp8Format::e4m3, Fp8Format::e5m2},
                              std::pair{Fp8Format::e5m2, Fp8Format::e5m2}})
            for (Fp8Granularity g :
                 {Fp8Granularity::tensor, Fp8Granularity::row_tile, Fp8Granularity::block}) {
                Fp8QuantConfig ca{fa, g == Fp8Granularity::block ? Fp8Granularity::row_tile : g,
                                  32};
                Fp8QuantConfig cw{fw, g, 16};
                const Fp8Matrix a = fp8_quantize(xa, m, k, ca), w = fp8_quantize(xw, n, k, cw);
                for (int bits : {3, 7, 13, 23})
                    for (AccRounding r : {AccRounding::truncate, AccRounding::nearest_even})
                        for (int fused : {1, 4, 32})
                            for (int promote : {0, 20, 128}) {
                                const Fp8AccumulatorModel mo = model(bits, r, fused, promote);
                                ASSERT_TRUE(tinyseek::testing::same_bits(
                                    fp8_gemm(a, w, mo), fp8_gemm_reference(a, w, mo)))
                                    << "k " << k << " bits " << bits << " fused " << fused
                                    << " promote " << promote;
                                ++cases;
                            }
            }
    }
    EXPECT_EQ(cases, 2 * 3 * 3 * 4 * 2 * 3 * 3);
}

TEST(Fp8Gemm, NanAndInfinityPropagateOnlyToTheirOutputs) {
    std::vector<float> x = {1, 2, 3, 4, 5, 6};
    x[1] = std::numeric_limits<float>::quiet_NaN();
    const Fp8Matrix a = fp8_quantize_with_scales(x, 2, 3, Fp8Format::e4m3, 2, 3, {1.0f});
    const Fp8Matrix w =
        fp8_quantize_with_scales(std::vector<float>{1, 1, 1, 57344 * 2.0f, 0, 0}, 2, 3,
                                 Fp8Format::e5m2, 2, 3, {1.0f}, Fp8Overflow::non_saturating);
    const Fp8AccumulatorModel mo;
    const std::vector<float> y = fp8_gemm(a, w, mo);
    EXPECT_TRUE(tinyseek::testing::same_bits(y, fp8_gemm_reference(a, w, mo)));
    EXPECT_TRUE(std::isnan(y[0]));
    EXPECT_TRUE(std::isnan(y[1]));
    EXPECT_EQ(y[2], 15.0f);  // 4 + 5 + 6
    EXPECT_EQ(y[3], std::numeric_limits<float>::infinity());
}

TEST(Fp8Gemm, BadShapesAndModelsAreRefused) {
    const Fp8Matrix a = exact({1, 1, 1}, 1, 3), w = exact({1, 1}, 1, 2);
    EXPECT_THROW(fp8_gemm(a, w, Fp8AccumulatorModel{}), ConfigError);
    EXPECT_THROW(fp8_gemm_reference(a, w, Fp8AccumulatorModel{}), ConfigError);
    EXPECT_THROW(fp8_gemm(a, a, model(0, AccRounding::truncate, 32, 128)), ConfigError);
    EXPECT_THROW(fp8_gemm(a, a, model(24, AccRounding::truncate, 32, 128)), ConfigError);
    EXPECT_THROW(fp8_gemm(a, a, model(13, AccRounding::truncate, 0, 128)), ConfigError);
    EXPECT_THROW(fp8_gemm(a, a, model(13, AccRounding::truncate, 32, -1)), ConfigError);
    EXPECT_THROW(acc_rounding_from_string("up"), ConfigError);
}

TEST(PlainGemm, Fp32RoundsEachStepAndFp64DoesNot) {
    // 1 + 2^-24 + 2^-24: in FP32 each 2^-24 is half a unit of 1 and ties to even (1);
    // in FP64 both stay.
    const float t = std::ldexp(1.0f, -24);
    const std::vector<float> a = {1.0f, t, t, 2.0f, 3.0f, 4.0f}, w = {1.0f, 1.0f, 1.0f};
    const std::vector<float> y32 = gemm_fp32(a, w, 2, 1, 3);
    const std::vector<double> y64 = gemm_fp64(a, w, 2, 1, 3);
    EXPECT_EQ(y32, (std::vector<float>{1.0f, 9.0f}));
    EXPECT_EQ(y64, (std::vector<double>{1.0 + std::ldexp(1.0, -23), 9.0}));
    EXPECT_THROW(gemm_fp32(a, w, 2, 2, 3), ConfigError);
}
