#include "core/mla_decode.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <omp.h>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "core/errors.h"
#include "core/rmsnorm.h"
#include "core/rope_scaling.h"

namespace tinyseek {

namespace {

#if defined(__AVX512F__)
// r[i] = sum of the 16 lanes of v[i]: a pairwise unpack/shuffle tree, about 3 instructions
// per result instead of a full horizontal sum for each.
inline __m512 reduce16(const __m512* v) {
    __m512 x[8], y[4];
    for (int i = 0; i < 8; ++i)  // lane-wise [a0+a2, b0+b2, a1+a3, b1+b3]
        x[i] = _mm512_add_ps(_mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]),
                             _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]));
    for (int i = 0; i < 4; ++i) {  // lane-wise [a, b, c, d] partial sums
        const __m512d a = _mm512_castps_pd(x[2 * i]), b = _mm512_castps_pd(x[2 * i + 1]);
        y[i] = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(a, b)),
                             _mm512_castpd_ps(_mm512_unpackhi_pd(a, b)));
    }
    constexpr int even = _MM_SHUFFLE(2, 0, 2, 0), odd = _MM_SHUFFLE(3, 1, 3, 1);
    const __m512 z0 = _mm512_add_ps(_mm512_shuffle_f32x4(y[0], y[1], even),
                                    _mm512_shuffle_f32x4(y[0], y[1], odd));
    const __m512 z1 = _mm512_add_ps(_mm512_shuffle_f32x4(y[2], y[3], even),
                                    _mm512_shuffle_f32x4(y[2], y[3], odd));
    return _mm512_add_ps(_mm512_shuffle_f32x4(z0, z1, even), _mm512_shuffle_f32x4(z0, z1, odd));
}
#endif

// Geometry of one row's attention over its cached tokens. Query head h reads key/value head
// h / group at offsets (h / group) * k_head and * v_head inside the token's rows.
struct KeyView {
    const float* k;
    size_t k_stride, k_head;
    const float* v;
    size_t v_stride, v_head;
    int group;
};

// s (n_keys, H) = scale * q_h · k_t for every cached token t and head h; q (H, qdim).
void scores(float* s, const float* q, int H, int qdim, const KeyView& kv, int n_keys, float scale) {
    const int total = n_keys * H;
    size_t k_off[64];  // offset of head h's key inside a token row (no division per pair)
    for (int h = 0; h < H; ++h) k_off[h] = (h / kv.group) * kv.k_head;
#if defined(__AVX512F__)
    const __mmask16 tail = static_cast<__mmask16>((1u << (qdim % 16)) - 1u);
    int t = 0, h = 0;  // (t, h) of the next pair, advanced without divisions
    for (int p0 = 0; p0 < total; p0 += 16) {
        const int n = std::min(16, total - p0);
        // Pointers of the block's 16 (token, head) pairs; missing pairs repeat the first one
        // (their sums are computed and not stored).
        const float* qp[16];
        const float* kp[16];
        for (int i = 0; i < n; ++i) {
            qp[i] = q + h * qdim;
            kp[i] = kv.k + t * kv.k_stride + k_off[h];
            if (++h == H) {
                h = 0;
                ++t;
            }
        }
        for (int i = n; i < 16; ++i) {
            qp[i] = qp[0];
            kp[i] = kp[0];
        }
        // 16 independent accumulators, so the FMAs pipeline instead of waiting on each other.
        __m512 v[16];
        for (int i = 0; i < 16; ++i) v[i] = _mm512_setzero_ps();
        int j = 0;
        for (; j + 16 <= qdim; j += 16)
            for (int i = 0; i < 16; ++i)
                v[i] =
                    _mm512_fmadd_ps(_mm512_loadu_ps(qp[i] + j), _mm512_loadu_ps(kp[i] + j), v[i]);
        if (j < qdim)
            for (int i = 0; i < 16; ++i)
                v[i] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail, qp[i] + j),
                                       _mm512_maskz_loadu_ps(tail, kp[i] + j), v[i]);
        _mm512_mask_storeu_ps(s + p0, static_cast<__mmask16>((1u << n) - 1u),
                              _mm512_mul_ps(reduce16(v), _mm512_set1_ps(scale)));
    }
