#include "core/mla_decode.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <omp.h>

#include "core/errors.h"
#include "core/linear.h"
#include "core/rmsnorm.h"

namespace tinyseek {

namespace {

using Strided = Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>>;
using ConstStrided = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;

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

const float* maybe_ptr(const ParamStore& params, const std::string& name) {
    const TensorSpec* t = params.layout().find(name);
    return t ? params.data().data() + t->offset : nullptr;
}

}  // namespace

AttentionWeights AttentionWeights::resolve(const ParamStore& params, int layer) {
    const std::string p = layer_prefix(layer) + "self_attn.";
    AttentionWeights w;
    w.q_a = maybe_ptr(params, p + "q_a_proj.weight");
    w.q_a_norm = maybe_ptr(params, p + "q_a_layernorm.weight");
    w.q_b = maybe_ptr(params, p + "q_b_proj.weight");
    w.q = maybe_ptr(params, p + "q_proj.weight");
    w.kv_a = maybe_ptr(params, p + "kv_a_proj_with_mqa.weight");
    w.kv_a_norm = maybe_ptr(params, p + "kv_a_layernorm.weight");
    w.kv_b = maybe_ptr(params, p + "kv_b_proj.weight");
    w.k = maybe_ptr(params, p + "k_proj.weight");
    w.v = maybe_ptr(params, p + "v_proj.weight");
    w.o = params.ptr(p + "o_proj.weight");  // throws naming the tensor when absent
    return w;
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
        q_a_.resize(N * c.q_lora_rank);
        q_an_.resize(N * c.q_lora_rank);
        kv_a_.resize(N * (c.kv_lora_rank + c.qk_rope_head_dim));
        c_n_.resize(N * c.kv_lora_rank);
        if (mode == CacheMode::latent) {
            q_cat_.resize(N * H * (c.kv_lora_rank + c.qk_rope_head_dim));
            o_lat_.resize(N * H * c.kv_lora_rank);
        } else {
            kv_b_.resize(N * H * (c.qk_nope_head_dim + c.v_head_dim));
        }
    } else {
        k_.resize(N * g.k_width);
        v_.resize(N * g.v_width);
    }
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
    if (c_.attention != AttentionKind::mla) {
        forward_mha(out, h, w, layer, rows, cache, rope);
        return;
    }
    project_mla(h, w, rows, rope);
    if (mode_ == CacheMode::latent)
        forward_latent(out, w, layer, rows, cache);
    else
        forward_expanded(out, w, layer, rows, cache);
}

void AttentionDecoder::project_mla(const float* h, const AttentionWeights& w, const RowBatch& rows,
                                   const RopeTable<float>& rope) {
    const int n = rows.n;
    const int C = c_.hidden_size, H = c_.num_attention_heads, Dqk = c_.qk_head_dim();
    const int Dc = c_.kv_lora_rank, R = c_.qk_rope_head_dim;
    // q = q_b(rmsnorm(q_a(h))) (n, H * d_qk), or q_proj(h) without query compression.
    if (c_.q_lora_rank > 0) {
        linear_forward_parallel(q_a_.data(), h, w.q_a, n, C, c_.q_lora_rank);
        rmsnorm_forward(q_an_.data(), static_cast<float*>(nullptr), q_a_.data(), w.q_a_norm, n,
                        c_.q_lora_rank, c_.rms_norm_eps);
        linear_forward_parallel(q_.data(), q_an_.data(), w.q_b, n, c_.q_lora_rank, H * Dqk);
    } else {
        linear_forward_parallel(q_.data(), h, w.q, n, C, H * Dqk);
    }
    // [c_KV | k_rope] = kv_a(h) (n, D_c + R); c = rmsnorm(c_KV) (n, D_c).
    linear_forward_parallel(kv_a_.data(), h, w.kv_a, n, C, Dc + R);
    rmsnorm_forward(c_n_.data(), static_cast<float*>(nullptr), kv_a_.data(), w.kv_a_norm, n, Dc,
                    c_.rms_norm_eps, Dc + R);
    // RoPE on each head's q_rope and on the single shared k_rope.
    rope_forward(q_.data() + c_.qk_nope_head_dim, rope, rows.pos, n, H, H * Dqk, Dqk);
    rope_forward(kv_a_.data() + Dc, rope, rows.pos, n, 1, Dc + R, Dc + R);
}

