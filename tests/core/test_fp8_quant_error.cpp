// The FP8 scaling-granularity experiment: outlier injection, weight grouping, and a
// hand-computed case where one outlier spoils the per-tensor scale of a whole matrix but only
// its own 1 x T tile.
#include "core/fp8_quant_error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/errors.h"
#include "core/model_config.h"

using namespace tinyseek;

TEST(Fp8QuantError, InjectsExactlyNDistinctOutliers) {
    const std::vector<float> x(100, 0.5f);
    const std::vector<float> y = fp8_inject_outliers(x, 7, 42);
    int changed = 0;
    for (float v : y) {
        if (v == 0.5f * 1000.0f)
            ++changed;
        else
            EXPECT_EQ(v, 0.5f);
    }
    EXPECT_EQ(changed, 7);
    const std::vector<float> all = fp8_inject_outliers({1.0f, 2.0f}, 10, 1);
    EXPECT_EQ(all, (std::vector<float>{1000.0f, 2000.0f}));
    EXPECT_EQ(fp8_inject_outliers(x, 0, 3), x);
}

TEST(Fp8QuantError, GroupsWeightsByKind) {
    const ModelConfig c = ModelConfig::preset("tiny");  // 4 layers, MTP block at index 4
    EXPECT_EQ(fp8_weight_group("model.layers.0.self_attn.q_a_proj.weight", c), "attention");
    EXPECT_EQ(fp8_weight_group("model.layers.0.mlp.up_proj.weight", c), "dense_mlp");
    EXPECT_EQ(fp8_weight_group("model.layers.2.mlp.experts.5.down_proj.weight", c),
              "routed_experts");
    EXPECT_EQ(fp8_weight_group("model.layers.2.mlp.shared_experts.gate_proj.weight", c),
              "shared_experts");
    EXPECT_EQ(fp8_weight_group("model.layers.3.mlp.gate.weight", c), "router");
    EXPECT_EQ(fp8_weight_group("model.layers.4.eh_proj.weight", c), "mtp");
    EXPECT_EQ(fp8_weight_group("model.layers.4.self_attn.o_proj.weight", c), "mtp");
    EXPECT_EQ(fp8_weight_group("model.embed_tokens.weight", c), "embedding");
    EXPECT_EQ(fp8_weight_group("lm_head.weight", c), "head");
}

TEST(Fp8QuantError, PerTileConfinesAnOutlierToItsTile) {
    // One activation row of 256 ones with the first multiplied by 1000 (outliers = 1 with a
    // seed whose first pick we do not need: every entry is 1, so any pick gives this row up
    // to order). Per tensor: scale = 1000 / 448, each 1 becomes 0.448, whose nearest E4M3
    // value is 1.75 * 2^-2 = 0.4375 (step 2^-5 between 0.25 and 0.5), relative error
    // (0.448 - 0.4375) / 0.448. Per 1 x 128 tile: the tile without the outlier has scale
    // 1 / 448 and 448 is exact; the outlier's tile holds the per-tensor error.
    Fp8NamedMatrix m{"act", "ones", 1, 256, std::vector<float>(256, 1.0f)};
    Fp8QuantErrorConfig c;
    c.tile = 128;
    c.outliers = 1;
    const Fp8QuantErrorResult r = measure_fp8_quant_error({}, {m}, c);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_FALSE(r.rows[0].with_outliers);
    EXPECT_LT(r.rows[0].per_tensor.max_rel_error, 1e-6);  // all ones: 448 is exact
    const Fp8QuantErrorRow& o = r.rows[1];
    EXPECT_TRUE(o.with_outliers);
    EXPECT_EQ(o.kind, "activations");
    EXPECT_EQ(o.elements, 256);
    const double per_one = (0.448 - 0.4375) / 0.448;
    EXPECT_NEAR(o.per_tensor.max_rel_error, per_one, 1e-5);
    EXPECT_NEAR(o.per_tensor.mean_rel_error(), per_one * 255.0 / 256.0, 1e-5);
    EXPECT_NEAR(o.per_tile.max_rel_error, per_one, 1e-5);
    EXPECT_NEAR(o.per_tile.mean_rel_error(), per_one * 127.0 / 256.0, 1e-5);
}

TEST(Fp8QuantError, WeightsUseBlocksAndBadTilesAreRejected) {
    // A 2 x 2 block grid of a 32 x 32 weight with tile 16: the outlier spoils one block of four.
    Fp8NamedMatrix w{"attention", "w", 32, 32, std::vector<float>(32 * 32, 1.0f)};
    Fp8QuantErrorConfig c;
    c.tile = 16;
    c.outliers = 1;
    const Fp8QuantErrorResult r = measure_fp8_quant_error({w}, {}, c);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[1].kind, "weights");
    const double per_one = (0.448 - 0.4375) / 0.448;
    EXPECT_NEAR(r.rows[1].per_tensor.mean_rel_error(), per_one * 1023.0 / 1024.0, 1e-5);
    EXPECT_NEAR(r.rows[1].per_tile.mean_rel_error(), per_one * 255.0 / 1024.0, 1e-5);
    c.tile = 48;
    EXPECT_THROW(measure_fp8_quant_error({w}, {}, c), ConfigError);
}