#else
    for (int p = 0; p < total; ++p) {
        const int t = p / H, h = p % H;
        const float* qh = q + h * qdim;
        const float* kt = kv.k + t * kv.k_stride + k_off[h];
        float acc = 0.0f;
        for (int j = 0; j < qdim; ++j) acc += qh[j] * kt[j];
        s[p] = acc * scale;
    }
#endif
}

// o (H, vdim) = sum_t softmax_t(s[:, h]) v_t for each head; s (n_keys, H) is overwritten
// with the unnormalised probabilities.
void attend(float* o, const float* q, int H, int qdim, int vdim, const KeyView& kv, int n_keys,
            float scale, float* s) {
    scores(s, q, H, qdim, kv, n_keys, scale);
    float inv[64];     // per head 1 / sum; H <= 64 (checked by the decoder)
    size_t v_off[64];  // offset of head h's value inside a token row
    for (int h = 0; h < H; ++h) v_off[h] = (h / kv.group) * kv.v_head;
    // Softmax per head over the (n_keys, H) block: shift by each head's max, one vectorised
    // exp over the whole block, then per-head sums.
    float m[64];
    for (int h = 0; h < H; ++h) m[h] = -INFINITY;
    for (int t = 0; t < n_keys; ++t)
        for (int h = 0; h < H; ++h) m[h] = std::max(m[h], s[t * H + h]);
    for (int t = 0; t < n_keys; ++t)
        for (int h = 0; h < H; ++h) s[t * H + h] -= m[h];
    Eigen::Map<Eigen::ArrayXf> block(s, static_cast<Eigen::Index>(n_keys) * H);
    block = block.exp();
    for (int h = 0; h < H; ++h) inv[h] = 0.0f;
    for (int t = 0; t < n_keys; ++t)
        for (int h = 0; h < H; ++h) inv[h] += s[t * H + h];
    for (int h = 0; h < H; ++h) inv[h] = 1.0f / inv[h];
    // o_h = inv_h * sum_t p[t, h] v_{t, h}, one 16-wide column block at a time with four
    // accumulators over t, so the sums stay in registers instead of streaming through o.
    for (int h = 0; h < H; ++h) {
        const float* vh = kv.v + v_off[h];
        const float* ph = s + h;  // p[t, h] at ph[t * H]
        float* oh = o + static_cast<size_t>(h) * vdim;
#if defined(__AVX512F__)
        for (int i0 = 0; i0 < vdim; i0 += 16) {
            const __mmask16 mask =
                static_cast<__mmask16>(vdim - i0 >= 16 ? 0xFFFFu : (1u << (vdim - i0)) - 1u);
            __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            const float* v0 = vh + i0;
            int t = 0;
            for (; t + 4 <= n_keys; t += 4) {
                a0 = _mm512_fmadd_ps(_mm512_set1_ps(ph[t * H]),
                                     _mm512_maskz_loadu_ps(mask, v0 + t * kv.v_stride), a0);
                a1 = _mm512_fmadd_ps(_mm512_set1_ps(ph[(t + 1) * H]),
                                     _mm512_maskz_loadu_ps(mask, v0 + (t + 1) * kv.v_stride), a1);
                a2 = _mm512_fmadd_ps(_mm512_set1_ps(ph[(t + 2) * H]),
                                     _mm512_maskz_loadu_ps(mask, v0 + (t + 2) * kv.v_stride), a2);
                a3 = _mm512_fmadd_ps(_mm512_set1_ps(ph[(t + 3) * H]),
                                     _mm512_maskz_loadu_ps(mask, v0 + (t + 3) * kv.v_stride), a3);
            }
            for (; t < n_keys; ++t)
                a0 = _mm512_fmadd_ps(_mm512_set1_ps(ph[t * H]),
                                     _mm512_maskz_loadu_ps(mask, v0 + t * kv.v_stride), a0);
            const __m512 sum = _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3));
            _mm512_mask_storeu_ps(oh + i0, mask, _mm512_mul_ps(sum, _mm512_set1_ps(inv[h])));
        }
#else
        for (int i = 0; i < vdim; ++i) {
            float acc = 0.0f;
            for (int t = 0; t < n_keys; ++t) acc += ph[t * H] * vh[t * kv.v_stride + i];
            oh[i] = acc * inv[h];
        }