void AttentionDecoder::forward_latent(float* out, const AttentionWeights& w, int layer,
                                      const RowBatch& rows, KvCache& cache) {
    const int n = rows.n;
    const int H = c_.num_attention_heads, Dqk = c_.qk_head_dim(), Dn = c_.qk_nope_head_dim;
    const int Dv = c_.v_head_dim, Dc = c_.kv_lora_rank, R = c_.qk_rope_head_dim;
    const int W = Dc + R;  // width of a cache row and of an absorbed query
    // Cache rows [c | k_rope].
    for (int r = 0; r < n; ++r) {
        float* row = cache.k_row(layer, rows.seq[r], rows.pos[r]);
        std::memcpy(row, c_n_.data() + static_cast<size_t>(r) * Dc, Dc * sizeof(float));
        std::memcpy(row + Dc, kv_a_.data() + static_cast<size_t>(r) * W + Dc, R * sizeof(float));
    }
    // Absorb W_UK into the query: q_cat[:, h] = [q_nope_h W_UK[h] | q_rope_h], where
    // W_UK[h] = kv_b rows [h (d_nope + d_v), h (d_nope + d_v) + d_nope) (d_nope, D_c).
#pragma omp parallel for schedule(static)
    for (int hd = 0; hd < H; ++hd) {
        ConstStrided q_nope(q_.data() + hd * Dqk, n, Dn, Eigen::OuterStride<>(H * Dqk));
        ConstStrided w_uk(w.kv_b + static_cast<size_t>(hd) * (Dn + Dv) * Dc, Dn, Dc,
                          Eigen::OuterStride<>(Dc));
        Strided q_abs(q_cat_.data() + hd * W, n, Dc, Eigen::OuterStride<>(H * W));
        q_abs.noalias() = q_nope * w_uk;
        for (int r = 0; r < n; ++r)
            std::memcpy(q_cat_.data() + (static_cast<size_t>(r) * H + hd) * W + Dc,
                        q_.data() + static_cast<size_t>(r) * H * Dqk + hd * Dqk + Dn,
                        R * sizeof(float));
    }
    // Multi-query attention over the latent rows: o_lat[:, h] = sum_t p_t c_t (D_c).
    attend_rows(o_lat_.data(), q_cat_.data(), W, Dc, layer, rows, cache);
    // Absorb W_UV into the output: o_v[:, h] = o_lat[:, h] W_UV[h]^T, W_UV[h] (d_v, D_c).
#pragma omp parallel for schedule(static)
    for (int hd = 0; hd < H; ++hd) {
        ConstStrided lat(o_lat_.data() + hd * Dc, n, Dc, Eigen::OuterStride<>(H * Dc));
        ConstStrided w_uv(w.kv_b + (static_cast<size_t>(hd) * (Dn + Dv) + Dn) * Dc, Dv, Dc,
                          Eigen::OuterStride<>(Dc));
        Strided o(o_v_.data() + hd * Dv, n, Dv, Eigen::OuterStride<>(H * Dv));
        o.noalias() = lat * w_uv.transpose();
    }
    linear_forward_parallel(out, o_v_.data(), w.o, n, H * Dv, c_.hidden_size);
}

void AttentionDecoder::forward_expanded(float* out, const AttentionWeights& w, int layer,
                                        const RowBatch& rows, KvCache& cache) {
    const int n = rows.n;
    const int H = c_.num_attention_heads, Dqk = c_.qk_head_dim(), Dn = c_.qk_nope_head_dim;
    const int Dv = c_.v_head_dim, Dc = c_.kv_lora_rank, R = c_.qk_rope_head_dim;
    // [k_nope | v] per head = kv_b(c) (n, H * (d_nope + d_v)), computed once per token.
    linear_forward_parallel(kv_b_.data(), c_n_.data(), w.kv_b, n, Dc, H * (Dn + Dv));
    for (int r = 0; r < n; ++r) {
        float* k = cache.k_row(layer, rows.seq[r], rows.pos[r]);  // (H, d_qk)
        float* v = cache.v_row(layer, rows.seq[r], rows.pos[r]);  // (H, d_v)
        const float* kvb = kv_b_.data() + static_cast<size_t>(r) * H * (Dn + Dv);
        const float* k_rope = kv_a_.data() + static_cast<size_t>(r) * (Dc + R) + Dc;
        for (int hd = 0; hd < H; ++hd) {
            std::memcpy(k + hd * Dqk, kvb + hd * (Dn + Dv), Dn * sizeof(float));
            std::memcpy(k + hd * Dqk + Dn, k_rope, R * sizeof(float));
            std::memcpy(v + hd * Dv, kvb + hd * (Dn + Dv) + Dn, Dv * sizeof(float));
        }
    }
    attend_rows(o_v_.data(), q_.data(), Dqk, Dv, layer, rows, cache);
    linear_forward_parallel(out, o_v_.data(), w.o, n, H * Dv, c_.hidden_size);
}

void AttentionDecoder::forward_mha(float* out, const float* h, const AttentionWeights& w, int layer,
                                   const RowBatch& rows, KvCache& cache,
                                   const RopeTable<float>& rope) {
    const int n = rows.n;
    const int C = c_.hidden_size, H = c_.num_attention_heads, Dqk = c_.qk_head_dim();
    const int Dn = c_.qk_nope_head_dim, Dv = c_.v_head_dim;
    const KvCacheGeometry& g = cache.geometry();
    linear_forward_parallel(q_.data(), h, w.q, n, C, H * Dqk);
    linear_forward_parallel(k_.data(), h, w.k, n, C, g.k_width);
    linear_forward_parallel(v_.data(), h, w.v, n, C, g.v_width);
    // Partial rotary: the last R dims of every query and key head.
    rope_forward(q_.data() + Dn, rope, rows.pos, n, H, H * Dqk, Dqk);
    rope_forward(k_.data() + Dn, rope, rows.pos, n, g.kv_heads, g.k_width, Dqk);
    for (int r = 0; r < n; ++r) {
        std::memcpy(cache.k_row(layer, rows.seq[r], rows.pos[r]),
                    k_.data() + static_cast<size_t>(r) * g.k_width, g.k_width * sizeof(float));
        std::memcpy(cache.v_row(layer, rows.seq[r], rows.pos[r]),
                    v_.data() + static_cast<size_t>(r) * g.v_width, g.v_width * sizeof(float));
    }
    attend_rows(o_v_.data(), q_.data(), Dqk, Dv, layer, rows, cache);
    linear_forward_parallel(out, o_v_.data(), w.o, n, H * Dv, C);
}

void AttentionDecoder::attend_rows(float* o, const float* q, int qdim, int vdim, int layer,
                                   const RowBatch& rows, const KvCache& cache) {
    const int H = c_.num_attention_heads;
    const KvCacheGeometry& g = cache.geometry();
    const bool latent = mode_ == CacheMode::latent;
    const int group = H / g.kv_heads;  // query heads per KV head
    const int threads = static_cast<int>(scores_.size());
    // Rows differ in length (prompt vs decode, long vs short sequences): dynamic schedule.
#pragma omp parallel for schedule(dynamic, 4) num_threads(threads)
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
