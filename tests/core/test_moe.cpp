// DeepSeekMoE invariants: grouped experts equal a naive per-token reference, routing of
// padded rows, per-expert load, gate weights, MaxVio, and auxiliary-loss-free balancing.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

#include "core/model.h"

#include "core/errors.h"
#include "core/mlp.h"
#include "core/moe_layer.h"
#include "core/routing_stats.h"
#include "tests/core/grad_check.h"
#include "tests/core/layer_arena.h"
#include "tests/core/model_fixtures.h"

namespace tinyseek {
namespace {

using testing::random_params;
using testing::small_config;

TEST(MaxVio, IsZeroWhenBalancedAndMaxOverMeanMinusOne) {
    const int64_t balanced[4] = {5, 5, 5, 5};
    const int64_t skewed[4] = {8, 0, 4, 4};  // mean 4
    const int64_t empty[4] = {0, 0, 0, 0};
    EXPECT_FLOAT_EQ(max_violation(balanced, 4), 0.0f);
    EXPECT_FLOAT_EQ(max_violation(skewed, 4), 1.0f);
    EXPECT_FLOAT_EQ(max_violation(empty, 4), 0.0f);
}

TEST(AuxFreeBalancing, OverloadedBiasGoesDownUnderloadedUp) {
    // mean load 6: expert 0 over, expert 1 under, experts 2 and 3 exactly at the mean.
    const int64_t load[4] = {10, 2, 6, 6};
    float bias[4] = {0.5f, 0.5f, 0.5f, 0.5f};
    update_routing_bias(bias, load, 4, 0.01f);
    EXPECT_FLOAT_EQ(bias[0], 0.49f);
    EXPECT_FLOAT_EQ(bias[1], 0.51f);
    EXPECT_FLOAT_EQ(bias[2], 0.5f);
    EXPECT_FLOAT_EQ(bias[3], 0.5f);
}

// out_r = shared(x_r) + sum_k w_rk expert_{e_rk}(x_r), one token at a time.
std::vector<double> naive_moe(const ModelConfig& c, const std::vector<double>& params,
                              const double* x, int n, const int* expert, const double* weight) {
    const ParamLayout layout(c);
    const int C = c.hidden_size, K = c.num_experts_per_tok;
    std::vector<double> out(size_t(n) * C, 0.0);
    auto mlp = [&](const std::string& prefix, const double* xr, double* acc, double w) {
        const SwigluMlpWeights m = SwigluMlpWeights::resolve(layout, prefix);
        const double* wg = params.data() + m.gate_up;
        const double* wu = wg + size_t(m.f) * C;
        const double* wd = params.data() + m.down;
        std::vector<double> h(m.f);
        for (int j = 0; j < m.f; ++j) {
            double g = 0, u = 0;
            for (int i = 0; i < C; ++i) {
                g += wg[j * C + i] * xr[i];
                u += wu[j * C + i] * xr[i];
            }
            h[j] = g / (1 + std::exp(-g)) * u;
        }
        for (int i = 0; i < C; ++i) {
            double y = 0;
            for (int j = 0; j < m.f; ++j) y += wd[i * m.f + j] * h[j];
            acc[i] += w * y;
        }
    };
    const std::string p = layer_prefix(1) + "mlp.";
    for (int r = 0; r < n; ++r) {
        mlp(p + "shared_experts.", x + r * C, out.data() + r * C, 1.0);
        for (int k = 0; k < K; ++k)
            if (expert[r * K + k] >= 0)
                mlp(p + "experts." + std::to_string(expert[r * K + k]) + ".", x + r * C,
                    out.data() + r * C, weight[r * K + k]);
    }
    return out;
}

TEST(MoeLayer, GroupedExpertsEqualNaivePerTokenReference) {
    const ModelConfig c = small_config();
    const ParamLayout layout(c);
    const std::vector<double> params = random_params(layout, 11);
    const int B = 3, T = 6, n = B * T, C = c.hidden_size, K = c.num_experts_per_tok;
    const int lengths[B] = {6, 2, 0};  // includes an all-padding sequence
    std::mt19937_64 rng(12);
    std::vector<double> x = testing::random_vector(size_t(n) * C, rng);
    RopeTable<double> rope(c.qk_rope_head_dim, c.max_position_embeddings, c.rope_theta);
    std::vector<int> pos(n);
    for (int r = 0; r < n; ++r) pos[r] = r % T;
    SequenceBatch<double> batch{B, T, pos.data(), lengths, &rope, 2};
    MoeLayer<double> moe(c, layout, 1);
    const ActivationArena arena = testing::laid_out(moe, B, T);
    std::vector<double> out(size_t(n) * C);
    moe.forward(out.data(), x.data(), params.data(), batch);

    const std::vector<double> ref =
        naive_moe(c, params, x.data(), n, moe.chosen_experts(), moe.gate_weights());
    for (size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], ref[i], 1e-12);