#endif
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
                                   int max_tokens, int max_threads)
    : c_(c), mode_(mode), max_rows_(max_rows), max_tokens_(max_tokens) {
    const KvCacheGeometry g = KvCacheGeometry::of(c, mode);  // validates mode vs attention
    const size_t N = max_rows;
    const int H = c.num_attention_heads;
    if (H > 64) throw ConfigError("attention decoder: at most 64 heads, got " + std::to_string(H));
    scale_ = static_cast<float>(attention_softmax_scale(c));
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
    scores_.assign(std::max(1, max_threads), Buffer(static_cast<size_t>(max_tokens) * H));
}

void AttentionDecoder::forward(float* out, const float* h, const AttentionWeights& w, int layer,
                               const RowBatch& rows, int r0, int r1, KvCache& cache,
                               const RopeTable<float>& rope) {
    const int C = c_.hidden_size;
    const size_t m = r1 - r0;
    // Every projection of the block input in one GEMM: rows (m, proj_w_).
    if (m > 0)
        packed_gemm(proj_.data() + r0 * static_cast<size_t>(proj_w_), proj_w_,
                    h + r0 * static_cast<size_t>(C), C, static_cast<int>(m), w.in_proj);
    if (c_.attention == AttentionKind::mla)
        forward_mla(w, layer, rows, r0, r1, cache, rope);
    else
        forward_mha(w, layer, rows, r0, r1, cache, rope);
    // out rows = o_v rows (H d_v) W_o^T
    const int HDv = c_.num_attention_heads * c_.v_head_dim;
    if (m > 0)
        packed_gemm(out + r0 * static_cast<size_t>(C), C,
                    o_v_.data() + r0 * static_cast<size_t>(HDv), HDv, static_cast<int>(m), w.o);
}

void AttentionDecoder::forward_mla(const AttentionWeights& w, int layer, const RowBatch& rows,
                                   int r0, int r1, KvCache& cache, const RopeTable<float>& rope) {
    const int m = r1 - r0;
    const bool latent = mode_ == CacheMode::latent;
    if (m > 0) mla_project(w, rows, r0, r1, rope);
    if (latent)
        mla_cache_latent(w, layer, rows, r0, r1, cache);
    else if (m > 0)
        mla_cache_expanded(w, layer, rows, r0, r1, cache);
    // Rows of one prompt may live in other threads' ranges: all cache writes first.
    if (!rows.one_row_per_sequence) {
#pragma omp barrier
    }
    if (latent) {
        attend_latent(layer, rows, r0, r1, cache);
        if (m > 0) mla_absorb_output(w, r0, r1);
    } else {
        attend_heads(layer, rows, r0, r1, cache);
    }
}

void AttentionDecoder::mla_project(const AttentionWeights& w, const RowBatch& rows, int r0, int r1,
                                   const RopeTable<float>& rope) {
    const int m = r1 - r0;
    const int H = c_.num_attention_heads, Dqk = c_.qk_head_dim(), Dn = c_.qk_nope_head_dim;
    const int Dc = c_.kv_lora_rank, R = c_.qk_rope_head_dim;
    const int q_width = proj_w_ - Dc - R;
    const size_t R0 = r0;
    float* proj = proj_.data() + R0 * proj_w_;  // rows [q_a or q | c_KV | k_rope]
    float* q = q_.data() + R0 * H * Dqk;        // (m, H d_qk)
    float* c_n = c_n_.data() + R0 * Dc;         // (m, D_c)
    const int* pos = rows.pos + r0;
    // q = q_b(rmsnorm(q_a(h))), or q_proj(h) without query compression.
    if (c_.q_lora_rank > 0) {
        float* q_an = q_an_.data() + R0 * c_.q_lora_rank;
        rmsnorm_forward(q_an, static_cast<float*>(nullptr), proj, w.q_a_norm, m, c_.q_lora_rank,
                        c_.rms_norm_eps, proj_w_);
        packed_gemm(q, H * Dqk, q_an, c_.q_lora_rank, m, w.q_b);
    } else {
        for (int r = 0; r < m; ++r)
            std::memcpy(q + static_cast<size_t>(r) * H * Dqk,
                        proj + static_cast<size_t>(r) * proj_w_, H * Dqk * sizeof(float));
    }
    // c = kv_a_layernorm(c_KV); RoPE on each head's q_rope and on the shared k_rope.
    rmsnorm_forward(c_n, static_cast<float*>(nullptr), proj + q_width, w.kv_a_norm, m, Dc,
                    c_.rms_norm_eps, proj_w_);
    rope_forward(q + Dn, rope, pos, m, H, H * Dqk, Dqk);
    rope_forward(proj + q_width + Dc, rope, pos, m, 1, proj_w_, proj_w_);
}

