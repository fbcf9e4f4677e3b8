// inspect_forward against independent paths: the decoder (core/generator, its own MoE and
// attention code) for the prediction, the routing and the MTP guess; a plain double loop for
// the logit lens at the embeddings; hand-built weights for the rope share and the bias effect.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/errors.h"
#include "core/forward_inspection.h"
#include "core/generator.h"
#include "core/model.h"
#include "tests/core/generator_fixtures.h"

namespace tinyseek {
namespace {

using testing::random_model;
using testing::random_tokens;
using testing::Threads;

std::vector<double> softmax_of(const float* z, int n) {
    const float m = *std::max_element(z, z + n);
    std::vector<double> p(n);
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += (p[i] = std::exp(double(z[i]) - m));
    for (double& x : p) x /= sum;
    return p;
}

int argmax(const std::vector<float>& v) {
    return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
}

ForwardInspection inspect(const ParamStore& p, const std::vector<int>& tokens) {
    Model model(p.config());
    return inspect_forward(model, p.data().data(), tokens);
}

TEST(ForwardInspection, PredictionAndMtpGuessMatchTheDecoder) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 3);
    const std::vector<int> tokens = random_tokens(20, c.vocab_size, 4);
    const ForwardInspection in = inspect(p, tokens);

    Generator g(p, CacheMode::latent);
    const Logits logits = g.logits(tokens);
    for (int v = 0; v < c.vocab_size; ++v) EXPECT_NEAR(in.next_logits[v], logits(19, v), 2e-4);
    for (int t = 1; t < 20; ++t)
        EXPECT_NEAR(in.token_prob[t], softmax_of(logits.row(t - 1), c.vocab_size)[tokens[t]], 1e-5);
    EXPECT_TRUE(std::isnan(in.token_prob[0]));

    ASSERT_EQ(in.mtp_assumed_next, argmax(in.next_logits));
    std::vector<int> extended = tokens;
    extended.push_back(in.mtp_assumed_next);
    const Logits mtp = g.mtp_logits(extended);  // row i predicts t_{i+2}
    ASSERT_EQ(in.mtp_logits.size(), size_t(c.vocab_size));
    for (int v = 0; v < c.vocab_size; ++v) EXPECT_NEAR(in.mtp_logits[v], mtp(19, v), 2e-4);
}

TEST(ForwardInspection, GateWeightsAreTheRoutersOfTheDecoder) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 5);
    const std::vector<int> tokens = random_tokens(16, c.vocab_size, 6);
    const ForwardInspection in = inspect(p, tokens);

    Generator g(p, CacheMode::latent);
    GenerationOptions o;
    o.max_new_tokens = 1;
    o.sampling.temperature = 0;
    o.trace_sequence = 0;
    const RoutingTrace trace = g.generate({tokens}, o).routing;  // every prompt token
    ASSERT_EQ(in.routing.size(), trace.layers.size());
    ASSERT_EQ(in.shared_experts, c.n_shared_experts);
    for (size_t m = 0; m < in.routing.size(); ++m) {
        const RoutingMap& r = in.routing[m];
        EXPECT_EQ(r.layer, trace.layers[m]);
        for (int t = 0; t < 16; ++t) {
            double sum = 0;
            for (int k = 0; k < r.top_k; ++k) {
                EXPECT_EQ(r.chosen_at(t, k), trace.expert(t, int(m), k)) << "t " << t;
                EXPECT_NEAR(r.weight_at(t, k), trace.weight(t, int(m), k), 1e-5);
                EXPECT_EQ(r.gate(t, r.chosen_at(t, k)), r.weight_at(t, k));
                sum += r.weight_at(t, k);
            }
            EXPECT_NEAR(sum, c.routed_scaling_factor, 1e-5);
        }
    }
}

