// Every attention path against a naive reference written from the equations: per head, per
// position, in double, with its own RMSNorm, RoPE rotation, frequencies (YaRN included),
// softmax scale and softmax, sharing nothing with core/ but the tensor names.
//
//   MLA (DeepSeek-V2 §2.1, V3 §2.1.1), for position t:
//     q_t = W_qb rms(W_qa x_t) (or W_q x_t); per head [q_nope | q_rope], RoPE(q_rope, t)
//     [c_t | kr_t] = W_kva x_t; RoPE(kr_t, t); [k_nope_h | v_h]_t = W_kvb rms(c_t)
//     o_h = sum_{s<=t} softmax_s(scale (q_nope_h . k_nope_h,s + q_rope_h . kr_s)) v_h,s
//     out_t = W_o [o_1 | ... | o_H]
//   MHA / GQA: q, k, v = W_q x, W_k x, W_v x; RoPE on the last R dims of each head; query
//   head h reads KV head h / (H / H_kv).
//
// Held to it: the training forward (core/mla_attention, core/std_attention) in double, and
// the decoder (core/mla_decode) in float with the latent and the expanded cache, by prefill
// and by one-token decode steps, on configs with and without YaRN.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "core/attention_layer.h"
#include "core/kv_cache.h"
#include "core/mla_decode.h"
#include "core/param_store.h"
#include "core/rope_scaling.h"
#include "tests/core/layer_arena.h"
#include "tests/core/model_fixtures.h"

namespace tinyseek {
namespace {

using Vec = std::vector<double>;
constexpr int kT = 7;  // positions

// ---- the reference ------------------------------------------------------------------

struct Reference {
    const ModelConfig& c;
    const Vec& p;  // flat parameters (HF names)
    std::string prefix = "model.layers.0.self_attn.";

    const double* w(const std::string& name) const {
        return p.data() + ParamLayout(c).at(prefix + name).offset;
    }
    // y = W x, W (out, in) row-major
    static Vec matvec(const double* W, const Vec& x, int out) {
        Vec y(out, 0.0);
        for (int i = 0; i < out; ++i)
            for (size_t j = 0; j < x.size(); ++j) y[i] += W[i * x.size() + j] * x[j];
        return y;
    }
    Vec rms(const Vec& x, const double* g) const {
        double ms = 0;
        for (double v : x) ms += v * v;
        const double r = 1.0 / std::sqrt(ms / x.size() + c.rms_norm_eps);
        Vec y(x.size());
        for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] * r * g[i];
        return y;
    }
    // omega_i from the equations of DeepSeek-V3's precompute_freqs_cis.
    double omega(int i) const {
        const int R = c.qk_rope_head_dim;
        double f = std::pow(double(c.rope_theta), -2.0 * i / R);
        const auto& y = c.rope_scaling;
        if (y && c.max_position_embeddings > y->original_max_position_embeddings) {
            auto dim_of = [&](double rot) {
                return R *
                       std::log(y->original_max_position_embeddings /
                                (rot * 2 * std::numbers::pi)) /
                       (2 * std::log(double(c.rope_theta)));
            };
            double lo = std::max(std::floor(dim_of(y->beta_fast)), 0.0);
            double hi = std::min(std::ceil(dim_of(y->beta_slow)), R - 1.0);
            if (lo == hi) hi += 0.001;
            const double ramp = std::min(1.0, std::max(0.0, (i - lo) / (hi - lo)));
            f = (1 - ramp) * f + ramp * f / y->factor;
        }
        return f;
    }
    double scale() const {
        double s = 1.0 / std::sqrt(double(c.qk_nope_head_dim + c.qk_rope_head_dim));
        const auto& y = c.rope_scaling;
        if (y && c.max_position_embeddings > y->original_max_position_embeddings) {
            const double m = 0.1 * y->mscale_all_dim * std::log(y->factor) + 1.0;
            s *= m * m;
        }
        return s;
    }
    // Rotates pairs (2i, 2i+1) of v[at .. at+R) by t * omega_i.
    void rotate(Vec& v, size_t at, int t) const {
        for (int i = 0; i < c.qk_rope_head_dim / 2; ++i) {
            const double a = t * omega(i), x0 = v[at + 2 * i], x1 = v[at + 2 * i + 1];
            v[at + 2 * i] = x0 * std::cos(a) - x1 * std::sin(a);
            v[at + 2 * i + 1] = x0 * std::sin(a) + x1 * std::cos(a);
        }
    }

