// Model FLOPs per token against a count done by hand, and the FMA peak measurement.
#include <gtest/gtest.h>

#include <cmath>

#include "core/fma_peak.h"
#include "core/model_flops.h"
#include "tests/core/model_fixtures.h"

namespace tinyseek {
namespace {

// small_config: C 16, V 11, H 2, Lq 8, D_c 6, Dn 4, R 4 (Dqk 8), Dv 6; block 0 dense (F 12),
// blocks 1 and the MTP block 2 MoE (E 4, K 2, one shared expert, F 5).
//   attention weights  q_a 16*8 + q_b 8*16 + kv_a 16*10 + kv_b 6*20 + o 12*16 = 728
//   dense FFN          3*16*12 = 576
//   MoE FFN            gate 16*4 + 2 routed * 3*16*5 + shared 3*16*5 = 64 + 480 + 240 = 784
//   main model         (728 + 576) + (728 + 784) + lm_head 16*11 = 2992
//   MTP module         eh_proj 32*16 + block (728 + 784) + lm_head 176 = 2200
//   attention per block and token, T = 10: 2 * H * (Dqk + Dv) * T = 2*2*14*10 = 560
TEST(ModelFlops, MatchesACountByHand) {
    const ModelConfig c = testing::small_config();
    const FlopsPerToken with_mtp = model_flops_per_token(c, 10);
    EXPECT_EQ(with_mtp.matmul_weights, 2992 + 2200);
    EXPECT_EQ(with_mtp.forward, 2 * 5192 + 3 * 560);
    EXPECT_EQ(with_mtp.training, 3 * with_mtp.forward);

    const FlopsPerToken main_only = model_flops_per_token(c, 10, /*with_mtp=*/false);
    EXPECT_EQ(main_only.matmul_weights, 2992);
    EXPECT_EQ(main_only.forward, 2 * 2992 + 2 * 560);
}

TEST(ModelFlops, GqaCountsItsNarrowKeysAndValues) {
    ModelConfig c = testing::small_config();
    c.attention = AttentionKind::gqa;
    c.num_attention_heads = 4;
    c.num_key_value_heads = 2;
    c.num_nextn_predict_layers = 0;
    // q 16*(4*8) + k 16*(2*8) + v 16*(2*6) + o (4*6)*16 = 512 + 256 + 192 + 384 = 1344 per block
    const FlopsPerToken f = model_flops_per_token(c, 1);
    EXPECT_EQ(f.matmul_weights, 2 * 1344 + 576 + 784 + 176);
}

TEST(FmaPeak, IsPositiveAndCached) {
    const double peak = fma_peak_flops();
    EXPECT_TRUE(std::isfinite(peak));
    EXPECT_GT(peak, 1e8);  // any core of this century does 0.1 GFLOP/s
    EXPECT_EQ(fma_peak_flops(), peak);
}

}  // namespace
}  // namespace tinyseek
