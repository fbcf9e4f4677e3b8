#include "core/kv_cache.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "core/kv_accounting.h"

using namespace tinyseek;

TEST(KvCache, LatentStoresOnlyCkvAndRopeKey) {
    const ModelConfig c = ModelConfig::preset("tiny");
    const KvCacheGeometry g = KvCacheGeometry::of(c, CacheMode::latent);
    EXPECT_EQ(g.k_width, 32 + 16);  // kv_lora_rank + qk_rope_head_dim
    EXPECT_EQ(g.v_width, 0);
    // 4 layers * (32 + 16) floats * 4 bytes.
    EXPECT_EQ(KvCache::bytes_per_token(c, CacheMode::latent), 768u);
    // Expanded: 4 layers * 4 heads * ((32 + 16) + 32) floats * 4 bytes.
    EXPECT_EQ(KvCache::bytes_per_token(c, CacheMode::expanded), 5120u);
}

TEST(KvCache, MeasuredBytesEqualFormula) {
    const ModelConfig c = ModelConfig::preset("tiny");
    for (CacheMode mode : {CacheMode::latent, CacheMode::expanded}) {
        KvCache cache(c, mode, 8, 20);
        EXPECT_EQ(cache.bytes(), cache.bytes_per_token() * 8 * 20) << to_string(mode);
        EXPECT_EQ(cache.bytes_used(), 0u);
        cache.append(0, 16);
        cache.append(5, 3);
        EXPECT_EQ(cache.used_cells(), 19u);
        EXPECT_EQ(cache.bytes_used(), 19 * cache.bytes_per_token());
        cache.clear(0);
        EXPECT_EQ(cache.bytes_used(), 3 * cache.bytes_per_token());
    }
}

TEST(KvCache, GqaStoresPerKvHead) {
    ModelConfig c = ModelConfig::preset("tiny");
    c.attention = AttentionKind::gqa;
    c.num_key_value_heads = 2;
    const KvCacheGeometry g = KvCacheGeometry::of(c, CacheMode::expanded);
    EXPECT_EQ(g.kv_heads, 2);
    EXPECT_EQ(g.k_width, 2 * 48);
    EXPECT_EQ(g.v_width, 2 * 32);
    KvCache cache(c, CacheMode::expanded, 3, 10);
    EXPECT_EQ(cache.bytes(), 4u * (96 + 64) * 4 * 3 * 10);
    EXPECT_THROW(KvCacheGeometry::of(c, CacheMode::latent), ConfigError);
    c.attention = AttentionKind::mha;
    EXPECT_EQ(KvCacheGeometry::of(c, CacheMode::expanded).kv_heads, 4);
}

TEST(KvCache, BookkeepingAndRowsAreDisjoint) {
    const ModelConfig c = ModelConfig::preset("tiny");
    KvCache cache(c, CacheMode::expanded, 3, 5);
    EXPECT_EQ(cache.append(1, 2), 0);
    EXPECT_EQ(cache.append(1), 2);
    EXPECT_EQ(cache.length(1), 3);
    EXPECT_EQ(cache.length(0), 0);
    EXPECT_THROW(cache.append(1, 3), Error);  // 3 + 3 > 5 cells
    EXPECT_THROW(cache.append(3), Error);     // no slot 3
    // Every (layer, seq, pos) row is its own memory: write a tag, read it back.
    const KvCacheGeometry& g = cache.geometry();
    for (int l = 0; l < cache.layers(); ++l)
        for (int s = 0; s < 3; ++s)
            for (int p = 0; p < 5; ++p) {
                const float tag = float(l * 100 + s * 10 + p);
                std::fill(cache.k_row(l, s, p), cache.k_row(l, s, p) + g.k_width, tag);
                std::fill(cache.v_row(l, s, p), cache.v_row(l, s, p) + g.v_width, -tag);
            }
    for (int l = 0; l < cache.layers(); ++l)
        for (int s = 0; s < 3; ++s)
            for (int p = 0; p < 5; ++p) {
                const float tag = float(l * 100 + s * 10 + p);
                EXPECT_EQ(cache.k_row(l, s, p)[0], tag);
                EXPECT_EQ(cache.k_row(l, s, p)[g.k_width - 1], tag);
                EXPECT_EQ(cache.v_row(l, s, p)[g.v_width - 1], -tag);
            }
    cache.clear_all();
    EXPECT_EQ(cache.used_cells(), 0u);
    EXPECT_EQ(cache.length(1), 0);
}

TEST(KvCache, ModeNames) {
    EXPECT_EQ(cache_mode_from_string("latent"), CacheMode::latent);
    EXPECT_EQ(cache_mode_from_string("expanded"), CacheMode::expanded);
    EXPECT_THROW(cache_mode_from_string("full"), ConfigError);
    EXPECT_STREQ(to_string(CacheMode::expanded), "expanded");
}

// The live cache against the independent accounting formula of core/kv_accounting.h (fp32):
// latent = MLA's (kv_lora_rank + qk_rope_head_dim), expanded = MHA's per-head K and V, and a
// GQA model's cache = the GQA row with its own KV heads.
TEST(KvCache, LiveAllocationEqualsTheAccountingFormula) {
    const ModelConfig tiny = ModelConfig::preset("tiny");
    ModelConfig gqa = tiny;
    gqa.attention = AttentionKind::gqa;
    gqa.num_key_value_heads = 2;
    ModelConfig wide = tiny;  // a different shape, so nothing matches by accident
    wide.kv_lora_rank = 48;
    wide.qk_rope_head_dim = 8;
    wide.num_hidden_layers = 3;
    struct Case {
        ModelConfig config;
        CacheMode mode;
        KvScheme scheme;
    };
    for (const Case& k : {Case{tiny, CacheMode::latent, KvScheme::mla},
                          Case{tiny, CacheMode::expanded, KvScheme::mha},
                          Case{wide, CacheMode::latent, KvScheme::mla},
                          Case{wide, CacheMode::expanded, KvScheme::mha},
                          Case{gqa, CacheMode::expanded, KvScheme::gqa}}) {
        const int64_t formula = kv_bytes_per_token_per_layer(k.config, k.scheme, KvDtype::fp32) *
                                kv_cached_layers(k.config);
        const int sequences = 3, tokens = 7;
        KvCache cache(k.config, k.mode, sequences, tokens);
        EXPECT_EQ(static_cast<int64_t>(cache.bytes_per_token()), formula) << to_string(k.scheme);
        EXPECT_EQ(static_cast<int64_t>(cache.bytes()), formula * sequences * tokens);
        cache.append(1, 5);
        EXPECT_EQ(static_cast<int64_t>(cache.bytes_used()), formula * 5);
    }
}
