// Attention at inference time: a batch of rows (token t of sequence s at position p) attends
// to the KV cache of its own sequence. Three paths on one interface:
//
// MLA, latent cache (absorbed, DeepSeek-V2 §2.1.3 and V3 inference/model.py attn_impl
// "absorb"). Per head h, with kv_b_proj split into W_UK[h] (d_nope, D_c) and W_UV[h] (d_v, D_c):
//   score_t = (q_nope W_UK[h]) · c_t + q_rope · k_rope_t        (q_nope W_UK[h] is (D_c))
//   o_h     = W_UV[h] (sum_t p_t c_t)                          (attend over c_KV, then expand)
// so the cache is never expanded: it is multi-query attention over rows [c_t | k_rope_t]
// with queries [q_nope W_UK[h] | q_rope] of width D_c + R, and values = the c_t part.
//
// MLA, expanded cache (naive form): k_nope and v come from kv_b_proj(c) once, when the token
// is written; K = [k_nope | k_rope] and V are stored per head and read back as in MHA.
//
// MHA / GQA comparison models: q_proj, k_proj, v_proj; RoPE on the last R dims of each query
// and key head; query head h reads KV head h / (H / H_kv).
//
// Softmax scale 1/sqrt(d_nope + R), times YaRN's mscale^2 (core/rope_scaling.h), in every
// path (the absorbed form computes the same dot products, only in another order).
#pragma once

#include <vector>

#include "core/decode_gemm.h"
#include "core/eigen.h"

#include "core/kv_cache.h"
#include "core/model_config.h"
#include "core/param_store.h"
#include "core/rope.h"

namespace tinyseek {

// One block's attention weights, packed for decode_gemm. Packed again at every generate() /
// logits() call so the decoder always sees the current parameters (GRPO trains in between).
struct AttentionWeights {
    // The projections that read the block input h, stacked so one GEMM computes them all:
    //   MLA:      [q_a (q_lora) | kv_a (D_c + R)]   or [q_proj (H d_qk) | kv_a] without q_lora
    //   MHA/GQA:  [q_proj (H d_qk) | k_proj (H_kv d_qk) | v_proj (H_kv d_v)]
    PackedMatrix in_proj;
    const float* q_a_norm = nullptr;   // (q_lora)
    const float* kv_a_norm = nullptr;  // (D_c)
    PackedMatrix q_b;                  // (H d_qk, q_lora)
    std::vector<PackedMatrix> w_uk;    // latent: H x W_UK[h]^T, so q_nope W_UK[h] = x W^T (D_c)
    std::vector<PackedMatrix> w_uv;    // latent: H x W_UV[h] (d_v, D_c)
    PackedMatrix kv_b;                 // expanded: (H (d_nope + d_v), D_c)
    PackedMatrix o;                    // (C, H d_v)

    void load(const ParamStore& params, int layer, CacheMode mode);
};

// The rows of one forward call: row r is sequence seq[r] at position pos[r]. Every row's
// position must already be claimed in the cache (KvCache::append); rows of one sequence may
// appear together (prefill) as long as all their positions are claimed before the call.
struct RowBatch {
    int n = 0;
    const int* seq = nullptr;
    const int* pos = nullptr;
    // Every row belongs to a different sequence (a decode step): no row reads a cache cell
    // that another row writes, so attention needs no barrier between writing and reading.
    bool one_row_per_sequence = false;
};

// Holds the scratch buffers for up to `max_rows` rows; forward() never allocates.
//
// Threading: forward() is called by every thread of an OpenMP team (or outside any parallel
// region, by one thread for all rows). Each thread computes its own rows [r0, r1) — their
// projections, cache writes, attention and output — so the only synchronisation is one
// barrier between writing the cache and reading it (a prompt's rows may sit in several
// threads' ranges), skipped for decode steps. Row results do not depend on the split.
class AttentionDecoder {
  public:
    AttentionDecoder(const ModelConfig& config, CacheMode mode, int max_rows, int max_tokens,
                     int max_threads);

    // out rows [r0, r1) (C each) = attention output (after o_proj) for rows [r0, r1) of h, the
    // block's normalised input (rows, C). Writes those rows' keys/values into `cache` at
    // (layer, seq, pos), waits at a barrier for the other threads' writes, then every row
    // attends to positions 0..pos of its own sequence. Positions must be inside the RoPE table
    // and the cache (nothing here throws: it runs inside a parallel region).
    void forward(float* out, const float* h, const AttentionWeights& w, int layer,
                 const RowBatch& rows, int r0, int r1, KvCache& cache,
                 const RopeTable<float>& rope);

    int max_rows() const { return max_rows_; }
    int max_tokens() const { return max_tokens_; }
    int max_threads() const { return static_cast<int>(scores_.size()); }

  private:
    using Buffer = std::vector<float, Eigen::aligned_allocator<float>>;

    void forward_mla(const AttentionWeights& w, int layer, const RowBatch& rows, int r0, int r1,
                     KvCache& cache, const RopeTable<float>& rope);
    void forward_mha(const AttentionWeights& w, int layer, const RowBatch& rows, int r0, int r1,
                     KvCache& cache, const RopeTable<float>& rope);
    // The phases of forward_mla, each over the thread's rows [r0, r1).
    // Queries (q_), the normalised latent (c_n_) and RoPE; only for a non-empty range.
    void mla_project(const AttentionWeights& w, const RowBatch& rows, int r0, int r1,
                     const RopeTable<float>& rope);
    // Latent: cache rows [c | k_rope] and the absorbed queries (q_cat_).
    void mla_cache_latent(const AttentionWeights& w, int layer, const RowBatch& rows, int r0,
                          int r1, KvCache& cache);
    // Expanded: per-head [k_nope | k_rope] and v into the cache; only for a non-empty range.
    void mla_cache_expanded(const AttentionWeights& w, int layer, const RowBatch& rows, int r0,
                            int r1, KvCache& cache);
    void attend_latent(int layer, const RowBatch& rows, int r0, int r1, KvCache& cache);
    void mla_absorb_output(const AttentionWeights& w, int r0, int r1);  // o_lat -> o_v
    // Per-head attention over cached K/V heads (expanded MLA, MHA, GQA): q_ -> o_v_.
    void attend_heads(int layer, const RowBatch& rows, int r0, int r1, KvCache& cache);

    ModelConfig c_;
    CacheMode mode_;
    int max_rows_;
    int max_tokens_;
    float scale_;
    int proj_w_ = 0;  // width of in_proj's output
    Buffer proj_;     // (N, proj_w_)   in_proj(h); RoPE applied in place to its key part
    Buffer q_an_;     // (N, q_lora)    q_a_layernorm(q_a)
    Buffer q_;        // (N, H * d_qk)  queries, rope part rotated in place
    Buffer c_n_;      // (N, D_c)       kv_a_layernorm(c_KV)
    Buffer kv_b_;     // (N, H * (d_nope + d_v))   expanded only
    Buffer q_cat_;    // (N, H, D_c + R)  latent: absorbed queries [q_nope W_UK | q_rope]
    Buffer o_lat_;    // (N, H, D_c)      latent: sum_t p_t c_t per head
    Buffer o_v_;      // (N, H * d_v)     per-head outputs, input of o_proj
    std::vector<Buffer> scores_;  // per thread: (max_tokens, H) attention scores
};

}  // namespace tinyseek
