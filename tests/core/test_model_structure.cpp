// model_structure against numbers worked out by hand from the tiny preset's dimensions
// (docs/ARCHITECTURE.md "Model config"), and against the counts model-info prints for the
// DeepSeek presets.
#include <gtest/gtest.h>

#include "core/model_structure.h"
#include "core/param_count.h"

namespace tinyseek {
namespace {

// tiny: V 64, C 128, 4 layers (1 dense), H 4, q_lora 64, D_c 32, Dn 32, R 16, Dv 32,
// dense width 384, 8 routed experts of width 128, 1 shared, top-2, MTP depth 1.
constexpr int64_t kEmbedding = 64 * 128;
constexpr int64_t kAttentionMatmuls = 64 * 128                     // q_a_proj
                                      + 4 * 48 * 64                // q_b_proj
                                      + (32 + 16) * 128            // kv_a_proj_with_mqa
                                      + 4 * (32 + 32) * 32         // kv_b_proj
                                      + 128 * 4 * 32;              // o_proj
constexpr int64_t kAttention = kAttentionMatmuls + 64 + 32 + 128;  // + q_a, kv_a, input norms
constexpr int64_t kDenseMatmuls = 3 * 384 * 128;
constexpr int64_t kDense = kDenseMatmuls + 128;  // + post_attention_layernorm
constexpr int64_t kExpert = 3 * 128 * 128;
constexpr int64_t kRouter = 8 * 128 + 8;  // gate weight and correction bias
constexpr int64_t kMoe = kRouter + 8 * kExpert + kExpert + 128;
constexpr int64_t kMoeActive = kRouter + 2 * kExpert + kExpert + 128;
constexpr int64_t kMtp = 128 + 128 + 128 * 256 + kAttention + kMoe + 128;  // enorm, hnorm, eh_proj
constexpr int64_t kMain = kEmbedding + 4 * kAttention + kDense + 3 * kMoe + 128 + kEmbedding;

TEST(ModelStructure, TinyPartsAndTotalsAsComputedByHand) {
    const ModelStructure s = model_structure(ModelConfig::preset("tiny"), 128);
    ASSERT_EQ(s.parts.size(), 1u + 4 * 2 + 1 + 1 + 1);
    const std::vector<ModelPart::Kind> order = {
        ModelPart::Kind::embedding,  ModelPart::Kind::attention, ModelPart::Kind::dense_mlp,
        ModelPart::Kind::attention,  ModelPart::Kind::moe,       ModelPart::Kind::attention,
        ModelPart::Kind::moe,        ModelPart::Kind::attention, ModelPart::Kind::moe,
        ModelPart::Kind::final_norm, ModelPart::Kind::head,      ModelPart::Kind::mtp};
    for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(s.parts[i].kind, order[i]) << i;
    EXPECT_EQ(s.parts[0].params, kEmbedding);
    EXPECT_EQ(s.parts[1].params, kAttention);
    EXPECT_EQ(s.parts[2].params, kDense);
    EXPECT_EQ(s.parts[4].params, kMoe);
    EXPECT_EQ(s.parts[4].active_params, kMoeActive);
    EXPECT_EQ(s.parts[4].layer, 1);
    EXPECT_EQ(s.parts[11].params, kMtp);
    EXPECT_EQ(s.total_params, kMain + kMtp);
    EXPECT_EQ(s.total_params, 2'228'480);  // the figure docs/ARCHITECTURE.md gives
    EXPECT_EQ(s.main_params, kMain);
    EXPECT_EQ(s.active_per_token,
              kEmbedding + 4 * kAttention + kDense + 3 * kMoeActive + 128 + kEmbedding);
    // KV cache: (D_c + R) bf16 values per layer, 4 layers; the MTP block only when drafting.
    EXPECT_EQ(s.parts[1].kv_bytes_per_token, (32 + 16) * 2);
    EXPECT_EQ(s.parts[2].kv_bytes_per_token, 0);
    EXPECT_EQ(s.kv_bytes_per_token, (32 + 16) * 2 * 4);
    // FLOPs (PaLM): 2 x matmul weights a token runs (main + MTP) + 2 x blocks x H (Dqk+Dv) T.
    const int64_t mainMatmuls =
        4 * kAttentionMatmuls + kDenseMatmuls + 3 * (8 * 128 + 3 * kExpert) + kEmbedding;
    const int64_t mtpMatmuls = 128 * 256 + kAttentionMatmuls + 8 * 128 + 3 * kExpert + kEmbedding;
    const double forward = 2.0 * (mainMatmuls + mtpMatmuls) + 2.0 * 5 * 4 * (48 + 32) * 128;
    EXPECT_DOUBLE_EQ(s.forward_flops_per_token, forward);
    EXPECT_NEAR(s.training_flops_per_token, 7.51e6, 0.005e6);  // the figure the README quotes
}

TEST(ModelStructure, PartsAddUpToTheCountsForEveryPreset) {
    for (const std::string& name : ModelConfig::preset_names()) {
        const char* preset = name.c_str();
        const ModelConfig c = ModelConfig::preset(preset);
        const ModelStructure s = model_structure(c);
        const ParamCounts counts = count_params(c);
        int64_t params = 0, active = 0, tensors = 0;
        for (const ModelPart& p : s.parts) {
            params += p.params;
            if (p.kind != ModelPart::Kind::mtp) active += p.active_params;
            tensors += static_cast<int64_t>(p.tensors.size());
            int64_t sum = 0;
            for (const TensorInfo& t : p.tensors) sum += t.numel;
            EXPECT_EQ(sum, p.params) << preset;
        }
        EXPECT_EQ(params, counts.total) << preset;
        EXPECT_EQ(active, counts.active_per_token) << preset;
        EXPECT_GT(tensors, 0);
        EXPECT_EQ(s.seq_len, c.max_position_embeddings);
    }
    // DeepSeek-V3, bf16 latent cache: (512 + 64) x 2 B x 61 layers (docs/ARCHITECTURE.md).
    EXPECT_EQ(model_structure(ModelConfig::preset("deepseek-v3")).kv_bytes_per_token, 70'272);
}

}  // namespace
}  // namespace tinyseek