    // Padding rows are not routed; every routed row has K distinct experts whose gate
    // weights sum to routed_scaling_factor; the load is the count of routed pairs.
    std::vector<int64_t> count(c.n_routed_experts, 0);
    for (int r = 0; r < n; ++r) {
        const bool valid = r % T < lengths[r / T];
        double sum = 0;
        for (int k = 0; k < K; ++k) {
            const int e = moe.chosen_experts()[r * K + k];
            if (!valid) {
                EXPECT_EQ(e, -1);
                continue;
            }
            ASSERT_GE(e, 0);
            ++count[e];
            sum += moe.gate_weights()[r * K + k];
        }
        if (valid) {
            EXPECT_NEAR(sum, c.routed_scaling_factor, 1e-12);
            EXPECT_NE(moe.chosen_experts()[r * K], moe.chosen_experts()[r * K + 1]);
        }
    }
    EXPECT_EQ(moe.expert_load(), count);
    EXPECT_EQ(std::accumulate(count.begin(), count.end(), int64_t(0)), int64_t(8) * K);
}

TEST(RoutingStats, ReportLoadGateWeightsBiasAndMaxVioPerMoeLayer) {
    ModelConfig c = small_config();
    c.routed_scaling_factor = 2.0f;
    Model model(c);
    const std::vector<double> pd = random_params(model.layout(), 13);
    ParamStore params(c);
    std::copy(pd.begin(), pd.end(), params.data().begin());
    const int B = 2, T = 7;
    const int lengths[B] = {7, 4};
    std::vector<int> tokens(B * T);
    for (int i = 0; i < B * T; ++i) tokens[i] = (3 * i + 1) % c.vocab_size;
    model.forward(params, tokens.data(), B, T, lengths);
    const RoutingStats st = model.routing_stats(params);
    // MoE layer 1 and the MTP block (index num_hidden_layers = 2).
    ASSERT_EQ(st.layers, (std::vector<int>{1, 2}));
    const int E = c.n_routed_experts;
    for (int l = 0; l < st.num_layers(); ++l) {
        int64_t total = 0, most = 0;
        for (int e = 0; e < E; ++e) {
            total += st.load(l)[e];
            most = std::max(most, st.load(l)[e]);
            const float w = st.mean_gate_weight[l * E + e];
            if (st.load(l)[e] == 0) {
                EXPECT_EQ(w, 0.0f);
            } else {
                EXPECT_TRUE(w > 0.0f && w < 2.0f);
            }
            EXPECT_FLOAT_EQ(st.bias[l * E + e], params.ptr(layer_prefix(st.layers[l]) +
                                                           "mlp.gate.e_score_correction_bias")[e]);
        }
        EXPECT_EQ(total, int64_t(11) * c.num_experts_per_tok);  // valid tokens x K
        EXPECT_NEAR(st.max_vio[l], double(most) / (double(total) / E) - 1.0, 1e-6);
        // The layer's chosen experts and weights of the same forward.
        const std::vector<int> ex = model.chosen_experts(st.layers[l]);
        const std::vector<float> w = model.gate_weights(st.layers[l]);
        ASSERT_EQ(ex.size(), size_t(B * T * c.num_experts_per_tok));
        for (int r = 0; r < B * T; ++r) {
            if (r % T >= lengths[r / T]) continue;
            EXPECT_NEAR(w[2 * r] + w[2 * r + 1], 2.0f, 1e-5f);
        }
    }
    EXPECT_THROW(model.chosen_experts(0), Error);  // layer 0 is dense
}

// Routing collapse is undone by aux-loss-free balancing alone: with a bias that sends every
// token to experts 0 and 1, repeated updates b_i -= gamma sign(load_i - mean) (no gradient
// step) bring MaxVio down, and each update moves overloaded experts down.
TEST(AuxFreeBalancing, RepeatedUpdatesUndoRoutingCollapse) {
    ModelConfig c = small_config();
    c.n_routed_experts = 8;
    c.balance_mode = BalanceMode::aux_free;
    c.bias_update_speed = 0.01f;
    Model model(c);
    model.set_num_shards(1);
    ParamStore params(c);
    init_params(params, 3, 0.3f);
    for (int l : {1, 2}) {
        float* bias = params.ptr(layer_prefix(l) + "mlp.gate.e_score_correction_bias");
        bias[0] = bias[1] = 1.0f;
    }
    const int B = 4, T = 16;
    std::vector<int> tokens(B * T);
    std::mt19937 rng(1);
    for (int& t : tokens) t = static_cast<int>(rng() % c.vocab_size);
    model.forward(params, tokens.data(), B, T);
    const RoutingStats first = model.routing_stats(params);
    EXPECT_FLOAT_EQ(first.max_vio[0], 3.0f);  // all load on 2 of 8 experts: 4x the mean
    RoutingStats st = first;
    for (int step = 0; step < 300; ++step) {
        const std::vector<float> before(st.bias);
        apply_aux_free_update(params, st);
        const int E = c.n_routed_experts;
        for (int l = 0; l < st.num_layers(); ++l) {
            const float* b =
                params.ptr(layer_prefix(st.layers[l]) + "mlp.gate.e_score_correction_bias");
            const double mean = (double)std::accumulate(st.load(l), st.load(l) + E, int64_t(0)) / E;
            for (int e = 0; e < E; ++e) {
                if (st.load(l)[e] > mean) {
                    EXPECT_LT(b[e], before[l * E + e]);
                } else if (st.load(l)[e] < mean) {
                    EXPECT_GT(b[e], before[l * E + e]);
                }
            }
        }
        model.forward(params, tokens.data(), B, T);
        st = model.routing_stats(params);
    }
    for (int l = 0; l < st.num_layers(); ++l) EXPECT_LT(st.max_vio[l], 1.0f) << "layer " << l;
}

// A batch forwarded in two parts reports, merged, what it reports forwarded whole.
TEST(RoutingStats, TwoPartsMergeIntoTheWholeBatch) {
    ModelConfig c = small_config();
    c.balance_mode = BalanceMode::aux_free_seq;  // a balance loss, a mean over sequences
    Model model(c);
    const std::vector<double> pd = random_params(model.layout(), 17);
    ParamStore params(c);
    std::copy(pd.begin(), pd.end(), params.data().begin());
    const int B = 3, T = 6;
    const int lengths[B] = {6, 3, 5};
    std::vector<int> tokens(B * T);
    for (int i = 0; i < B * T; ++i) tokens[i] = (5 * i + 2) % c.vocab_size;
    model.forward(params, tokens.data(), B, T, lengths);
    const RoutingStats whole = model.routing_stats(params);
    model.forward(params, tokens.data(), 1, T, lengths);  // sequence 0
    const RoutingStats first = model.routing_stats(params);
    model.forward(params, tokens.data() + T, 2, T, lengths + 1);  // sequences 1 and 2
    const RoutingStats rest = model.routing_stats(params);
    const RoutingStats merged = merge_routing(first, 1, rest, 2);
    ASSERT_EQ(merged.layers, whole.layers);
    EXPECT_EQ(merged.tokens_per_expert, whole.tokens_per_expert);
    ASSERT_EQ(merged.mean_gate_weight.size(), whole.mean_gate_weight.size());
    for (std::size_t i = 0; i < whole.mean_gate_weight.size(); ++i)
        EXPECT_NEAR(merged.mean_gate_weight[i], whole.mean_gate_weight[i], 1e-5) << i;
    for (int l = 0; l < whole.num_layers(); ++l)
        EXPECT_FLOAT_EQ(merged.max_vio[l], whole.max_vio[l]);
    EXPECT_GT(whole.aux_loss, 0.0);
    EXPECT_NEAR(merged.aux_loss, whole.aux_loss, 1e-6 * whole.aux_loss);
    EXPECT_EQ(merge_routing(first, 1, RoutingStats{}, 0).tokens_per_expert,
              first.tokens_per_expert);  // an empty part changes nothing
}

TEST(AuxFreeBalancing, OtherModesLeaveTheBiasAlone) {
    for (BalanceMode mode : {BalanceMode::aux_loss, BalanceMode::none}) {
        ModelConfig c = small_config();
        c.balance_mode = mode;
        Model model(c);
        ParamStore params(c);
        init_params(params, 4);
        std::vector<int> tokens(10, 1);
        model.forward(params, tokens.data(), 1, 10);
        const auto before = params.data();
        apply_aux_free_update(params, model.routing_stats(params));
        EXPECT_EQ(params.data(), before) << to_string(mode);
    }
}

}  // namespace
}  // namespace tinyseek