// With expert 0's bias far above every affinity it is chosen for every token, so the bias
// pushed it in wherever the unbiased top-2 lacks it and pushed out that top-2's second.
TEST(ForwardInspection, BiasEffectNamesTheExpertsItSwapped) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    ParamStore p = random_model(c, 7);
    const size_t bias = p.layout().at("model.layers.1.mlp.gate.e_score_correction_bias").offset;
    std::fill_n(p.data().data() + bias, c.n_routed_experts, 0.0f);
    p.data()[bias] = 10.0f;
    const ForwardInspection in = inspect(p, random_tokens(24, c.vocab_size, 8));
    const RoutingMap& r = in.routing.at(0);
    ASSERT_EQ(r.layer, 1);
    int swapped = 0;
    for (int t = 0; t < 24; ++t) {
        std::vector<int> order(c.n_routed_experts);
        for (int e = 0; e < c.n_routed_experts; ++e) order[e] = e;
        const float* s = r.score.data() + size_t(t) * r.experts;
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return s[a] > s[b]; });
        EXPECT_EQ(r.chosen_at(t, 0), 0);
        EXPECT_EQ(r.chosen_at(t, 1), order[0] == 0 ? order[1] : order[0]);
        const bool zero_in_top2 = order[0] == 0 || order[1] == 0;
        EXPECT_EQ(r.pushed_in[size_t(t) * 2], zero_in_top2 ? -1 : 0);
        EXPECT_EQ(r.pushed_out[size_t(t) * 2], zero_in_top2 ? -1 : order[1]);
        EXPECT_EQ(r.pushed_in[size_t(t) * 2 + 1], -1);
        swapped += zero_in_top2 ? 0 : 1;
    }
    EXPECT_GT(swapped, 0);  // the case is exercised
}

// With node-limited routing (2 groups, 1 chosen) and no bias, the bias swapped nothing, though
// the best experts of the other group are left out: the comparison routes with b = 0, groups
// included. With a bias, every swap is an expert of the routed set against one of the b = 0 set.
TEST(ForwardInspection, BiasEffectKeepsTheGroupLimit) {
    const Threads one(1);
    ModelConfig c = ModelConfig::preset("tiny");
    c.n_group = 2;
    c.topk_group = 1;
    ParamStore p = random_model(c, 21);
    for (int l = 1; l < c.num_hidden_layers; ++l) {
        const std::string name =
            "model.layers." + std::to_string(l) + ".mlp.gate.e_score_correction_bias";
        std::fill_n(p.data().data() + p.layout().at(name).offset, c.n_routed_experts, 0.0f);
    }
    const ForwardInspection in = inspect(p, random_tokens(24, c.vocab_size, 22));
    int limited = 0;
    for (const RoutingMap& r : in.routing)
        for (int t = 0; t < 24; ++t) {
            for (int k = 0; k < r.top_k; ++k) {
                EXPECT_EQ(r.pushed_in[size_t(t) * r.top_k + k], -1);
                EXPECT_EQ(r.pushed_out[size_t(t) * r.top_k + k], -1);
            }
            // Both chosen experts lie in one group of 4.
            EXPECT_EQ(r.chosen_at(t, 0) / 4, r.chosen_at(t, 1) / 4);
            // ... while the two best affinities often do not: the group limit is exercised.
            std::vector<int> order(r.experts);
            for (int e = 0; e < r.experts; ++e) order[e] = e;
            const float* s = r.score.data() + size_t(t) * r.experts;
            std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return s[a] > s[b]; });
            limited += order[0] / 4 != order[1] / 4 ? 1 : 0;
        }
    EXPECT_GT(limited, 0);
}

TEST(ForwardInspection, LogitLensEndsAtThePredictionAndStartsAtTheEmbeddings) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 9);
    const std::vector<int> tokens = random_tokens(12, c.vocab_size, 10);
    const ForwardInspection in = inspect(p, tokens);
    ASSERT_EQ(in.boundaries, c.num_hidden_layers + 1);
    const int L = c.num_hidden_layers, V = c.vocab_size, C = c.hidden_size;
    const std::vector<double> next = softmax_of(in.next_logits.data(), V);
    const LensCell& last = in.lens_at(L, 11);
    EXPECT_EQ(last.token, argmax(in.next_logits));
    EXPECT_NEAR(last.prob, next[last.token], 1e-6);
    EXPECT_EQ(last.final_token_prob, last.prob);

    // Boundary 0, by hand: rmsnorm(embedding) . lm_head in double.
    const float* emb = p.data().data() + p.layout().at("model.embed_tokens.weight").offset;
    const float* norm = p.data().data() + p.layout().at("model.norm.weight").offset;
    const float* head = p.data().data() + p.layout().at("lm_head.weight").offset;
    for (int t = 0; t < 12; ++t) {
        const float* x = emb + size_t(tokens[t]) * C;
        double ms = 0;
        for (int i = 0; i < C; ++i) ms += double(x[i]) * x[i];
        const double r = 1.0 / std::sqrt(ms / C + c.rms_norm_eps);
        std::vector<float> z(V);
        for (int v = 0; v < V; ++v) {
            double dot = 0;
            for (int i = 0; i < C; ++i) dot += x[i] * r * norm[i] * head[size_t(v) * C + i];
            z[v] = static_cast<float>(dot);
        }
        const LensCell& cell = in.lens_at(0, t);
        EXPECT_EQ(cell.token, argmax(z));
        EXPECT_NEAR(cell.prob, softmax_of(z.data(), V)[cell.token], 1e-5);
        EXPECT_NEAR(cell.final_token_prob, softmax_of(z.data(), V)[in.lens_at(L, t).token], 1e-5);
    }
}

