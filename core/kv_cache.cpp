#include "core/kv_cache.h"

#include <algorithm>

#include "core/errors.h"

namespace tinyseek {

const char* to_string(CacheMode mode) {
    return mode == CacheMode::latent ? "latent" : "expanded";
}

CacheMode cache_mode_from_string(const std::string& name) {
    if (name == "latent") return CacheMode::latent;
    if (name == "expanded") return CacheMode::expanded;
    throw ConfigError("cache mode: expected 'latent' or 'expanded', got '" + name + "'");
}

KvCacheGeometry KvCacheGeometry::of(const ModelConfig& c, CacheMode mode) {
    KvCacheGeometry g;
    if (c.attention == AttentionKind::mla) {
        if (mode == CacheMode::latent) {
            g.k_width = c.kv_lora_rank + c.qk_rope_head_dim;
            g.v_width = 0;
            g.kv_heads = 1;
        } else {
            g.kv_heads = c.num_attention_heads;
            g.k_width = g.kv_heads * c.qk_head_dim();
            g.v_width = g.kv_heads * c.v_head_dim;
        }
        return g;
    }
    if (mode == CacheMode::latent)
        throw ConfigError(
            std::string("cache mode 'latent' needs attention 'mla', the model has '") +
            to_string(c.attention) + "' (use the expanded cache)");
    g.kv_heads = c.attention == AttentionKind::mha ? c.num_attention_heads : c.num_key_value_heads;
    g.k_width = g.kv_heads * c.qk_head_dim();
    g.v_width = g.kv_heads * c.v_head_dim;
    return g;
}

void KvStorage::allocate(int n_layers, int n_slots, int n_tokens, const KvCacheGeometry& g) {
    layers = n_layers;
    slots = n_slots;
    max_tokens = n_tokens;
    geometry = g;
    const size_t cells = static_cast<size_t>(layers) * slots * max_tokens;
    // Fresh vectors, so capacity() is exactly the requested size (bytes() reports it).
    k = decltype(k)(cells * g.k_width, 0.0f);
    v = decltype(v)(cells * g.v_width, 0.0f);
}

KvCache::KvCache(const ModelConfig& config, CacheMode mode, int max_sequences, int max_tokens,
                 bool with_mtp)
    : mode_(mode), config_layers_(config.num_hidden_layers + (with_mtp ? 1 : 0)) {
    if (with_mtp && config.num_nextn_predict_layers < 1)
        throw ConfigError("kv cache: an MTP layer was requested but the model has no MTP module");
    if (max_sequences <= 0 || max_tokens <= 0)
        throw ConfigError("kv cache: max_sequences and max_tokens must be > 0, got " +
                          std::to_string(max_sequences) + " and " + std::to_string(max_tokens));
    storage_.allocate(config.num_hidden_layers + (with_mtp ? 1 : 0), max_sequences, max_tokens,
                      KvCacheGeometry::of(config, mode));
    lengths_.assign(max_sequences, 0);
}

int KvCache::append(int seq, int n) {
    if (seq < 0 || seq >= storage_.slots)
        throw Error("kv cache: sequence " + std::to_string(seq) + " outside [0, " +
                    std::to_string(storage_.slots) + ")");
    const int pos = lengths_[seq];
    if (n < 0 || pos + n > storage_.max_tokens)
        throw Error("kv cache: sequence " + std::to_string(seq) + " has " + std::to_string(pos) +
                    " of " + std::to_string(storage_.max_tokens) + " cells used, cannot add " +
                    std::to_string(n));
    lengths_[seq] = pos + n;
    used_cells_ += n;
    return pos;
}

void KvCache::truncate(int seq, int length) {
    if (seq < 0 || seq >= storage_.slots || length < 0 || length > lengths_[seq])
        throw Error("kv cache: cannot truncate sequence " + std::to_string(seq) + " to " +
                    std::to_string(length) + " cells");
    used_cells_ -= lengths_[seq] - length;
    lengths_[seq] = length;
}

void KvCache::clear(int seq) {
    used_cells_ -= lengths_[seq];
    lengths_[seq] = 0;
}

void KvCache::clear_all() {
    std::fill(lengths_.begin(), lengths_.end(), 0);
    used_cells_ = 0;
}

}  // namespace tinyseek
