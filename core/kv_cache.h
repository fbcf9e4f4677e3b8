// KV cache for generation: storage (the float buffers) kept apart from bookkeeping (which
// cells of which sequence are in use), as llama.cpp's llama_kv_cache does.
//
// What one token of one layer stores, by cache mode (widths in floats):
//
//   MLA, latent    one row [c_KV (D_c) | k_rope (R)]                    D_c + R
//                  c_KV after kv_a_layernorm, k_rope after RoPE. Values are read from the
//                  c_KV part of the same row (absorbed attention, DeepSeek-V2 §2.1.3).
//   MLA, expanded  K: per head [k_nope (d_nope) | k_rope (R)]           H * (d_nope + R)
//                  V: per head v (d_v)                                   H * d_v
//                  what MHA would keep, expanded once through kv_b_proj when written.
//   MHA / GQA      K and V per KV head, RoPE applied to K's last R dims  H_kv * (d_qk + d_v)
//
// The MTP block is cached only for speculative decoding (core/generator.h), where it drafts
// the next token: it then takes one more layer, index num_hidden_layers, after the main
// ones. Its cell i holds the MTP block's keys for position i (built from h_i and t_{i+1}), so
// one length per sequence serves every layer.
//
// Layout: per layer, per sequence slot, `max_tokens` contiguous rows, so one sequence's keys
// are one strided block that attention streams through. Cell i of a slot holds position i.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/eigen.h"

#include "core/model_config.h"

namespace tinyseek {

enum class CacheMode { latent, expanded };

const char* to_string(CacheMode mode);
// "latent" | "expanded"; throws ConfigError naming the value otherwise.
CacheMode cache_mode_from_string(const std::string& name);

// Per-token, per-layer widths (floats) of the two cached tensors.
struct KvCacheGeometry {
    int k_width = 0;   // latent: D_c + R; otherwise H_kv * d_qk
    int v_width = 0;   // latent: 0 (values live in the first D_c floats of the K row)
    int kv_heads = 0;  // heads the keys are stored for: 1 for latent (shared by all heads)

    // Throws ConfigError when `mode` is latent and the model is not MLA.
    static KvCacheGeometry of(const ModelConfig& config, CacheMode mode);
    int floats_per_token() const { return k_width + v_width; }
};

// The buffers: k (L, S, T, k_width) and v (L, S, T, v_width), 64-byte aligned.
struct KvStorage {
    int layers = 0;
    int slots = 0;       // sequences the cache can hold
    int max_tokens = 0;  // cells per sequence
    KvCacheGeometry geometry;
    std::vector<float, Eigen::aligned_allocator<float>> k;
    std::vector<float, Eigen::aligned_allocator<float>> v;

    void allocate(int layers, int slots, int max_tokens, const KvCacheGeometry& geometry);
    size_t bytes() const { return (k.capacity() + v.capacity()) * sizeof(float); }
};

class KvCache {
  public:
    KvCache() = default;
    // Allocates for `max_sequences` slots of `max_tokens` cells each, all empty; with
    // `with_mtp` one more layer for the MTP block (the model must have one).
    KvCache(const ModelConfig& config, CacheMode mode, int max_sequences, int max_tokens,
            bool with_mtp = false);

    CacheMode mode() const { return mode_; }
    const KvCacheGeometry& geometry() const { return storage_.geometry; }
    int layers() const { return storage_.layers; }  // main layers, plus one with MTP
    int max_sequences() const { return storage_.slots; }
    int max_tokens() const { return storage_.max_tokens; }

    // --- bookkeeping -------------------------------------------------------------------
    int length(int seq) const { return lengths_[seq]; }  // cells in use = next position
    // Claims the next `n` cells of `seq` and returns the position of the first. Throws Error
    // naming the sequence when it would exceed max_tokens.
    int append(int seq, int n = 1);
    // Rolls `seq` back to its first `length` cells (a rejected draft's cell is dropped; its
    // storage is overwritten by the next append). Throws Error when length is not in
    // [0, length(seq)].
    void truncate(int seq, int length);
    void clear(int seq);  // empties one sequence (its storage is simply overwritten later)
    void clear_all();
    size_t used_cells() const { return used_cells_; }

    // --- storage -----------------------------------------------------------------------
    // Row of cell `pos` of sequence `seq` in `layer`: (k_width) and (v_width) floats.
    float* k_row(int layer, int seq, int pos) {
        return storage_.k.data() + offset(layer, seq, pos, k_w());
    }
    const float* k_row(int layer, int seq, int pos) const {
        return storage_.k.data() + offset(layer, seq, pos, k_w());
    }
    float* v_row(int layer, int seq, int pos) {
        return storage_.v.data() + offset(layer, seq, pos, v_w());
    }
    const float* v_row(int layer, int seq, int pos) const {
        return storage_.v.data() + offset(layer, seq, pos, v_w());
    }

    // Bytes of the live allocation (what the process actually holds for the cache).
    size_t bytes() const { return storage_.bytes(); }
    // Bytes the cached cells hold: used_cells() * bytes_per_token().
    size_t bytes_used() const { return used_cells_ * bytes_per_token(); }
    // Config formula: bytes one token occupies over all cached layers,
    //   (num_hidden_layers [+ 1 with the MTP layer]) * floats_per_token * sizeof(float).
    size_t bytes_per_token() const { return bytes_per_token(config_layers_, storage_.geometry); }
    static size_t bytes_per_token(const ModelConfig& config, CacheMode mode) {
        return bytes_per_token(config.num_hidden_layers, KvCacheGeometry::of(config, mode));
    }

  private:
    static size_t bytes_per_token(int layers, const KvCacheGeometry& g) {
        return static_cast<size_t>(layers) * g.floats_per_token() * sizeof(float);
    }
    int k_w() const { return storage_.geometry.k_width; }
    int v_w() const { return storage_.geometry.v_width; }
    size_t offset(int layer, int seq, int pos, int width) const {
        return ((static_cast<size_t>(layer) * storage_.slots + seq) * storage_.max_tokens + pos) *
               width;
    }

    CacheMode mode_ = CacheMode::latent;
    int config_layers_ = 0;
    KvStorage storage_;
    std::vector<int> lengths_;  // (S) cells in use per sequence
    size_t used_cells_ = 0;
};

}  // namespace tinyseek
