// The sequence-wise balance loss VALUE against DeepSeek-V3's equations (§2.3, eq. 17-20),
// computed by hand for two sequences of four experts, with a router bias that makes the
// biased choice differ from the top-K of the unbiased affinities:
//   f_i = E / (K T) * sum_t 1[s_{i,t} in TopK({s_{j,t}}, K)]      (unbiased affinities)
//   P_i = 1/T sum_t s'_{i,t},  s'_{i,t} = s_{i,t} / sum_j s_{j,t}
//   L   = alpha * sum_i f_i P_i,  averaged over the batch's sequences
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/moe_layer.h"
#include "tests/core/layer_arena.h"

namespace tinyseek {
namespace {

// One MoE layer of 4 experts (K = 2) on 2-dimensional tokens, no shared expert.
ModelConfig four_expert_config(BalanceMode mode) {
    ModelConfig c;
    c.hidden_size = 2;
    c.num_hidden_layers = 1;
    c.first_k_dense_replace = 0;
    c.num_nextn_predict_layers = 0;
    c.n_routed_experts = 4;
    c.n_shared_experts = 0;
    c.num_experts_per_tok = 2;
    c.moe_intermediate_size = 3;
    c.balance_mode = mode;
    c.aux_loss_alpha = 0.01f;
    c.seq_balance_alpha = 1e-4f;
    return c;
}

struct BalanceRun {
    double loss = 0;
    std::vector<int> chosen;  // (rows, K)
};

// Token x = [1, 0] has the sigmoid affinities a = (0.8, 0.6, 0.5, 0.2), x = [0, 1] has
// b = (0.6, 0.5, 0.8, 0.2): the gate weight's columns are their logits ln(s / (1 - s)).
// The bias (0, 0, 0, 0.5) routes expert 3 instead of the unbiased second choice.
// Batch: sequence 0 = [a, b, padding], sequence 1 = [a, padding, padding].
BalanceRun run_balance(BalanceMode mode) {
    const ModelConfig c = four_expert_config(mode);
    const ParamLayout layout(c);
    std::vector<double> params(layout.total_floats(), 0.0);
    const double a[4] = {0.8, 0.6, 0.5, 0.2}, b[4] = {0.6, 0.5, 0.8, 0.2};
    double* gate = params.data() + layout.at(layer_prefix(0) + "mlp.gate.weight").offset;
    for (int i = 0; i < 4; ++i) {
        gate[i * 2 + 0] = std::log(a[i] / (1 - a[i]));
        gate[i * 2 + 1] = std::log(b[i] / (1 - b[i]));
    }
    params[layout.at(layer_prefix(0) + "mlp.gate.e_score_correction_bias").offset + 3] = 0.5;
    const int B = 2, T = 3;
    const std::vector<double> x = {1, 0, 0, 1, 1, 1,   // sequence 0
                                   1, 0, 3, 1, 1, 2};  // sequence 1
    const int lengths[B] = {2, 1};
    const std::vector<int> positions = {0, 1, 2, 0, 1, 2};
    SequenceBatch<double> batch{B, T, positions.data(), lengths, nullptr, 2};
    MoeLayer<double> moe(c, layout, 0);
    const ActivationArena arena = testing::laid_out(moe, B, T);
    std::vector<double> out(size_t(B) * T * 2);
    moe.forward(out.data(), x.data(), params.data(), batch);
    BalanceRun run;
    run.loss = moe.aux_loss();
    run.chosen.assign(moe.chosen_experts(), moe.chosen_experts() + B * T * 2);
    return run;
}

TEST(BalanceLoss, ValueMatchesTheEquationsWithUnbiasedTopK) {
    // By hand. Sequence 0 (T = 2): unbiased top-2 of a is {0, 1}, of b {2, 0}, so
    //   f = 4/(2*2) * (2, 1, 1, 0) = (2, 1, 1, 0); both rows sum to 2.1, so
    //   P = ((0.8+0.6), (0.6+0.5), (0.5+0.8), (0.2+0.2)) / (2 * 2.1) = (1.4, 1.1, 1.3, 0.4) / 4.2
    //   sum f P = (2.8 + 1.1 + 1.3) / 4.2 = 26/21.
    // Sequence 1 (T = 1): top-2 of a is {0, 1}: f = 4/2 * (1, 1, 0, 0) = (2, 2, 0, 0),
    //   P = a / 2.1, sum f P = (1.6 + 1.2) / 2.1 = 4/3 = 28/21.
    // Mean over the 2 sequences: (26 + 28) / 42 = 9/7.
    // (alpha is a float in the config: 1e-4f and 0.01f, widened exactly.)
    const double per_alpha = 9.0 / 7.0;
    EXPECT_NEAR(run_balance(BalanceMode::aux_free_seq).loss, double(1e-4f) * per_alpha, 1e-17);
    EXPECT_NEAR(run_balance(BalanceMode::aux_loss).loss, double(0.01f) * per_alpha, 1e-15);
    EXPECT_EQ(run_balance(BalanceMode::aux_free).loss, 0.0);
    EXPECT_EQ(run_balance(BalanceMode::none).loss, 0.0);
    // Counting the experts the biased choice routed to instead ({0, 3} and {2, 3} in
    // sequence 0, {0, 3} in sequence 1) would give (3.5/4.2 + 2/2.1) / 2 = 25/28.
    EXPECT_GT(std::abs(per_alpha - 25.0 / 28.0), 0.3);
}

TEST(BalanceLoss, TheBiasStillSteersTheRouting) {
    // The loss counts the unbiased top-K, but the tokens go where s + bias points.
    const BalanceRun run = run_balance(BalanceMode::aux_free_seq);
    const std::vector<int> expected = {0, 3, 2,  3,  -1, -1,   // sequence 0: a, b, padding
                                       0, 3, -1, -1, -1, -1};  // sequence 1: a, padding
    EXPECT_EQ(run.chosen, expected);
}

}  // namespace
}  // namespace tinyseek
