// YaRN (rope_scaling type "yarn") against values computed by hand from DeepSeek-V3's
// inference/model.py (precompute_freqs_cis, MLA.__init__), on a rope width small enough to
// follow every step; and the cos/sin table built from them.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rope_scaling.h"

namespace tinyseek {
namespace {

// R = 8, theta = 10000, d_nope = 8 (d_qk = 16), trained at 64 positions, extended 4x to 256.
ModelConfig yarn_config(int max_positions) {
    ModelConfig c;
    c.qk_nope_head_dim = 8;
    c.qk_rope_head_dim = 8;
    c.rope_theta = 10000.0f;
    c.max_position_embeddings = max_positions;
    c.rope_scaling = YarnScaling{4.0, 64, 32.0, 1.0, 1.0, 1.0};
    c.validate();
    return c;
}

TEST(RopeScaling, YarnFrequenciesMatchTheHandComputedRamp) {
    // Plain: omega_i = 10000^(-2i/8) = 1, 0.1, 0.01, 0.001.
    // d(b) = 8 ln(64 / (2 pi b)) / (2 ln 10000):
    //   d(32) = 4 ln(1/pi) / 9.21034 = 4 (-1.14473) / 9.21034 = -0.4971 -> floor -1 -> low 0
    //   d(1)  = 4 ln(10.18592) / 9.21034 = 4 (2.32099) / 9.21034 = 1.0080 -> ceil 2 -> high 2
    //   (rounding instead of floor/ceil would give high 1: the ramp below tells them apart)
    // ramp_i = clamp(i / 2, 0, 1) = 0, 0.5, 1, 1; omega_i <- omega_i (1 - ramp + ramp / 4):
    //   1, 0.1 (0.5 + 0.125) = 0.0625, 0.01 / 4 = 0.0025, 0.001 / 4 = 0.00025.
    const std::vector<double> omega = rope_frequencies(yarn_config(256));
    ASSERT_EQ(omega.size(), 4u);
    EXPECT_NEAR(omega[0], 1.0, 1e-15);
    EXPECT_NEAR(omega[1], 0.0625, 1e-15);
    EXPECT_NEAR(omega[2], 0.0025, 1e-15);
    EXPECT_NEAR(omega[3], 0.00025, 1e-15);
    EXPECT_TRUE(yarn_active(yarn_config(256)));
}

TEST(RopeScaling, SoftmaxScaleGetsMscaleSquared) {
    // 1/sqrt(16) = 0.25; mscale = 0.1 * 1 * ln 4 + 1 = 1.1386294; squared 1.2964769.
    EXPECT_NEAR(attention_softmax_scale(yarn_config(256)), 0.25 * 1.2964769, 1e-7);
    ModelConfig half = yarn_config(256);
    half.rope_scaling->mscale = half.rope_scaling->mscale_all_dim = 0.707;
    // mscale = 0.0707 * 1.3862944 + 1 = 1.0980110; squared 1.2056282.
    EXPECT_NEAR(attention_softmax_scale(half), 0.25 * 1.2056282, 1e-7);
}

TEST(RopeScaling, WithinTheOriginalContextYarnChangesNothing) {
    // As the reference: scaling applies only when max_seq_len > original_seq_len.
    const ModelConfig c = yarn_config(64);
    EXPECT_FALSE(yarn_active(c));
    const std::vector<double> omega = rope_frequencies(c);
    EXPECT_NEAR(omega[1], 0.1, 1e-15);
    EXPECT_NEAR(omega[3], 0.001, 1e-15);
    EXPECT_DOUBLE_EQ(attention_softmax_scale(c), 0.25);
    ModelConfig plain = c;
    plain.rope_scaling.reset();
    EXPECT_EQ(rope_frequencies(plain), omega);
}

TEST(RopeScaling, TheTableRotatesByTheScaledFrequencies) {
    const RopeTable<double> table = rope_table<double>(yarn_config(256));
    EXPECT_EQ(table.dim(), 8);
    EXPECT_EQ(table.max_positions(), 256);
    // Position 200, pair 1: angle 200 * 0.0625 = 12.5 rad.
    EXPECT_NEAR(table.cos_row(200)[1], std::cos(12.5), 1e-15);
    EXPECT_NEAR(table.sin_row(200)[1], std::sin(12.5), 1e-15);
    EXPECT_NEAR(table.cos_row(200)[3], std::cos(200 * 0.00025), 1e-15);
}

}  // namespace
}  // namespace tinyseek