void AttentionDecoder::mla_cache_latent(const AttentionWeights& w, int layer, const RowBatch& rows,
                                        int r0, int r1, KvCache& cache) {
    const int m = r1 - r0;
    const int H = c_.num_attention_heads, Dqk = c_.qk_head_dim(), Dn = c_.qk_nope_head_dim;
    const int Dc = c_.kv_lora_rank, R = c_.qk_rope_head_dim;
    const int q_width = proj_w_ - Dc - R;
    const int W = Dc + R;  // width of a cache row and of an absorbed query
    const size_t R0 = r0;
    const float* proj = proj_.data() + R0 * proj_w_;
    const float* q = q_.data() + R0 * H * Dqk;
    const float* c_n = c_n_.data() + R0 * Dc;
    const int* pos = rows.pos + r0;
    for (int r = 0; r < m; ++r) {  // cache row [c | k_rope]
        float* row = cache.k_row(layer, rows.seq[r0 + r], pos[r]);
        std::memcpy(row, c_n + static_cast<size_t>(r) * Dc, Dc * sizeof(float));
        std::memcpy(row + Dc, proj + static_cast<size_t>(r) * proj_w_ + q_width + Dc,
                    R * sizeof(float));
    }
    // Absorb W_UK into the query: q_cat[:, h] = [q_nope_h W_UK[h] | q_rope_h], where
    // W_UK[h] = kv_b rows [h (d_nope + d_v), h (d_nope + d_v) + d_nope) (d_nope, D_c).
    float* q_cat = q_cat_.data() + R0 * H * W;
    for (int hd = 0; hd < H && m > 0; ++hd) {
        packed_gemm(q_cat + hd * W, H * W, q + hd * Dqk, H * Dqk, m, w.w_uk[hd]);
        for (int r = 0; r < m; ++r)
            std::memcpy(q_cat + (static_cast<size_t>(r) * H + hd) * W + Dc,
                        q + static_cast<size_t>(r) * H * Dqk + hd * Dqk + Dn, R * sizeof(float));
    }
}

void AttentionDecoder::mla_cache_expanded(const AttentionWeights& w, int layer,
                                          const RowBatch& rows, int r0, int r1, KvCache& cache) {
    const int m = r1 - r0;
    const int H = c_.num_attention_heads, Dqk = c_.qk_head_dim(), Dn = c_.qk_nope_head_dim;
    const int Dv = c_.v_head_dim, Dc = c_.kv_lora_rank, R = c_.qk_rope_head_dim;
    const int q_width = proj_w_ - Dc - R;
    const size_t R0 = r0;
    const float* proj = proj_.data() + R0 * proj_w_;
    const float* c_n = c_n_.data() + R0 * Dc;
    const int* pos = rows.pos + r0;
    // [k_nope | v] per head = kv_b(c), computed once per token when it is cached.
    float* kv_b = kv_b_.data() + R0 * H * (Dn + Dv);
    packed_gemm(kv_b, H * (Dn + Dv), c_n, Dc, m, w.kv_b);
    for (int r = 0; r < m; ++r) {
        float* k = cache.k_row(layer, rows.seq[r0 + r], pos[r]);  // (H, d_qk)
        float* v = cache.v_row(layer, rows.seq[r0 + r], pos[r]);  // (H, d_v)
        const float* kvb = kv_b + static_cast<size_t>(r) * H * (Dn + Dv);
        const float* k_rope = proj + static_cast<size_t>(r) * proj_w_ + q_width + Dc;
        for (int hd = 0; hd < H; ++hd) {
            std::memcpy(k + hd * Dqk, kvb + hd * (Dn + Dv), Dn * sizeof(float));
            std::memcpy(k + hd * Dqk + Dn, k_rope, R * sizeof(float));
            std::memcpy(v + hd * Dv, kvb + hd * (Dn + Dv) + Dn, Dv * sizeof(float));
        }
    }
}

