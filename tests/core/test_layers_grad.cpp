// Gradient checks of every layer alone against central differences in double precision,
// as one table of cases (docs/ARCHITECTURE.md "Tests"), plus each kernel's small invariants.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <numeric>
#include <random>

#include "core/linear.h"  // first: the Eigen include (core/eigen.h)

#include "core/causal_attention.h"
#include "core/cross_entropy.h"
#include "core/errors.h"
#include "core/mla_attention.h"
#include "core/mlp.h"
#include "core/moe_layer.h"
#include "core/moe_router.h"
#include "core/rmsnorm.h"
#include "core/rope.h"
#include "core/std_attention.h"
#include "core/swiglu.h"
#include "core/transformer_block.h"
#include "tests/core/grad_check.h"
#include "tests/core/layer_arena.h"
#include "tests/core/model_fixtures.h"

namespace tinyseek {
namespace {

using testing::check_gradients;
using testing::GradProblem;
using testing::laid_out;
using testing::random_params;
using testing::random_vector;
using testing::small_config;
using testing::Tensors;

constexpr int kB = 2, kT = 5;
const int kLengths[kB] = {5, 3};  // the second sequence is right-padded

// Geometry of a (kB, kT) batch in double: positions 0..T-1, optional padding.
struct BatchFixture {
    explicit BatchFixture(const ModelConfig& c, bool padded)
        : rope(c.qk_rope_head_dim, c.max_position_embeddings, c.rope_theta) {
        for (int r = 0; r < kB * kT; ++r) positions.push_back(r % kT);
        batch.B = kB;
        batch.T = kT;
        batch.positions = positions.data();
        batch.lengths = padded ? kLengths : nullptr;
        batch.rope = &rope;
        batch.total_sequences = kB;
    }
    RopeTable<double> rope;
    std::vector<int> positions;
    SequenceBatch<double> batch;
};

using LayerForward = std::function<std::vector<double>(const double* params, const double* x)>;
using LayerBackward = std::function<void(const double* params, const double* x, const double* dout,
                                         double* grads, double* dx)>;

// A layer over a flat parameter block: the checked values are the input "x" and every
// trainable tensor whose name starts with `prefix`; the rest of the block stays fixed.
GradProblem layout_problem(const ModelConfig& c, const std::string& prefix, size_t x_size,
                           uint64_t seed, LayerForward fwd, LayerBackward bwd) {
    auto layout = std::make_shared<ParamLayout>(c);
    auto base = std::make_shared<std::vector<double>>(random_params(*layout, seed));
    std::mt19937_64 rng(seed + 1);
    GradProblem p;
    p.values["x"] = random_vector(x_size, rng);
    for (const TensorSpec& t : layout->tensors())
        if (t.trainable && t.name.rfind(prefix, 0) == 0)
            p.values[t.name].assign(base->begin() + t.offset, base->begin() + t.offset + t.numel);
    auto assemble = [layout, base](const Tensors& v) {
        std::vector<double> flat = *base;
        for (const auto& [name, vals] : v)
            if (name != "x")
                std::copy(vals.begin(), vals.end(), flat.begin() + layout->at(name).offset);
        return flat;
    };
    p.forward = [=](const Tensors& v) {
        const std::vector<double> flat = assemble(v);
        return fwd(flat.data(), v.at("x").data());
    };
    p.backward = [=](const Tensors& v, const std::vector<double>& dout, Tensors& g) {
        const std::vector<double> flat = assemble(v);
        std::vector<double> gflat(flat.size(), 0.0), dx(v.at("x").size(), 0.0);
        bwd(flat.data(), v.at("x").data(), dout.data(), gflat.data(), dx.data());
        for (auto& [name, gv] : g) {
            const double* src = name == "x" ? dx.data() : gflat.data() + layout->at(name).offset;
            for (size_t i = 0; i < gv.size(); ++i) gv[i] += src[i];
        }
    };
    return p;
}

// An attention layer (config.attention) of block 0 on a (kB, kT) batch.
GradProblem attention_problem(ModelConfig c) {
    const size_t n = kB * kT, C = c.hidden_size;
    auto fix = std::make_shared<BatchFixture>(c, false);
    return layout_problem(
        c, layer_prefix(0) + "self_attn.", n * C, 21,
        [=](const double* params, const double* x) {
            auto layer = make_attention_layer<double>(c, ParamLayout(c), 0);
            const ActivationArena arena = laid_out(*layer, kB, kT);
            std::vector<double> out(n * C);
            layer->forward(out.data(), x, params, fix->batch);
            return out;
        },
        [=](const double* params, const double* x, const double* dout, double* g, double* dx) {
            auto layer = make_attention_layer<double>(c, ParamLayout(c), 0);
            const ActivationArena arena = laid_out(*layer, kB, kT);
            std::vector<double> out(n * C);
            layer->forward(out.data(), x, params, fix->batch);
            Scratch<double> scratch;
            layer->backward(dx, dout, x, params, g, fix->batch, scratch);
        });
}

GradProblem causal_attention_problem() {
    // GQA shape: 4 query heads share 2 KV heads; q/k/v are column blocks of wider rows.
    AttentionDims d{kB, kT, 4, 2, 6, 5, 0.4};
    const int n = kB * kT, qs = 4 * 6 + 3, ks = 2 * 6 + 1, vs = 2 * 5 + 2;
    std::mt19937_64 rng(22);
    GradProblem p;
    p.values["q"] = random_vector(n * qs, rng);
    p.values["k"] = random_vector(n * ks, rng);
    p.values["v"] = random_vector(n * vs, rng);
    auto run = [=](const Tensors& v, std::vector<double>& probs) {
        std::vector<double> out(n * d.H * d.Dv);
        probs.resize(size_t(kB) * d.H * kT * kT);
        causal_attention_forward<double>(out.data(), probs.data(), {v.at("q").data(), qs, 6},
                                         {v.at("k").data(), ks, 6}, {v.at("v").data(), vs, 5}, d);
        return out;
    };
    p.forward = [=](const Tensors& v) {
        std::vector<double> probs;
        return run(v, probs);
    };
    p.backward = [=](const Tensors& v, const std::vector<double>& dout, Tensors& g) {
        std::vector<double> probs;
        run(v, probs);
        std::vector<double> dq(n * qs, 0.0), dk(n * ks, 0.0), dv(n * vs, 0.0), tmp(kT * kT);
        causal_attention_backward<double>({dq.data(), qs, 6}, {dk.data(), ks, 6},
                                          {dv.data(), vs, 5}, dout.data(), probs.data(),
                                          {v.at("q").data(), qs, 6}, {v.at("k").data(), ks, 6},
                                          {v.at("v").data(), vs, 5}, d, tmp.data());
        for (int i = 0; i < n * qs; ++i) g["q"][i] += dq[i];
        for (int i = 0; i < n * ks; ++i) g["k"][i] += dk[i];
        for (int i = 0; i < n * vs; ++i) g["v"][i] += dv[i];
    };
    return p;
}

GradProblem dense_mlp_problem() {
    const ModelConfig c = small_config();
    const int n = 7, C = c.hidden_size, F = c.intermediate_size;
    const auto w = SwigluMlpWeights::resolve(ParamLayout(c), layer_prefix(0) + "mlp.");
    return layout_problem(
        c, layer_prefix(0) + "mlp.", n * C, 23,
        [=](const double* params, const double* x) {
            std::vector<double> out(n * C), gu(n * 2 * F), h(n * F);
            swiglu_mlp_forward(out.data(), gu.data(), h.data(), x, params + w.gate_up,
                               params + w.down, n, C, F);
            return out;
        },
        [=](const double* params, const double* x, const double* dout, double* g, double* dx) {
            std::vector<double> out(n * C), gu(n * 2 * F), h(n * F), tmp(n * 3 * F);
            swiglu_mlp_forward(out.data(), gu.data(), h.data(), x, params + w.gate_up,
                               params + w.down, n, C, F);
            swiglu_mlp_backward(dx, g + w.gate_up, g + w.down, dout, x, gu.data(), h.data(),
                                params + w.gate_up, params + w.down, n, C, F, tmp.data());
        });
}

// MoE layer of block 1 on a padded (kB, kT) batch. Output = [out (n, C) | balance loss]; the
// loss enters with weight 1 because the backward adds its gradient itself.
GradProblem moe_problem(ModelConfig c, uint64_t seed) {
    const size_t n = kB * kT, C = c.hidden_size;
    auto fix = std::make_shared<BatchFixture>(c, true);
    GradProblem p = layout_problem(
        c, layer_prefix(1) + "mlp.", n * C, seed,
        [=](const double* params, const double* x) {
            MoeLayer<double> moe(c, ParamLayout(c), 1);
            const ActivationArena arena = laid_out(moe, kB, kT);
            std::vector<double> out(n * C);
            moe.forward(out.data(), x, params, fix->batch);
            out.push_back(moe.aux_loss());
            return out;
        },
        [=](const double* params, const double* x, const double* dout, double* g, double* dx) {
            MoeLayer<double> moe(c, ParamLayout(c), 1);
            const ActivationArena arena = laid_out(moe, kB, kT);
            std::vector<double> out(n * C);
            moe.forward(out.data(), x, params, fix->batch);
            Scratch<double> scratch;
            moe.backward(dx, dout, x, params, g, fix->batch, scratch);
        });
    p.unit_tail = 1;
    return p;
}

GradProblem block_problem(ModelConfig c, int layer) {
    const size_t n = kB * kT, C = c.hidden_size;
    auto fix = std::make_shared<BatchFixture>(c, true);
    GradProblem p = layout_problem(
        c, layer_prefix(layer), n * C, 25,
        [=](const double* params, const double* x) {
            TransformerBlock<double> block(c, ParamLayout(c), layer);
            const ActivationArena arena = laid_out(block, kB, kT);
            std::vector<double> y(n * C);
            block.forward(y.data(), x, params, fix->batch);
            if (block.moe()) y.push_back(block.moe()->aux_loss());
            return y;
        },
        [=](const double* params, const double* x, const double* dy, double* g, double* dx) {
            TransformerBlock<double> block(c, ParamLayout(c), layer);
            const ActivationArena arena = laid_out(block, kB, kT);
            std::vector<double> y(n * C);
            block.forward(y.data(), x, params, fix->batch);
            std::copy(dy, dy + n * C, dx);  // in place: dL/dy in, dL/dx out
            Scratch<double> scratch;
            block.backward(dx, x, params, g, fix->batch, scratch);
        });
    p.unit_tail = c.is_moe_layer(layer) ? 1 : 0;
    return p;
}

// Mean cross-entropy with ignored rows; the output is the scalar loss.
GradProblem cross_entropy_problem() {
    const int n = 6, V = 9;
    const std::vector<int> targets = {3, kIgnoreIndex, 0, 8, kIgnoreIndex, 5};
    std::mt19937_64 rng(26);
    GradProblem p;
    p.values["logits"] = random_vector(n * V, rng, 2.0);
    p.forward = [=](const Tensors& v) {
        return std::vector<double>{
            cross_entropy<double>(nullptr, nullptr, v.at("logits").data(), targets.data(), n, V)
                .loss};
    };
    p.backward = [=](const Tensors& v, const std::vector<double>& dout, Tensors& g) {
        std::vector<double> dz(n * V);
        cross_entropy<double>(dz.data(), nullptr, v.at("logits").data(), targets.data(), n, V,
                              dout[0]);
        for (int i = 0; i < n * V; ++i) g["logits"][i] += dz[i];
    };
    return p;
}

ModelConfig with_attention(AttentionKind kind, int heads, int kv_heads) {
    ModelConfig c = small_config();
    c.attention = kind;
    c.num_attention_heads = heads;
    c.num_key_value_heads = kv_heads;
    return c;
}

ModelConfig moe_config(BalanceMode mode, int shared, float scaling) {
    ModelConfig c = small_config();
    c.balance_mode = mode;
    c.aux_loss_alpha = 0.1f;  // large, so that the balance-loss gradient is visible
    c.n_shared_experts = shared;
    c.routed_scaling_factor = scaling;
    return c;
}

GradProblem rmsnorm_problem(int stride) {
    const int n = 5, c = 12;
    std::mt19937_64 rng(1);
    GradProblem p;
    p.values["x"] = random_vector(static_cast<size_t>(n) * stride, rng);
    p.values["w"] = random_vector(c, rng);
    p.forward = [=](const Tensors& v) {
        std::vector<double> out(n * c);
        rmsnorm_forward(out.data(), static_cast<double*>(nullptr), v.at("x").data(),
                        v.at("w").data(), n, c, 1e-6, stride);
        return out;
    };
    p.backward = [=](const Tensors& v, const std::vector<double>& dout, Tensors& g) {
        std::vector<double> out(n * c), rstd(n);
        rmsnorm_forward(out.data(), rstd.data(), v.at("x").data(), v.at("w").data(), n, c, 1e-6,
                        stride);
        rmsnorm_backward(g["x"].data(), g["w"].data(), dout.data(), v.at("x").data(),
                         v.at("w").data(), rstd.data(), n, c, stride);
    };
    return p;
}

GradProblem rope_problem() {
    const int n = 4, heads = 3, dim = 8, row_stride = 30, head_stride = 9;
    auto table = std::make_shared<RopeTable<double>>(dim, 64, 10000.0);
    auto pos = std::make_shared<std::vector<int>>(std::vector<int>{0, 3, 17, 63});
    std::mt19937_64 rng(2);
    GradProblem p;
    p.values["x"] = random_vector(static_cast<size_t>(n) * row_stride, rng);
    p.forward = [=](const Tensors& v) {
        std::vector<double> y = v.at("x");
        rope_forward(y.data(), *table, pos->data(), n, heads, row_stride, head_stride);
        return y;
    };
    p.backward = [=](const Tensors&, const std::vector<double>& dout, Tensors& g) {
        std::vector<double> d = dout;
        rope_backward(d.data(), *table, pos->data(), n, heads, row_stride, head_stride);
        for (size_t i = 0; i < d.size(); ++i) g["x"][i] += d[i];
    };
    return p;
}

GradProblem linear_problem() {
    const int n = 6, in = 7, out = 5;
    std::mt19937_64 rng(3);
    GradProblem p;
    p.values["x"] = random_vector(n * in, rng);
    p.values["w"] = random_vector(out * in, rng);
    p.forward = [=](const Tensors& v) {
        std::vector<double> y(n * out);
        linear_forward(y.data(), v.at("x").data(), v.at("w").data(), n, in, out);
        return y;
    };
    p.backward = [=](const Tensors& v, const std::vector<double>& dy, Tensors& g) {
        linear_backward(g["x"].data(), g["w"].data(), dy.data(), v.at("x").data(), v.at("w").data(),
                        n, in, out);
    };
    return p;
}

GradProblem swiglu_problem() {
    const int n = 4, f = 6;
    std::mt19937_64 rng(4);
    GradProblem p;
    p.values["gu"] = random_vector(n * 2 * f, rng, 2.0);
    p.forward = [=](const Tensors& v) {
        std::vector<double> h(n * f);
        swiglu_forward(h.data(), v.at("gu").data(), n, f);
        return h;
    };
    p.backward = [=](const Tensors& v, const std::vector<double>& dh, Tensors& g) {
        std::vector<double> dgu(n * 2 * f);
        swiglu_backward(dgu.data(), dh.data(), v.at("gu").data(), n, f);
        for (size_t i = 0; i < dgu.size(); ++i) g["gu"][i] += dgu[i];
    };
    return p;
}

// Router logits spaced apart so that a finite-difference step never changes the top-k set.
std::vector<double> separated_logits(int n, int E, std::mt19937_64& rng) {
    std::vector<double> z(static_cast<size_t>(n) * E);
    std::vector<int> order(E);
    std::uniform_real_distribution<double> jitter(-0.05, 0.05);
    for (int r = 0; r < n; ++r) {
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
        for (int e = 0; e < E; ++e) z[r * E + e] = -1.5 + 0.4 * order[e] + jitter(rng);
    }
    return z;
}

// Output = [weights (n, K) | scores (n, E)], so both the weight path and the extra dscore
// path (used by the balance loss) are checked.
GradProblem router_problem(bool softmax, bool norm, float scaling, int n_group) {
    RouterConfig cfg;
    cfg.n_experts = 8;
    cfg.top_k = 3;
    cfg.softmax_scores = softmax;
    cfg.norm_topk_prob = norm;
    cfg.routed_scaling_factor = scaling;
    cfg.n_group = n_group;
    cfg.topk_group = n_group > 1 ? 2 : 1;
    cfg.group_limited = n_group > 1;
    const int n = 6, E = cfg.n_experts, K = cfg.top_k;
    std::mt19937_64 rng(5);
    GradProblem p;
    p.values["logit"] = separated_logits(n, E, rng);
    auto bias = std::make_shared<std::vector<double>>(random_vector(E, rng, 0.05));
    auto run = [=](const Tensors& v, std::vector<int>& ex, std::vector<double>& s) {
        std::vector<double> w(n * K);
        ex.resize(n * K);
        s.resize(n * E);
        route_tokens(ex.data(), w.data(), s.data(), v.at("logit").data(), bias->data(), cfg, n);
        return w;
    };
    p.forward = [=](const Tensors& v) {
        std::vector<int> ex;
        std::vector<double> s;
        std::vector<double> y = run(v, ex, s);
        y.insert(y.end(), s.begin(), s.end());
        return y;
    };
    p.backward = [=](const Tensors& v, const std::vector<double>& dy, Tensors& g) {
        std::vector<int> ex;
        std::vector<double> s;
        run(v, ex, s);
        std::vector<double> dz(n * E);
        route_tokens_backward(dz.data(), dy.data(), dy.data() + n * K, s.data(), ex.data(), cfg, n);
        for (size_t i = 0; i < dz.size(); ++i) g["logit"][i] += dz[i];
    };
    return p;
}

struct LayerCase {
    const char* name;
    std::function<GradProblem()> make;
};

void PrintTo(const LayerCase& c, std::ostream* os) {
    *os << c.name;
}

class LayerGradTest : public ::testing::TestWithParam<LayerCase> {};

TEST_P(LayerGradTest, MatchesCentralDifferences) {
    GradProblem problem = GetParam().make();
    const testing::GradReport r = check_gradients(problem, 99);
    EXPECT_GT(r.checked, 0);
    EXPECT_LT(r.worst_error, 1e-5) << "worst: " << r.worst_tensor;
}

const LayerCase kLayerCases[] = {
    {"rmsnorm", [] { return rmsnorm_problem(12); }},
    {"rmsnorm_strided_rows", [] { return rmsnorm_problem(17); }},
    {"rope", rope_problem},
    {"linear", linear_problem},
    {"swiglu", swiglu_problem},
    {"router_sigmoid_norm", [] { return router_problem(false, true, 1.0f, 1); }},
    {"router_sigmoid_scaled", [] { return router_problem(false, true, 2.5f, 1); }},
    {"router_sigmoid_unnormalised", [] { return router_problem(false, false, 1.0f, 1); }},
    {"router_softmax", [] { return router_problem(true, false, 1.0f, 1); }},
    {"router_grouped", [] { return router_problem(false, true, 1.0f, 4); }},
    {"causal_attention_gqa", causal_attention_problem},
    {"mla_attention", [] { return attention_problem(small_config()); }},
    {"mla_attention_no_q_lora",
     [] {
         ModelConfig c = small_config();
         c.q_lora_rank = 0;
         return attention_problem(c);
     }},
    {"mha_attention", [] { return attention_problem(with_attention(AttentionKind::mha, 2, 2)); }},
    {"gqa_attention", [] { return attention_problem(with_attention(AttentionKind::gqa, 4, 2)); }},
    {"dense_swiglu_mlp", dense_mlp_problem},
    {"moe_aux_free", [] { return moe_problem(moe_config(BalanceMode::aux_free, 1, 1.0f), 31); }},
    {"moe_aux_loss", [] { return moe_problem(moe_config(BalanceMode::aux_loss, 1, 2.5f), 32); }},
    {"moe_no_shared_expert",
     [] { return moe_problem(moe_config(BalanceMode::aux_loss, 0, 1.0f), 33); }},
    {"dense_block", [] { return block_problem(small_config(), 0); }},
    {"moe_block", [] { return block_problem(moe_config(BalanceMode::aux_loss, 1, 1.0f), 1); }},
    {"cross_entropy", cross_entropy_problem},
};

INSTANTIATE_TEST_SUITE_P(Layers, LayerGradTest, ::testing::ValuesIn(kLayerCases),
                         [](const auto& info) { return std::string(info.param.name); });

// ---- invariants of the individual kernels -------------------------------------------------

TEST(RmsNorm, RowsHaveUnitRmsBeforeTheWeight) {
    std::mt19937_64 rng(7);
    const int n = 3, c = 16;
    std::vector<double> x = random_vector(n * c, rng, 3.0), w(c, 1.0), y(n * c), rstd(n);
    rmsnorm_forward(y.data(), rstd.data(), x.data(), w.data(), n, c, 0.0);
    for (int r = 0; r < n; ++r) {
        double ss = 0;
        for (int j = 0; j < c; ++j) ss += y[r * c + j] * y[r * c + j];
        EXPECT_NEAR(std::sqrt(ss / c), 1.0, 1e-12);
    }
}

TEST(Rope, RotatesAdjacentPairsLikeComplexMultiplication) {
    const int dim = 8;
    const double theta = 10000.0;
    RopeTable<double> table(dim, 32, theta);
    std::mt19937_64 rng(8);
    std::vector<double> x = random_vector(dim, rng), y = x;
    const int pos = 13;
    rope_forward(y.data(), table, &pos, 1, 1, dim, dim);
    for (int i = 0; i < dim / 2; ++i) {
        // (x_{2i} + i x_{2i+1}) * e^{i p theta^(-2i/dim)}, as DeepSeek-V3's apply_rotary_emb
        const double a = pos * std::pow(theta, -2.0 * i / dim);
        EXPECT_NEAR(y[2 * i], x[2 * i] * std::cos(a) - x[2 * i + 1] * std::sin(a), 1e-12);
        EXPECT_NEAR(y[2 * i + 1], x[2 * i] * std::sin(a) + x[2 * i + 1] * std::cos(a), 1e-12);
    }
    rope_backward(y.data(), table, &pos, 1, 1, dim, dim);  // R^T R = I
    for (int i = 0; i < dim; ++i) EXPECT_NEAR(y[i], x[i], 1e-12);
}

TEST(Rope, PositionZeroIsIdentityAndOutOfRangeThrows) {
    RopeTable<float> table(4, 8, 10000.0);
    std::vector<float> x = {1, 2, 3, 4}, y = x;
    const int zero = 0, bad = 8;
    rope_forward(y.data(), table, &zero, 1, 1, 4, 4);
    EXPECT_EQ(x, y);
    EXPECT_THROW(rope_forward(y.data(), table, &bad, 1, 1, 4, 4), Error);
}

TEST(Linear, ParallelVariantsMatchTheSerialOnes) {
    const int n = 37, in = 24, out = 19;
    std::mt19937_64 rng(9);
    auto make = [&](size_t k) {
        std::vector<double> d = random_vector(k, rng);
        return std::vector<float>(d.begin(), d.end());
    };
    std::vector<float> x = make(n * in), w = make(out * in), dy = make(n * out);
    std::vector<float> y1(n * out), y2(n * out), dx1 = make(n * in), dw1 = make(out * in);
    std::vector<float> dx2 = dx1, dw2 = dw1;
    linear_forward(y1.data(), x.data(), w.data(), n, in, out);
    linear_forward_parallel(y2.data(), x.data(), w.data(), n, in, out);
    linear_backward(dx1.data(), dw1.data(), dy.data(), x.data(), w.data(), n, in, out);
    linear_backward_parallel(dx2.data(), dw2.data(), dy.data(), x.data(), w.data(), n, in, out);
    for (size_t i = 0; i < y1.size(); ++i) EXPECT_NEAR(y1[i], y2[i], 1e-5f);
    for (size_t i = 0; i < dx1.size(); ++i) EXPECT_NEAR(dx1[i], dx2[i], 1e-5f);
    for (size_t i = 0; i < dw1.size(); ++i) EXPECT_NEAR(dw1[i], dw2[i], 1e-5f);
}

TEST(Router, GateWeightsSumToTheScalingFactor) {
    ModelConfig mc;
    mc.routed_scaling_factor = 2.5f;
    const RouterConfig cfg = RouterConfig::from(mc);
    std::mt19937_64 rng(10);
    const int n = 50, E = cfg.n_experts, K = cfg.top_k;
    std::vector<float> z(n * E), bias(E), w(n * K), s(n * E);
    std::normal_distribution<float> normal(0.0f, 2.0f);
    for (float& v : z) v = normal(rng);
    for (float& v : bias) v = 0.1f * normal(rng);
    std::vector<int> ex(n * K);
    route_tokens(ex.data(), w.data(), s.data(), z.data(), bias.data(), cfg, n);
    for (int r = 0; r < n; ++r) {
        float sum = 0;
        for (int k = 0; k < K; ++k) sum += w[r * K + k];
        EXPECT_NEAR(sum, 2.5f, 1e-5f);
        EXPECT_NE(ex[r * K], ex[r * K + 1]);
    }
}

TEST(Router, BiasChoosesExpertsButWeightsComeFromUnbiasedAffinities) {
    RouterConfig cfg;
    cfg.n_experts = 4;
    cfg.top_k = 2;
    // Affinities sigmoid(z): expert 0 and 1 are the best without bias.
    const std::vector<double> z = {2.0, 1.0, 0.0, -1.0};
    std::vector<double> bias = {0.0, 0.0, 0.0, 0.0}, w(2), s(4);
    std::vector<int> ex(2);
    route_token(ex.data(), w.data(), s.data(), z.data(), bias.data(), cfg);
    EXPECT_EQ(ex, (std::vector<int>{0, 1}));
    // A large bias on expert 3 makes it chosen first, yet its weight is its own affinity.
    bias[3] = 1.0;
    route_token(ex.data(), w.data(), s.data(), z.data(), bias.data(), cfg);
    EXPECT_EQ(ex, (std::vector<int>{3, 0}));
    const double s0 = 1 / (1 + std::exp(-2.0)), s3 = 1 / (1 + std::exp(1.0));
    EXPECT_NEAR(w[0], s3 / (s0 + s3), 1e-12);
    EXPECT_NEAR(w[1], s0 / (s0 + s3), 1e-12);
    EXPECT_NEAR(s[3], s3, 1e-12);
}

TEST(Router, GroupLimitedRoutingOnlyChoosesInsideTheBestGroups) {
    RouterConfig cfg;
    cfg.n_experts = 8;
    cfg.top_k = 2;
    cfg.n_group = 4;
    cfg.topk_group = 1;
    cfg.group_limited = true;
    // Group scores (sum of top-2): g0 = {3, -5} weak pair, g2 = {2, 2} best pair.
    const std::vector<double> z = {3, -5, -4, -4, 2, 2, -3, -3};
    const std::vector<double> bias(8, 0.0);
    std::vector<double> w(2), s(8);
    std::vector<int> ex(2);
    route_token(ex.data(), w.data(), s.data(), z.data(), bias.data(), cfg);
    EXPECT_EQ(ex, (std::vector<int>{4, 5}));  // not expert 0 although its affinity is highest
}

}  // namespace
}  // namespace tinyseek
