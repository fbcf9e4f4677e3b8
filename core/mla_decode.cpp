#include "core/mla_decode.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <omp.h>

#include "core/errors.h"
#include "core/rmsnorm.h"

namespace tinyseek {

namespace {

// out (vdim) = sum_t softmax_t(scale * q·k_t) v_t over n_keys cached tokens;
// k_t = k + t * k_stride, v_t = v + t * v_stride. `scores` holds n_keys floats.
void attend(float* out, const float* q, int qdim, const float* k, size_t k_stride, const float* v,
            size_t v_stride, int vdim, int n_keys, float scale, float* scores) {
    float m = -INFINITY;
    for (int t = 0; t < n_keys; ++t) {
        const float* kt = k + t * k_stride;
        float s = 0.0f;
#pragma omp simd reduction(+ : s)
        for (int i = 0; i < qdim; ++i) s += q[i] * kt[i];
        s *= scale;
        scores[t] = s;
        m = std::max(m, s);
    }
    float sum = 0.0f;
    for (int t = 0; t < n_keys; ++t) sum += scores[t] = std::exp(scores[t] - m);
    const float inv = 1.0f / sum;
    std::fill(out, out + vdim, 0.0f);
    for (int t = 0; t < n_keys; ++t) {
        const float p = scores[t] * inv;
        const float* vt = v + t * v_stride;
#pragma omp simd
        for (int i = 0; i < vdim; ++i) out[i] += p * vt[i];
    }
}

}  // namespace

void AttentionWeights::load(const ParamStore& params, int layer, CacheMode mode) {
    const ModelConfig& c = params.config();
    const std::string p = layer_prefix(layer) + "self_attn.";
    const int C = c.hidden_size, H = c.num_attention_heads, Dqk = c.qk_head_dim();
    const int Dn = c.qk_nope_head_dim, Dv = c.v_head_dim, Dc = c.kv_lora_rank;
    const int R = c.qk_rope_head_dim;
    o.resize(C, H * Dv);
    o.set_rows(0, params.ptr(p + "o_proj.weight"), C, H * Dv);
    if (c.attention != AttentionKind::mla) {
        const KvCacheGeometry g = KvCacheGeometry::of(c, CacheMode::expanded);
        in_proj.resize(H * Dqk + g.k_width + g.v_width, C);
        in_proj.set_rows(0, params.ptr(p + "q_proj.weight"), H * Dqk, C);
        in_proj.set_rows(H * Dqk, params.ptr(p + "k_proj.weight"), g.k_width, C);
        in_proj.set_rows(H * Dqk + g.k_width, params.ptr(p + "v_proj.weight"), g.v_width, C);
        return;
    }
    const int q_width = c.q_lora_rank > 0 ? c.q_lora_rank : H * Dqk;
    in_proj.resize(q_width + Dc + R, C);
    if (c.q_lora_rank > 0) {
        in_proj.set_rows(0, params.ptr(p + "q_a_proj.weight"), q_width, C);
        q_a_norm = params.ptr(p + "q_a_layernorm.weight");
        q_b.resize(H * Dqk, c.q_lora_rank);
        q_b.set_rows(0, params.ptr(p + "q_b_proj.weight"), H * Dqk, c.q_lora_rank);
    } else {
        in_proj.set_rows(0, params.ptr(p + "q_proj.weight"), q_width, C);
    }
    in_proj.set_rows(q_width, params.ptr(p + "kv_a_proj_with_mqa.weight"), Dc + R, C);
    kv_a_norm = params.ptr(p + "kv_a_layernorm.weight");
    const float* kv_b_w = params.ptr(p + "kv_b_proj.weight");  // (H (d_nope + d_v), D_c)
    if (mode == CacheMode::latent) {
        // Head h's rows of kv_b_proj: [W_UK[h] (d_nope, D_c); W_UV[h] (d_v, D_c)].
        w_uk.resize(H);
        w_uv.resize(H);
        for (int hd = 0; hd < H; ++hd) {
            const float* head = kv_b_w + static_cast<size_t>(hd) * (Dn + Dv) * Dc;
            w_uk[hd].resize(Dc, Dn);  // q_nope (d_nope) -> q_nope W_UK[h] (D_c)
            w_uk[hd].set_rows_transposed(0, head, Dc, Dc);
            w_uv[hd].resize(Dv, Dc);  // o_lat (D_c) -> o_lat W_UV[h]^T (d_v)
            w_uv[hd].set_rows(0, head + static_cast<size_t>(Dn) * Dc, Dv, Dc);
        }
    } else {
        kv_b.resize(H * (Dn + Dv), Dc);
        kv_b.set_rows(0, kv_b_w, H * (Dn + Dv), Dc);
    }
}

AttentionDecoder::AttentionDecoder(const ModelConfig& c, CacheMode mode, int max_rows,
                                   int max_tokens)
    : c_(c), mode_(mode), max_rows_(max_rows), max_tokens_(max_tokens) {
    const KvCacheGeometry g = KvCacheGeometry::of(c, mode);  // validates mode vs attention
    const size_t N = max_rows;
    const int H = c.num_attention_heads;
    scale_ = 1.0f / std::sqrt(static_cast<float>(c.qk_head_dim()));
    q_.resize(N * H * c.qk_head_dim());
    o_v_.resize(N * H * c.v_head_dim);
    if (c.attention == AttentionKind::mla) {
        const int q_width = c.q_lora_rank > 0 ? c.q_lora_rank : H * c.qk_head_dim();
        proj_w_ = q_width + c.kv_lora_rank + c.qk_rope_head_dim;
        q_an_.resize(N * c.q_lora_rank);
        c_n_.resize(N * c.kv_lora_rank);
        if (mode == CacheMode::latent) {
            q_cat_.resize(N * H * (c.kv_lora_rank + c.qk_rope_head_dim));
            o_lat_.resize(N * H * c.kv_lora_rank);
        } else {
            kv_b_.resize(N * H * (c.qk_nope_head_dim + c.v_head_dim));
        }
    } else {
        proj_w_ = H * c.qk_head_dim() + g.k_width + g.v_width;
    }
    proj_.resize(N * proj_w_);
    scores_.assign(omp_get_max_threads(), Buffer(max_tokens));
}

void AttentionDecoder::forward(float* out, const float* h, const AttentionWeights& w, int layer,
                               const RowBatch& rows, KvCache& cache, const RopeTable<float>& rope) {
    if (rows.n > max_rows_)
        throw Error("attention: " + std::to_string(rows.n) + " rows, workspace holds " +
                    std::to_string(max_rows_));
    if (cache.mode() != mode_ || cache.max_tokens() > max_tokens_)
        throw Error("attention: the KV cache does not match the decoder's mode or length");
    if (rows.n == 0) return;
    // Every projection of the block input in one GEMM: (n, proj_w_).
    packed_gemm_parallel(proj_.data(), proj_w_, h, c_.hidden_size, rows.n, w.in_proj);
    if (c_.attention != AttentionKind::mla) {
        forward_mha(out, w, layer, rows, cache, rope);
        return;
    }
    project_mla(w, rows, rope);
    if (mode_ == CacheMode::latent)
        forward_latent(w, layer, rows, cache);
    else
        forward_expanded(w, layer, rows, cache);
    // out (n, C) = o_v (n, H d_v) W_o^T
    packed_gemm_parallel(out, c_.hidden_size, o_v_.data(), c_.num_attention_heads * c_.v_head_dim,
                         rows.n, w.o);
}

void AttentionDecoder::project_mla(const AttentionWeights& w, const RowBatch& rows,
                                   const RopeTable<float>& rope) {
    const int n = rows.n;
    const int H = c_.num_attention_heads, Dqk = c_.qk_head_dim();
    const int Dc = c_.kv_lora_rank;
    const int q_width = proj_w_ - Dc - c_.qk_rope_head_dim;
    float* kv_a = proj_.data() + q_width;  // rows [c_KV | k_rope] at stride proj_w_
    // q = q_b(rmsnorm(q_a(h))) (n, H * d_qk), or q_proj(h) without query compression.
    if (c_.q_lora_rank > 0) {
        rmsnorm_forward(q_an_.data(), static_cast<float*>(nullptr), proj_.data(), w.q_a_norm, n,
                        c_.q_lora_rank, c_.rms_norm_eps, proj_w_);
        packed_gemm_parallel(q_.data(), H * Dqk, q_an_.data(), c_.q_lora_rank, n, w.q_b);
    } else {
        for (int r = 0; r < n; ++r)
            std::memcpy(q_.data() + static_cast<size_t>(r) * H * Dqk,
                        proj_.data() + static_cast<size_t>(r) * proj_w_, H * Dqk * sizeof(float));
    }
    // c = kv_a_layernorm(c_KV) (n, D_c); RoPE on each head's q_rope and the shared k_rope.
    rmsnorm_forward(c_n_.data(), static_cast<float*>(nullptr), kv_a, w.kv_a_norm, n, Dc,
                    c_.rms_norm_eps, proj_w_);
    rope_forward(q_.data() + c_.qk_nope_head_dim, rope, rows.pos, n, H, H * Dqk, Dqk);
    rope_forward(kv_a + Dc, rope, rows.pos, n, 1, proj_w_, proj_w_);
}

void AttentionDecoder::forward_latent(const AttentionWeights& w, int layer, const RowBatch& rows,
                                      KvCache& cache) {
    const int n = rows.n;
    const int H = c_.num_attention_heads, Dqk = c_.qk_head_dim(), Dn = c_.qk_nope_head_dim;
    const int Dv = c_.v_head_dim, Dc = c_.kv_lora_rank, R = c_.qk_rope_head_dim;
    const int W = Dc + R;  // width of a cache row and of an absorbed query
    const float* k_rope = proj_.data() + (proj_w_ - R);
    // Cache rows [c | k_rope].
    for (int r = 0; r < n; ++r) {
        float* row = cache.k_row(layer, rows.seq[r], rows.pos[r]);
        std::memcpy(row, c_n_.data() + static_cast<size_t>(r) * Dc, Dc * sizeof(float));
        std::memcpy(row + Dc, k_rope + static_cast<size_t>(r) * proj_w_, R * sizeof(float));
    }
    // Absorb W_UK into the query: q_cat[:, h] = [q_nope_h W_UK[h] | q_rope_h], where
    // W_UK[h] = kv_b rows [h (d_nope + d_v), h (d_nope + d_v) + d_nope) (d_nope, D_c).
#pragma omp parallel for schedule(static) if (static_cast <long>(n) * H * Dn * Dc >= kParallelMacs)
    for (int hd = 0; hd < H; ++hd) {
        packed_gemm(q_cat_.data() + hd * W, H * W, q_.data() + hd * Dqk, H * Dqk, n, w.w_uk[hd]);
        for (int r = 0; r < n; ++r)
            std::memcpy(q_cat_.data() + (static_cast<size_t>(r) * H + hd) * W + Dc,
                        q_.data() + static_cast<size_t>(r) * H * Dqk + hd * Dqk + Dn,
                        R * sizeof(float));
    }
    // Multi-query attention over the latent rows: o_lat[:, h] = sum_t p_t c_t (D_c).
    attend_rows(o_lat_.data(), q_cat_.data(), W, Dc, layer, rows, cache);
    // Absorb W_UV into the output: o_v[:, h] = o_lat[:, h] W_UV[h]^T, W_UV[h] (d_v, D_c).
#pragma omp parallel for schedule(static) if (static_cast <long>(n) * H * Dc * Dv >= kParallelMacs)
    for (int hd = 0; hd < H; ++hd)
        packed_gemm(o_v_.data() + hd * Dv, H * Dv, o_lat_.data() + hd * Dc, H * Dc, n, w.w_uv[hd]);
}

void AttentionDecoder::forward_expanded(const AttentionWeights& w, int layer, const RowBatch& rows,
                                        KvCache& cache) {
    const int n = rows.n;
    const int H = c_.num_attention_heads, Dqk = c_.qk_head_dim(), Dn = c_.qk_nope_head_dim;
    const int Dv = c_.v_head_dim, Dc = c_.kv_lora_rank, R = c_.qk_rope_head_dim;
    const float* k_rope_all = proj_.data() + (proj_w_ - R);
    // [k_nope | v] per head = kv_b(c) (n, H * (d_nope + d_v)), computed once per token.
    packed_gemm_parallel(kv_b_.data(), H * (Dn + Dv), c_n_.data(), Dc, n, w.kv_b);
    for (int r = 0; r < n; ++r) {
        float* k = cache.k_row(layer, rows.seq[r], rows.pos[r]);  // (H, d_qk)
        float* v = cache.v_row(layer, rows.seq[r], rows.pos[r]);  // (H, d_v)
        const float* kvb = kv_b_.data() + static_cast<size_t>(r) * H * (Dn + Dv);
        const float* k_rope = k_rope_all + static_cast<size_t>(r) * proj_w_;
        for (int hd = 0; hd < H; ++hd) {
            std::memcpy(k + hd * Dqk, kvb + hd * (Dn + Dv), Dn * sizeof(float));
            std::memcpy(k + hd * Dqk + Dn, k_rope, R * sizeof(float));
            std::memcpy(v + hd * Dv, kvb + hd * (Dn + Dv) + Dn, Dv * sizeof(float));
        }
    }
    attend_rows(o_v_.data(), q_.data(), Dqk, Dv, layer, rows, cache);
}

void AttentionDecoder::forward_mha(float* out, const AttentionWeights& w, int layer,
                                   const RowBatch& rows, KvCache& cache,
                                   const RopeTable<float>& rope) {
    const int n = rows.n;
    const int C = c_.hidden_size, H = c_.num_attention_heads, Dqk = c_.qk_head_dim();
    const int Dn = c_.qk_nope_head_dim, Dv = c_.v_head_dim;
    const KvCacheGeometry& g = cache.geometry();
    float* k = proj_.data() + H * Dqk;  // rows of proj_: [q | k | v]
    const float* v = k + g.k_width;
    // Partial rotary: the last R dims of every query and key head.
    rope_forward(proj_.data() + Dn, rope, rows.pos, n, H, proj_w_, Dqk);
    rope_forward(k + Dn, rope, rows.pos, n, g.kv_heads, proj_w_, Dqk);
    for (int r = 0; r < n; ++r) {
        const size_t row = static_cast<size_t>(r) * proj_w_;
        std::memcpy(q_.data() + static_cast<size_t>(r) * H * Dqk, proj_.data() + row,
                    H * Dqk * sizeof(float));
        std::memcpy(cache.k_row(layer, rows.seq[r], rows.pos[r]), k + row,
                    g.k_width * sizeof(float));
        std::memcpy(cache.v_row(layer, rows.seq[r], rows.pos[r]), v + row,
                    g.v_width * sizeof(float));
    }
    attend_rows(o_v_.data(), q_.data(), Dqk, Dv, layer, rows, cache);
    packed_gemm_parallel(out, C, o_v_.data(), H * Dv, n, w.o);
}

void AttentionDecoder::attend_rows(float* o, const float* q, int qdim, int vdim, int layer,
                                   const RowBatch& rows, const KvCache& cache) {
    const int H = c_.num_attention_heads;
    const KvCacheGeometry& g = cache.geometry();
    const bool latent = mode_ == CacheMode::latent;
    const int group = H / g.kv_heads;  // query heads per KV head
    const int threads = static_cast<int>(scores_.size());
    long work = 0;  // multiply-adds: every head reads every visible key and value
    for (int r = 0; r < rows.n; ++r) work += static_cast<long>(rows.pos[r] + 1) * H * (qdim + vdim);
        // Rows differ in length (prompt vs decode, long vs short sequences): dynamic schedule.
#pragma omp parallel for schedule(dynamic, 4) num_threads(threads) if (work >= kParallelMacs)
    for (int r = 0; r < rows.n; ++r) {
        float* scores = scores_[omp_get_thread_num()].data();
        const int s = rows.seq[r];
        const int n_keys = rows.pos[r] + 1;
        const float* k0 = cache.k_row(layer, s, 0);
        const float* v0 = latent ? k0 : cache.v_row(layer, s, 0);
        const size_t v_stride = latent ? g.k_width : g.v_width;
        for (int hd = 0; hd < H; ++hd) {
            const int kvh = latent ? 0 : hd / group;
            attend(o + (static_cast<size_t>(r) * H + hd) * vdim,
                   q + (static_cast<size_t>(r) * H + hd) * qdim, qdim, k0 + kvh * qdim, g.k_width,
                   v0 + (latent ? 0 : kvh * vdim), v_stride, vdim, n_keys, scale_, scores);
        }
    }
}

}  // namespace tinyseek