TEST(ForwardInspection, AttentionRowsAreCausalDistributions) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ForwardInspection in = inspect(random_model(c, 11), random_tokens(10, c.vocab_size, 12));
    ASSERT_EQ(in.attention.size(), size_t(c.num_hidden_layers));
    for (const AttentionMap& a : in.attention) {
        ASSERT_EQ(a.heads, c.num_attention_heads);
        for (int h = 0; h < a.heads; ++h)
            for (int i = 0; i < 10; ++i) {
                double sum = 0;
                for (int j = 0; j < 10; ++j) {
                    if (j > i) {
                        EXPECT_EQ(a.prob(h, i, j), 0.0f);
                    }
                    sum += a.prob(h, i, j);
                    EXPECT_GE(a.share(h, i, j), 0.0f);
                    EXPECT_LE(a.share(h, i, j), 1.0f);
                }
                EXPECT_NEAR(sum, 1.0, 1e-5);
            }
    }
}

// Zeroing the rows of kv_a_proj_with_mqa that make k_rope removes position from every score
// (share 0); zeroing kv_b_proj's k_nope rows leaves only position (share 1).
TEST(ForwardInspection, RopeShareIsZeroWithoutRopeKeysAndOneWithoutNopeKeys) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const std::vector<int> tokens = random_tokens(9, c.vocab_size, 14);
    const int C = c.hidden_size, Dc = c.kv_lora_rank, Dn = c.qk_nope_head_dim;
    const int Dv = c.v_head_dim;
    for (const bool drop_rope : {true, false}) {
        ParamStore p = random_model(c, 13);
        float* w = p.data().data();
        for (int l = 0; l < c.num_hidden_layers; ++l) {
            const std::string at = "model.layers." + std::to_string(l) + ".self_attn.";
            if (drop_rope) {  // rows D_c .. D_c+R of (D_c+R, C)
                float* kva = w + p.layout().at(at + "kv_a_proj_with_mqa.weight").offset;
                std::fill(kva + size_t(Dc) * C, kva + size_t(Dc + c.qk_rope_head_dim) * C, 0.0f);
            } else {  // per head, the first Dn rows of (H*(Dn+Dv), D_c)
                float* kvb = w + p.layout().at(at + "kv_b_proj.weight").offset;
                for (int h = 0; h < c.num_attention_heads; ++h)
                    std::fill_n(kvb + size_t(h) * (Dn + Dv) * Dc, size_t(Dn) * Dc, 0.0f);
            }
        }
        const ForwardInspection in = inspect(p, tokens);
        for (const AttentionMap& a : in.attention)
            for (int h = 0; h < a.heads; ++h)
                for (int i = 0; i < 9; ++i)
                    for (int j = 0; j <= i; ++j) {
                        EXPECT_EQ(a.share(h, i, j), drop_rope ? 0.0f : 1.0f)
                            << "layer " << a.layer << " head " << h << " " << i << "," << j;
                    }
    }
}

TEST(ForwardInspection, AFullContextHasNoMtpGuessAndBadTextIsRefused) {
    const Threads one(1);
    ModelConfig c = ModelConfig::preset("tiny");
    c.max_position_embeddings = 8;
    const ParamStore p = random_model(c, 15);
    const ForwardInspection full = inspect(p, random_tokens(8, c.vocab_size, 16));
    EXPECT_TRUE(full.mtp_logits.empty());
    EXPECT_EQ(full.mtp_assumed_next, -1);
    EXPECT_EQ(full.lens.size(), size_t(full.boundaries) * 8);
    EXPECT_THROW(inspect(p, {}), Error);
    EXPECT_THROW(inspect(p, random_tokens(9, c.vocab_size, 17)), Error);
    EXPECT_THROW(inspect(p, {1, 2, c.vocab_size}), Error);
}

}  // namespace
}  // namespace tinyseek