void AttentionDecoder::attend_latent(int layer, const RowBatch& rows, int r0, int r1,
                                     KvCache& cache) {
    const int H = c_.num_attention_heads, Dc = c_.kv_lora_rank;
    const int W = Dc + c_.qk_rope_head_dim;
    float* scores = scores_[omp_get_thread_num()].data();
    for (int r = r0; r < r1; ++r) {
        // Multi-query attention over the latent rows: o_lat[r, h] = sum_t p_t c_t (D_c),
        // then absorb W_UV into the output: o_v[r, h] = o_lat[r, h] W_UV[h]^T.
        const float* k0 = cache.k_row(layer, rows.seq[r], 0);
        const KeyView kv{k0, size_t(W), 0, k0, size_t(W), 0, H};
        float* o_lat = o_lat_.data() + static_cast<size_t>(r) * H * Dc;
        attend(o_lat, q_cat_.data() + static_cast<size_t>(r) * H * W, H, W, Dc, kv, rows.pos[r] + 1,
               scale_, scores);
    }
}

void AttentionDecoder::mla_absorb_output(const AttentionWeights& w, int r0, int r1) {
    const int m = r1 - r0;
    const int H = c_.num_attention_heads, Dv = c_.v_head_dim, Dc = c_.kv_lora_rank;
    const size_t R0 = r0;
    for (int hd = 0; hd < H; ++hd)
        packed_gemm(o_v_.data() + R0 * H * Dv + hd * Dv, H * Dv,
                    o_lat_.data() + R0 * H * Dc + hd * Dc, H * Dc, m, w.w_uv[hd]);
}

void AttentionDecoder::attend_heads(int layer, const RowBatch& rows, int r0, int r1,
                                    KvCache& cache) {
    const int H = c_.num_attention_heads, Dqk = c_.qk_head_dim(), Dv = c_.v_head_dim;
    const KvCacheGeometry& g = cache.geometry();
    float* scores = scores_[omp_get_thread_num()].data();
    for (int r = r0; r < r1; ++r) {
        const int s = rows.seq[r];
        const KeyView kv{
            cache.k_row(layer, s, 0), size_t(g.k_width), size_t(Dqk),   cache.v_row(layer, s, 0),
            size_t(g.v_width),        size_t(Dv),        H / g.kv_heads};
        attend(o_v_.data() + static_cast<size_t>(r) * H * Dv,
               q_.data() + static_cast<size_t>(r) * H * Dqk, H, Dqk, Dv, kv, rows.pos[r] + 1,
               scale_, scores);
    }
}

void AttentionDecoder::forward_mha(const AttentionWeights& /*w*/, int layer, const RowBatch& rows,
                                   int r0, int r1, KvCache& cache, const RopeTable<float>& rope) {
    const int m = r1 - r0;
    const int H = c_.num_attention_heads, Dqk = c_.qk_head_dim();
    const int Dn = c_.qk_nope_head_dim;
    const KvCacheGeometry& g = cache.geometry();
    float* proj = proj_.data() + static_cast<size_t>(r0) * proj_w_;  // rows [q | k | v]
    float* k = proj + H * Dqk;
    const float* v = k + g.k_width;
    if (m > 0) {
        // Partial rotary: the last R dims of every query and key head.
        rope_forward(proj + Dn, rope, rows.pos + r0, m, H, proj_w_, Dqk);
        rope_forward(k + Dn, rope, rows.pos + r0, m, g.kv_heads, proj_w_, Dqk);
    }
    for (int r = 0; r < m; ++r) {
        const size_t row = static_cast<size_t>(r) * proj_w_;
        std::memcpy(q_.data() + static_cast<size_t>(r0 + r) * H * Dqk, proj + row,
                    H * Dqk * sizeof(float));
        std::memcpy(cache.k_row(layer, rows.seq[r0 + r], rows.pos[r0 + r]), k + row,
                    g.k_width * sizeof(float));
        std::memcpy(cache.v_row(layer, rows.seq[r0 + r], rows.pos[r0 + r]), v + row,
                    g.v_width * sizeof(float));
    }
    if (!rows.one_row_per_sequence) {
#pragma omp barrier
    }
    attend_heads(layer, rows, r0, r1, cache);
}

}  // namespace tinyseek
