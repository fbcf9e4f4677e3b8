// The accumulation-error experiment: its error measure by hand, its invariants (promotion
// that never happens changes nothing), V3's qualitative claim (unpromoted error grows with K,
// promoted error does not) and refused configurations.
#include "core/fp8_gemm_error.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/errors.h"

using namespace tinyseek;

namespace {

Fp8GemmErrorConfig small(std::vector<int> k_list) {
    Fp8GemmErrorConfig c;
    c.k_list = std::move(k_list);
    c.m = 8;
    c.n = 6;
    return c;
}

}  // namespace

TEST(Fp8GemmError, RelativeErrorByHand) {
    // |1.1 - 1| / 1 = 0.1, |-1.5 - (-2)| / 2 = 0.25; a zero reference is skipped.
    const RelErrorStats s = relative_error_stats({1.1f, -1.5f, 7.0f}, {1.0, -2.0, 0.0});
    EXPECT_EQ(s.outputs, 2);
    EXPECT_NEAR(s.max, 0.25, 1e-12);
    EXPECT_NEAR(s.mean, (double(1.1f) - 1.0 + 0.25) / 2.0, 1e-12);
}

TEST(Fp8GemmError, PromotionThatNeverHappensChangesNothing) {
    // K = 96 < N_C = 128: one chunk either way. N_C = 0: the promoted column is unpromoted.
    Fp8GemmErrorConfig c = small({96, 1000});
    const Fp8GemmErrorResult r = measure_fp8_gemm_error(c);
    EXPECT_EQ(r.rows[0].promoted.max, r.rows[0].no_promotion.max);
    EXPECT_EQ(r.rows[0].promoted.mean, r.rows[0].no_promotion.mean);
    EXPECT_NE(r.rows[1].promoted.mean, r.rows[1].no_promotion.mean);
    c.model.promote_every = 0;
    const Fp8GemmErrorResult never = measure_fp8_gemm_error(c);
    EXPECT_EQ(never.rows[1].promoted.mean, never.rows[1].no_promotion.mean);
    // Same seed, same numbers.
    EXPECT_EQ(never.rows[1].no_promotion.max, r.rows[1].no_promotion.max);
    EXPECT_EQ(never.rows[1].fp32.max, r.rows[1].fp32.max);
}

TEST(Fp8GemmError, UnpromotedErrorGrowsWithKAndPromotionBoundsIt) {
    const Fp8GemmErrorResult r = measure_fp8_gemm_error(small({256, 1024, 4096}));
    ASSERT_EQ(r.rows.size(), 3u);
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const Fp8GemmErrorRow& row = r.rows[i];
        EXPECT_EQ(row.no_promotion.outputs, 8 * 6);
        EXPECT_LT(row.fp32.max, row.promoted.max) << "K " << row.k;
        EXPECT_LT(row.promoted.max, row.no_promotion.max) << "K " << row.k;
        EXPECT_LT(row.promoted.max, 2e-3) << "K " << row.k;
        if (i > 0) {
            EXPECT_GT(row.no_promotion.mean, 2.0 * r.rows[i - 1].no_promotion.mean);
        }
        EXPECT_EQ(row.quant_a.elements, 8 * row.k);
        EXPECT_EQ(row.quant_a.saturated, 0);  // amax scales never saturate
    }
    const nlohmann::json j = r.to_json();
    EXPECT_EQ(j["rows"][2]["k"], 4096);
    EXPECT_EQ(j["config"]["acc_mantissa_bits"], 13);
    EXPECT_EQ(j["config"]["fused_terms"], 32);
}

TEST(Fp8GemmError, BadConfigurationsAreRefused) {
    EXPECT_THROW(measure_fp8_gemm_error(small({})), ConfigError);
    EXPECT_THROW(measure_fp8_gemm_error(small({256, 0})), ConfigError);
    Fp8GemmErrorConfig c = small({256});
    c.m = 0;
    EXPECT_THROW(measure_fp8_gemm_error(c), ConfigError);
    c.m = 5000;
    EXPECT_THROW(measure_fp8_gemm_error(c), ConfigError);
    c.m = 8;
    c.model.mantissa_bits = 30;
    EXPECT_THROW(measure_fp8_gemm_error(c), ConfigError);
    EXPECT_THROW(random_entries_from_string("cauchy"), ConfigError);
}
