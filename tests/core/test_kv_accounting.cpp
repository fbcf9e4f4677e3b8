// KV-cache accounting: the config formula for MHA/GQA/MQA/MLA and each dtype, checked
// against hand-computed and published numbers.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/kv_accounting.h"

using namespace tinyseek;

TEST(KvAccounting, DeepSeekV3Bf16MlaIs70272BytesPerToken) {
    const ModelConfig v3 = ModelConfig::preset("deepseek-v3");
    // (kv_lora_rank 512 + qk_rope_head_dim 64) elements * 2 bytes * 61 layers.
    EXPECT_EQ(kv_elements_per_token_per_layer(v3, KvScheme::mla), 576);
    EXPECT_EQ(kv_bytes_per_token_per_layer(v3, KvScheme::mla, KvDtype::bf16), 1152);
    const KvReport r = kv_report(v3, {.dtype = KvDtype::bf16});
    EXPECT_EQ(r.layers, 61);
    EXPECT_FALSE(r.mtp_counted);
    EXPECT_EQ(r.row(KvScheme::mla).bytes_per_token, 70272);
    // MHA: 128 heads * (192 + 128) = 40960 elements per layer.
    EXPECT_EQ(r.row(KvScheme::mha).elements_per_token_per_layer, 40960);
    EXPECT_EQ(r.row(KvScheme::mha).bytes_per_token, 40960LL * 2 * 61);
    // GQA with the stated 8 KV heads, MQA with one.
    EXPECT_EQ(r.row(KvScheme::gqa).kv_heads, 8);
    EXPECT_EQ(r.row(KvScheme::gqa).label, "GQA (8 KV heads, assumed)");
    EXPECT_EQ(r.row(KvScheme::gqa).elements_per_token_per_layer, 8 * 320);
    EXPECT_EQ(r.row(KvScheme::mqa).elements_per_token_per_layer, 320);
    EXPECT_NEAR(r.row(KvScheme::mla).ratio_to_mha, 576.0 / 40960.0, 1e-12);
    // With the MTP layer counted: 62 layers.
    EXPECT_EQ(kv_report(v3, {.dtype = KvDtype::bf16, .include_mtp = true})
                  .row(KvScheme::mla)
                  .bytes_per_token,
              576 * 2 * 62);
}

TEST(KvAccounting, TinyPresetPerDtype) {
    const ModelConfig tiny = ModelConfig::preset("tiny");
    // MLA: (32 + 16) floats per token per layer, 4 layers.
    EXPECT_EQ(kv_report(tiny, {.dtype = KvDtype::fp32}).row(KvScheme::mla).bytes_per_token,
              (32 + 16) * 4 * 4);
    EXPECT_EQ(kv_report(tiny, {.dtype = KvDtype::bf16}).row(KvScheme::mla).bytes_per_token,
              (32 + 16) * 4 * 2);
    EXPECT_EQ(kv_report(tiny, {.dtype = KvDtype::fp8}).row(KvScheme::mla).bytes_per_token,
              (32 + 16) * 4 * 1);
    // MHA (= MLA's expanded cache): 4 heads * (48 + 32) per layer.
    const KvReport r = kv_report(tiny, {.dtype = KvDtype::fp32});
    EXPECT_EQ(r.row(KvScheme::mha).elements_per_token_per_layer, 4 * (48 + 32));
    EXPECT_EQ(r.row(KvScheme::mha).bytes_per_token, 4 * 80 * 4 * 4);
    // tiny has 4 heads: the assumed GQA uses 2 KV heads.
    EXPECT_EQ(r.row(KvScheme::gqa).kv_heads, 2);
    EXPECT_EQ(r.row(KvScheme::gqa).elements_per_token_per_layer, 2 * 80);
    EXPECT_EQ(r.row(KvScheme::mqa).elements_per_token_per_layer, 80);
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_EQ(r.rows[0].scheme, KvScheme::mha);
    EXPECT_EQ(r.rows[3].scheme, KvScheme::mla);
}

TEST(KvAccounting, GqaGroupsFromConfigOrRequest) {
    ModelConfig c = ModelConfig::preset("tiny");
    c.attention = AttentionKind::gqa;
    c.num_key_value_heads = 1;
    EXPECT_EQ(gqa_groups(c).kv_heads, 1);
    EXPECT_FALSE(gqa_groups(c).assumed);
    EXPECT_EQ(gqa_groups(c, 4).kv_heads, 4);
    EXPECT_THROW(gqa_groups(c, 3), ConfigError);
    ModelConfig one_head = ModelConfig::preset("tiny");
    one_head.num_attention_heads = 1;
    EXPECT_EQ(gqa_groups(one_head).kv_heads, 1);
    ModelConfig twelve = ModelConfig::preset("tiny");
    twelve.num_attention_heads = 12;
    EXPECT_EQ(gqa_groups(twelve).kv_heads, 6);
    EXPECT_EQ(gqa_groups(ModelConfig::preset("deepseek-v2")).kv_heads, 8);
    EXPECT_EQ(kv_report(ModelConfig::preset("deepseek-v3"), {.gqa_kv_heads = 16})
                  .row(KvScheme::gqa)
                  .label,
              "GQA (16 KV heads)");
}

TEST(KvAccounting, DeepSeekV2MatchesThePaper) {
    // DeepSeek-V2 §2.1.2: MLA caches (d_c + d_h^R) * l = (4 d_h + d_h / 2) * l elements,
    // with d_h = 128: 576 per layer, 60 layers.
    const ModelConfig v2 = ModelConfig::preset("deepseek-v2");
    EXPECT_EQ(kv_elements_per_token_per_layer(v2, KvScheme::mla), 4 * 128 + 128 / 2);
    EXPECT_EQ(kv_report(v2, {.dtype = KvDtype::bf16}).row(KvScheme::mla).bytes_per_token,
              576 * 2 * 60);
}

TEST(KvAccounting, CacheSizeAndMaxBatch) {
    EXPECT_EQ(kv_cache_bytes(70272, 4096, 8), 70272LL * 4096 * 8);
    // 16 GiB budget at 4096 tokens: floor(2^34 / (70272 * 4096)) = 59 sequences.
    EXPECT_EQ(kv_max_batch(70272, 4096, 16LL << 30), 59);
    EXPECT_EQ(kv_max_batch(1000, 10, 9999), 0);
    EXPECT_EQ(kv_max_batch(1000, 10, 10000), 1);
    EXPECT_EQ(kv_max_batch(1000, 10, 0), 0);
    EXPECT_THROW(kv_max_batch(0, 10, 100), Error);
    EXPECT_THROW(kv_cache_bytes(1LL << 40, 1LL << 30, 1LL << 10), Error);  // overflow
}

TEST(KvAccounting, DtypeNamesAndJson) {
    EXPECT_EQ(kv_dtype_from_string("fp8"), KvDtype::fp8);
    EXPECT_EQ(bytes_per_element(kv_dtype_from_string("bf16")), 2);
    try {
        kv_dtype_from_string("int4");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("'int4'"), std::string::npos);
    }
    const nlohmann::json j =
        kv_report(ModelConfig::preset("deepseek-v3"), {.dtype = KvDtype::bf16}).to_json(1000);
    EXPECT_EQ(j["config"], "deepseek-v3");
    EXPECT_EQ(j["dtype"], "bf16");
    EXPECT_EQ(j["layers"], 61);
    EXPECT_EQ(j["schemes"][3]["scheme"], "mla");
    EXPECT_EQ(j["schemes"][3]["bytes_per_token"], 70272);
    EXPECT_EQ(j["schemes"][3]["bytes_for_seq"], 70272000);
}
