// KV-cache accounting from the config formula: how many bytes each attention scheme keeps
// per token, per layer and in total. Elements cached per token per layer, with H heads,
// d_qk = qk_nope_head_dim + qk_rope_head_dim and d_v = v_head_dim:
//
//   MHA  H * d_qk + H * d_v             every head keeps its own K and V
//   GQA  G * d_qk + G * d_v             G key/value heads shared by groups of H/G queries
//   MQA  1 * d_qk + 1 * d_v             one K/V head for all queries
//   MLA  kv_lora_rank + qk_rope_head_dim   the latent c_KV and the shared RoPE key
//                                          (DeepSeek-V2 §2.1.2; V3 keeps the same cache)
//
// MLA's "expanded" cache mode (full per-head K and V on MLA weights) holds exactly the MHA
// count. Bytes = elements * bytes per element (fp32 4, bf16 2, fp8 1; fp8 scale factors are
// not counted). Totals multiply by num_hidden_layers: the MTP module is NOT counted, because
// inference of the main model does not run it (speculative decoding with the MTP draft would
// add one more layer's cache; pass include_mtp to count it).
//
// GQA's group count G: the config's num_key_value_heads when its attention is gqa; else a
// stated assumption, since MLA models have no GQA variant: the largest divisor of H that is
// at most 8 (the common choice of Llama-style models) and below H, so GQA sits between MHA
// and MQA (DeepSeek-V3, H = 128: G = 8; tiny, H = 4: G = 2; H = 1: G = 1). The row's label
// then says "assumed".
//
// Example: deepseek-v3, bf16, MLA: (512 + 64) * 2 bytes * 61 layers = 70,272 bytes per token.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/model_config.h"

namespace tinyseek {

enum class KvDtype { fp32, bf16, fp8 };
enum class KvScheme { mha, gqa, mqa, mla };

const char* to_string(KvDtype dtype);
const char* to_string(KvScheme scheme);
// "fp32" | "bf16" | "fp8"; throws ConfigError listing the accepted names.
KvDtype kv_dtype_from_string(const std::string& name);
int64_t bytes_per_element(KvDtype dtype);

struct KvAccountingOptions {
    KvDtype dtype = KvDtype::bf16;
    int gqa_kv_heads = 0;      // 0 = from the config or the stated assumption above
    bool include_mtp = false;  // count the MTP block's cache as one more layer
};

// The KV heads used for the GQA row and whether they were assumed (not from the config).
struct GqaGroups {
    int kv_heads = 1;
    bool assumed = false;
};
// Throws ConfigError when `requested` (> 0) does not divide num_attention_heads.
GqaGroups gqa_groups(const ModelConfig& config, int requested = 0);

// Elements one token keeps in one layer's cache (formula above).
int64_t kv_elements_per_token_per_layer(const ModelConfig& config, KvScheme scheme,
                                        int gqa_kv_heads = 0);
int64_t kv_bytes_per_token_per_layer(const ModelConfig& config, KvScheme scheme, KvDtype dtype,
                                     int gqa_kv_heads = 0);
// The cache this config's own attention keeps: MLA's latent, GQA's groups or MHA's heads.
KvScheme kv_scheme_of(const ModelConfig& config);
// Layers that keep a cache: num_hidden_layers (+ MTP blocks when include_mtp).
int kv_cached_layers(const ModelConfig& config, bool include_mtp = false);

struct KvRow {
    KvScheme scheme = KvScheme::mla;
    std::string label;  // e.g. "GQA (8 KV heads, assumed)"
    int kv_heads = 0;   // K/V heads kept (MLA: 0, it keeps a latent)
    int64_t elements_per_token_per_layer = 0;
    int64_t bytes_per_token_per_layer = 0;
    int64_t bytes_per_token = 0;  // all cached layers
    double ratio_to_mha = 1.0;    // bytes_per_token / MHA's bytes_per_token
};

struct KvReport {
    std::string config_name;
    KvDtype dtype = KvDtype::bf16;
    int layers = 0;  // cached layers
    bool mtp_counted = false;
    std::vector<KvRow> rows;  // MHA, GQA, MQA, MLA in that order

    const KvRow& row(KvScheme scheme) const;
    nlohmann::json to_json(int64_t seq_len) const;  // adds bytes for seq_len tokens per row
};

KvReport kv_report(const ModelConfig& config, const KvAccountingOptions& options = {});

// Bytes of the cache of `batch` sequences of `seq_len` tokens (throws Error on overflow).
int64_t kv_cache_bytes(int64_t bytes_per_token, int64_t seq_len, int64_t batch = 1);
// Largest batch of seq_len-token sequences whose caches fit in budget_bytes (0 if none).
// Throws Error unless bytes_per_token and seq_len are positive.
int64_t kv_max_batch(int64_t bytes_per_token, int64_t seq_len, int64_t budget_bytes);

}  // namespace tinyseek
