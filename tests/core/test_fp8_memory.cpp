// Training-state memory of the recipes, against the tiny model's numbers worked out by hand
// from its config (docs/ARCHITECTURE.md "FP8").
#include "core/fp8_memory.h"

#include <gtest/gtest.h>

#include "core/param_count.h"

using namespace tinyseek;

TEST(Fp8Memory, TinyModelByHand) {
    const ModelConfig c = ModelConfig::preset("tiny");
    ASSERT_EQ(c.hidden_size, 128);
    // Per block, MLA with C = 128, H = 4, q_lora 64, kv_lora 32, rope 16, nope 32, v 32:
    // q_a 64x128, q_b 192x64, kv_a 48x128, kv_b 256x32, o 128x128 = 51,200 in 7 blocks of 128.
    const std::int64_t attn = 64 * 128 + 192 * 64 + 48 * 128 + 256 * 32 + 128 * 128;
    // Dense layer 0: 384x128 twice and 128x384 (9 blocks); MoE layers: 8 experts + 1 shared,
    // each three 128x128 (27 blocks); the MTP block is an MoE block plus eh_proj 128x256.
    const std::int64_t dense = 3 * 384 * 128, moe = 9 * 3 * 128 * 128, eh = 128 * 256;
    const std::int64_t gemm = (attn + dense) + 3 * (attn + moe) + (attn + moe + eh);
    const std::int64_t scales = (7 + 9) + 3 * (7 + 27) + (7 + 27 + 2);
    const Fp8ParamSplit s = fp8_param_split(c);
    EXPECT_EQ(attn, 51200);
    EXPECT_EQ(s.gemm_weights, gemm);
    EXPECT_EQ(s.weight_scales, scales);
    const std::int64_t total = count_params(c).total;
    EXPECT_EQ(s.total, total);
    // Non-trainable: e_score_correction_bias, 8 per MoE block (3 main + 1 MTP).
    EXPECT_EQ(s.trainable, total - 4 * 8);

    const Fp8MemoryResult r = fp8_training_memory(c);
    ASSERT_EQ(r.recipes.size(), 3u);
    const double n = double(total), t = double(total - 32);
    EXPECT_EQ(r.recipes[0].name, "fp32");
    EXPECT_DOUBLE_EQ(r.recipes[0].total(), 4 * n + 3 * 4 * t);
    EXPECT_EQ(r.recipes[1].name, "bf16");
    EXPECT_DOUBLE_EQ(r.recipes[1].total(), 2 * n + (4 + 2 + 4 + 4) * t);
    EXPECT_EQ(r.recipes[2].name, "fp8");
    EXPECT_DOUBLE_EQ(r.recipes[2].weights, double(gemm) + 2.0 * double(total - gemm));
    EXPECT_DOUBLE_EQ(r.recipes[2].weight_scales, 4.0 * double(scales));
    EXPECT_DOUBLE_EQ(r.recipes[2].total(), double(gemm) + 2.0 * double(total - gemm) +
                                               4.0 * double(scales) + (4 + 4 + 2 + 2) * t);
}

TEST(Fp8Memory, GemmWeightsAreLinearMatricesOnly) {
    EXPECT_TRUE(fp8_is_gemm_weight("model.layers.1.mlp.experts.0.up_proj.weight", {128, 128}));
    EXPECT_TRUE(fp8_is_gemm_weight("model.layers.4.eh_proj.weight", {128, 256}));
    EXPECT_FALSE(fp8_is_gemm_weight("model.embed_tokens.weight", {64, 128}));
    EXPECT_FALSE(fp8_is_gemm_weight("lm_head.weight", {64, 128}));
    EXPECT_FALSE(fp8_is_gemm_weight("model.layers.1.mlp.gate.weight", {8, 128}));
    EXPECT_FALSE(fp8_is_gemm_weight("model.layers.1.input_layernorm.weight", {128}));
}