    // Per position: q[t] (H heads of Dn + R), k[t] (Hk heads of Dn + R), v[t] (Hk heads of Dv).
    struct Heads {
        std::vector<Vec> q, k, v;
        int kv_heads = 0;
    };
    Heads mla_heads(const std::vector<Vec>& x) const {
        const int H = c.num_attention_heads, Dn = c.qk_nope_head_dim, R = c.qk_rope_head_dim;
        const int Dv = c.v_head_dim, Dc = c.kv_lora_rank, Dqk = Dn + R;
        Heads out;
        out.kv_heads = H;
        for (int t = 0; t < int(x.size()); ++t) {
            Vec q = c.q_lora_rank > 0
                        ? matvec(w("q_b_proj.weight"),
                                 rms(matvec(w("q_a_proj.weight"), x[t], c.q_lora_rank),
                                     w("q_a_layernorm.weight")),
                                 H * Dqk)
                        : matvec(w("q_proj.weight"), x[t], H * Dqk);
            for (int h = 0; h < H; ++h) rotate(q, h * Dqk + Dn, t);
            const Vec a = matvec(w("kv_a_proj_with_mqa.weight"), x[t], Dc + R);
            Vec kr(a.begin() + Dc, a.end());
            rotate(kr, 0, t);
            const Vec kv = matvec(w("kv_b_proj.weight"),
                                  rms(Vec(a.begin(), a.begin() + Dc), w("kv_a_layernorm.weight")),
                                  H * (Dn + Dv));
            Vec k(H * Dqk), v(H * Dv);
            for (int h = 0; h < H; ++h) {
                for (int j = 0; j < Dn; ++j) k[h * Dqk + j] = kv[h * (Dn + Dv) + j];
                for (int j = 0; j < R; ++j) k[h * Dqk + Dn + j] = kr[j];
                for (int j = 0; j < Dv; ++j) v[h * Dv + j] = kv[h * (Dn + Dv) + Dn + j];
            }
            out.q.push_back(q);
            out.k.push_back(k);
            out.v.push_back(v);
        }
        return out;
    }
    Heads std_heads(const std::vector<Vec>& x) const {
        const int H = c.num_attention_heads, Dn = c.qk_nope_head_dim, Dqk = Dn + c.qk_rope_head_dim;
        const int Hk = c.attention == AttentionKind::mha ? H : c.num_key_value_heads;
        Heads out;
        out.kv_heads = Hk;
        for (int t = 0; t < int(x.size()); ++t) {
            Vec q = matvec(w("q_proj.weight"), x[t], H * Dqk);
            Vec k = matvec(w("k_proj.weight"), x[t], Hk * Dqk);
            for (int h = 0; h < H; ++h) rotate(q, h * Dqk + Dn, t);
            for (int h = 0; h < Hk; ++h) rotate(k, h * Dqk + Dn, t);
            out.q.push_back(q);
            out.k.push_back(k);
            out.v.push_back(matvec(w("v_proj.weight"), x[t], Hk * c.v_head_dim));
        }
        return out;
    }
    // out[t] = W_o [o_1 | ... | o_H], causal softmax attention per head.
    std::vector<Vec> attend(const Heads& hd) const {
        const int H = c.num_attention_heads, Dqk = c.qk_head_dim(), Dv = c.v_head_dim;
        const int group = H / hd.kv_heads;
        std::vector<Vec> out;
        for (size_t t = 0; t < hd.q.size(); ++t) {
            Vec o(H * Dv, 0.0);
            for (int h = 0; h < H; ++h) {
                const int g = h / group;
                Vec s(t + 1);
                for (size_t u = 0; u <= t; ++u) {
                    double dot = 0;
                    for (int j = 0; j < Dqk; ++j)
                        dot += hd.q[t][h * Dqk + j] * hd.k[u][g * Dqk + j];
                    s[u] = scale() * dot;
                }
                const double m = *std::max_element(s.begin(), s.end());
                double z = 0;
                for (double& e : s) z += (e = std::exp(e - m));
                for (size_t u = 0; u <= t; ++u)
                    for (int j = 0; j < Dv; ++j) o[h * Dv + j] += s[u] / z * hd.v[u][g * Dv + j];
            }
            out.push_back(matvec(w("o_proj.weight"), o, c.hidden_size));
        }
        return out;
    }
    std::vector<Vec> forward(const std::vector<Vec>& x) const {
        return attend(c.attention == AttentionKind::mla ? mla_heads(x) : std_heads(x));
    }
};

// ---- the paths under test -----------------------------------------------------------

std::vector<Vec> training_forward(const ModelConfig& c, const Vec& params,
                                  const std::vector<Vec>& x) {
    const ParamLayout layout(c);
    const RopeTable<double> rope = rope_table<double>(c);
    std::vector<int> positions(kT);
    for (int t = 0; t < kT; ++t) positions[t] = t;
    SequenceBatch<double> batch{1, kT, positions.data(), nullptr, &rope, 1};
    Vec flat_x;
    for (const Vec& row : x) flat_x.insert(flat_x.end(), row.begin(), row.end());
    Vec out(flat_x.size());
    const auto layer = make_attention_layer<double>(c, layout, 0);
    const ActivationArena arena = testing::laid_out(*layer, 1, kT);
    layer->forward(out.data(), flat_x.data(), params.data(), batch);
    std::vector<Vec> rows;
    for (int t = 0; t < kT; ++t)
        rows.emplace_back(out.begin() + t * c.hidden_size, out.begin() + (t + 1) * c.hidden_size);
    return rows;
}

// The decoder in float: prefill of all positions at once, or one decode step per position.
std::vector<Vec> decoder_forward(const ModelConfig& c, const Vec& params, const std::vector<Vec>& x,
                                 CacheMode mode, bool stepwise) {
    ParamStore store(c);
    std::copy(params.begin(), params.end(), store.data().begin());
    AttentionWeights weights;
    weights.load(store, 0, mode);
    KvCache cache(c, mode, 1, kT);
    AttentionDecoder decoder(c, mode, kT, kT, 1);
    const RopeTable<float> rope = rope_table<float>(c);
    const int C = c.hidden_size;
    std::vector<float> h, out(size_t(kT) * C);
    for (const Vec& row : x) h.insert(h.end(), row.begin(), row.end());
    std::vector<int> seq(kT, 0), pos(kT);
    for (int t = 0; t < kT; ++t) pos[t] = t;
    if (stepwise) {
        for (int t = 0; t < kT; ++t) {
            cache.append(0, 1);
            const RowBatch one{1, seq.data(), pos.data() + t, true};
            decoder.forward(out.data() + t * C, h.data() + t * C, weights, 0, one, 0, 1, cache,
                            rope);
        }
    } else {
        cache.append(0, kT);
        const RowBatch all{kT, seq.data(), pos.data(), false};
        decoder.forward(out.data(), h.data(), weights, 0, all, 0, kT, cache, rope);
    }
    std::vector<Vec> rows;
    for (int t = 0; t < kT; ++t) rows.emplace_back(out.begin() + t * C, out.begin() + (t + 1) * C);
    return rows;
}

double worst_error(const std::vector<Vec>& got, const std::vector<Vec>& want) {
    double worst = 0;
    for (size_t t = 0; t < want.size(); ++t)
        for (size_t i = 0; i < want[t].size(); ++i)
            worst = std::max(worst, std::abs(got[t][i] - want[t][i]));
    return worst;
}

struct Case {
    const char* name;
    ModelConfig config;
};

std::vector<Case> cases() {
    ModelConfig mla = testing::small_config();
    mla.max_position_embeddings = kT;
    ModelConfig yarn = mla;  // trained at 2 positions, extended 4x: all pairs but the first / 4
    yarn.max_position_embeddings = 8;
    yarn.rope_scaling = YarnScaling{4.0, 2, 32.0, 1.0, 0.707, 0.707};
    ModelConfig no_q_lora = yarn;
    no_q_lora.q_lora_rank = 0;
    ModelConfig mha = yarn;
    mha.attention = AttentionKind::mha;
    ModelConfig gqa = mla;
    gqa.attention = AttentionKind::gqa;
    gqa.num_attention_heads = 4;
    gqa.num_key_value_heads = 2;
    return {{"mla", mla},
            {"mla_yarn", yarn},
            {"mla_no_q_lora_yarn", no_q_lora},
            {"mha_yarn", mha},
            {"gqa", gqa}};
}

// Tolerances (absolute; outputs are of order one). The training path runs the same
// arithmetic in double in another order: measured error below 1e-15, so 1e-11 leaves four
// orders of margin and still fails on any formula difference. The decoder runs in float
// (unit roundoff 6e-8, parameters rounded to float too) through about eight dot products of
// at most 48 terms, an exp and a normalisation: measured at most 1.2e-6 here, so 2e-5 holds
// it with margin, while a wrong frequency, scale or position moves outputs by 1e-2 or more.
constexpr double kDoubleTolerance = 1e-11;
constexpr double kFloatTolerance = 2e-5;

TEST(AttentionReference, EveryPathMatchesTheNaiveReference) {
    for (const Case& k : cases()) {
        SCOPED_TRACE(k.name);
        const ModelConfig& c = k.config;
        c.validate();
        const Vec params = testing::random_params(ParamLayout(c), 17);
        std::mt19937_64 rng(3);
        std::normal_distribution<double> normal(0.0, 1.0);
        std::vector<Vec> x(kT, Vec(c.hidden_size));
        for (Vec& row : x)
            for (double& v : row) v = normal(rng);
        const std::vector<Vec> want = Reference{c, params}.forward(x);
        double size = 0;
        for (const Vec& row : want)
            for (double v : row) size = std::max(size, std::abs(v));
        ASSERT_GT(size, 0.1);  // outputs of order one: the tolerances are absolute

        EXPECT_LT(worst_error(training_forward(c, params, x), want), kDoubleTolerance);
        std::vector<CacheMode> modes{CacheMode::expanded};
        if (c.attention == AttentionKind::mla) modes.push_back(CacheMode::latent);
        for (CacheMode mode : modes)
            for (bool stepwise : {false, true})
                EXPECT_LT(worst_error(decoder_forward(c, params, x, mode, stepwise), want),
                          kFloatTolerance)
                    << to_string(mode) << (stepwise ? " decode steps" : " prefill");
    }
}

// The reference is not blind: a softmax scale without YaRN's mscale^2 or frequencies
// without the ramp give other outputs, far beyond the tolerances above.
TEST(AttentionReference, WouldSeeAMissingYarnCorrection) {
    const ModelConfig yarn = cases()[1].config;
    ModelConfig plain = yarn;
    plain.rope_scaling.reset();
    const Vec params = testing::random_params(ParamLayout(yarn), 17);
    std::vector<Vec> x(kT, Vec(yarn.hidden_size, 0.0));
    for (int t = 0; t < kT; ++t)
        for (int i = 0; i < yarn.hidden_size; ++i) x[t][i] = std::sin(1.0 + t * 0.7 + i * 1.3);
    const double diff =
        worst_error(Reference{plain, params}.forward(x), Reference{yarn, params}.forward(x));
    EXPECT_GT(diff, 100 * kFloatTolerance);
}

}  // namespace
}  // namespace tinyseek
