// SftTrainer: the cold-start pool, batches as a pure function of (seed, step), completion-only
// targets, learning, determinism and resumption, metrics, NaN and cancel handling.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "core/cross_entropy.h"
#include "core/errors.h"
#include "core/lr_schedule.h"
#include "tests/training/trainer_fixtures.h"
#include "training/routing_report.h"
#include "training/sft_trainer.h"
#include "training/task_arithmetic.h"
#include "training/trace_style.h"

namespace tinyseek {
namespace {

using testing::same_bits;
using testing::small_train_config;

std::vector<int> sequence(const SftBatch& b, int s) {
    const int* row = b.tokens.data() + static_cast<std::size_t>(s) * b.T;
    return std::vector<int>(row, row + b.lengths[s]);
}

class SftTrainerTest : public ::testing::Test {
  protected:
    TrainConfig config = small_train_config();
    std::unique_ptr<Task> task = make_task(config.task, config.task_options);
    Tokenizer tokenizer;
};

TEST_F(SftTrainerTest, ColdStartPoolLimitsTrainingToNUniqueTraces) {
    config.task_options.digits = 3;
    config.task_options.uniform_lengths = 0.0;  // operands uniform in value, not length
    config.sft.cold_start_pool = 6;
    task = make_task(config.task, config.task_options);
    const SftTrainer sft(config, *task);
    ASSERT_EQ(sft.pool().size(), 6u);
    const std::vector<Problem> expected =
        distinct_problems(*task, Split::train, 6, config.seed);  // the documented draw
    std::set<std::vector<int>> pool_seqs;
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(sft.pool()[i].key, expected[i].key);
        EXPECT_EQ(sft.pool()[i].split, Split::train);
        std::vector<int> s{Tokenizer::bos_id};
        for (const std::string& part : {sft.pool()[i].prompt, sft.pool()[i].trace})
            for (int id : tokenizer.encode(part)) s.push_back(id);
        s.push_back(Tokenizer::eos_id);
        pool_seqs.insert(s);
    }
    ASSERT_EQ(pool_seqs.size(), 6u);

    // 50 steps x 16 sequences = 800 draws: every one of them is a pool trace, and all six
    // appear.
    std::set<std::vector<int>> seen;
    for (std::int64_t step = 0; step < 50; ++step) {
        const SftBatch b = sft.make_batch(step, tokenizer);
        ASSERT_EQ(b.B, config.sft.batch_size);
        for (int s = 0; s < b.B; ++s) {
            const std::vector<int> seq = sequence(b, s);
            EXPECT_TRUE(pool_seqs.count(seq)) << "step " << step << " sequence " << s;
            seen.insert(seq);
        }
    }
    EXPECT_EQ(seen, pool_seqs);

    // Unlimited traces: almost every draw is new (10^6 ordered pairs of 3-digit operands).
    config.sft.cold_start_pool = 0;
    const SftTrainer unlimited(config, *task);
    EXPECT_TRUE(unlimited.pool().empty());
    std::set<std::vector<int>> fresh;
    for (std::int64_t step = 0; step < 50; ++step) {
        const SftBatch b = unlimited.make_batch(step, tokenizer);
        for (int s = 0; s < b.B; ++s) fresh.insert(sequence(b, s));
    }
    EXPECT_GT(fresh.size(), 780u);
}

TEST_F(SftTrainerTest, ColdStartTracesFollowTheStyleMixture) {
    config.task_options.digits = 3;
    config.task_options.styles = StyleMix{.worked = 1.0, .partial = 0.0, .direct = 1.0};
    task = make_task(config.task, config.task_options);
    for (int pool : {0, 64}) {
        config.sft.cold_start_pool = pool;
        const SftTrainer sft(config, *task);
        int direct = 0, worked = 0;
        for (std::int64_t step = 0; step < 20; ++step) {
            for (const Problem& p : sft.batch_problems(step)) {
                // The problem's own worked trace, rewritten in the style its key decides.
                const Problem plain =
                    dynamic_cast<const ArithmeticTask&>(*task).make(p.operands[0], p.operands[1]);
                const TraceStyle style = cold_start_style(plain, config.task_options.styles);
                EXPECT_EQ(p.trace, styled_trace(*task, plain, style, 1)) << p.prompt;
                (style == TraceStyle::direct ? direct : worked) += 1;
                if (style == TraceStyle::direct) {
                    EXPECT_EQ(p.trace, "<think></think><answer>" + p.answer + "</answer>");
                }
            }
        }
        // 320 draws of a 50/50 mixture (a pool of 64 adds its own sampling noise).
        EXPECT_GT(direct, 100) << "pool " << pool;
        EXPECT_GT(worked, 100) << "pool " << pool;
    }
}

TEST_F(SftTrainerTest, PoolLargerThanTrainSplitIsAnError) {
    config.sft.cold_start_pool = 1000;  // 1-digit addition has 55 unordered problems
    EXPECT_THROW(SftTrainer(config, *task), Error);
    config.sft.cold_start_pool = 0;
    config.sft.batch_size = 0;
    EXPECT_THROW(SftTrainer(config, *task), ConfigError);
}

TEST_F(SftTrainerTest, BatchIsAPureFunctionOfSeedAndStep) {
    config.task_options.digits = 3;
    task = make_task(config.task, config.task_options);
    const SftTrainer a(config, *task), b(config, *task);
    const SftBatch b7 = a.make_batch(7, tokenizer);
    EXPECT_EQ(b7.tokens, b.make_batch(7, tokenizer).tokens);
    EXPECT_EQ(b7.tokens, a.make_batch(7, tokenizer).tokens);  // no hidden state
    EXPECT_NE(b7.tokens, a.make_batch(8, tokenizer).tokens);
    config.seed = 2;
    const SftTrainer other(config, *task);
    EXPECT_NE(b7.tokens, other.make_batch(7, tokenizer).tokens);
}

TEST_F(SftTrainerTest, BatchIsPaddedToItsLongestSequenceWithCompletionOnlyTargets) {
    config.task_options.digits = 3;
    task = make_task(config.task, config.task_options);
    const SftTrainer sft(config, *task);
    const SftBatch b = sft.make_batch(3, tokenizer);
    const std::vector<Problem> problems = sft.batch_problems(3);
    int longest = 0;
    std::int64_t completion = 0;
    for (int s = 0; s < b.B; ++s) {
        longest = std::max(longest, b.lengths[s]);
        const int P = b.prompt_lengths[s];
        EXPECT_EQ(P, 1 + static_cast<int>(problems[s].prompt.size()));  // <bos> + characters
        const int* tok = b.tokens.data() + static_cast<std::size_t>(s) * b.T;
        const int* tgt = b.targets.data() + static_cast<std::size_t>(s) * b.T;
        const int* mtp = b.mtp_targets.data() + static_cast<std::size_t>(s) * b.T;
        EXPECT_EQ(tok[0], Tokenizer::bos_id);
        EXPECT_EQ(tok[P], Tokenizer::think_open_id);  // the completion starts at <think>
        EXPECT_EQ(tok[b.lengths[s] - 1], Tokenizer::eos_id);
        for (int t = 0; t < b.T; ++t) {
            if (t >= b.lengths[s]) {
                EXPECT_EQ(tok[t], Tokenizer::pad_id);
            }
            // Row t predicts t+1 (main) and t+2 (MTP); targets only where that is a
            // completion token (position >= P) inside the sequence.
            const bool main_counted = t + 1 >= P && t + 1 < b.lengths[s];
            const bool mtp_counted = t + 2 >= P && t + 2 < b.lengths[s];
            EXPECT_EQ(tgt[t], main_counted ? tok[t + 1] : kIgnoreIndex) << "s " << s << " t " << t;
            EXPECT_EQ(mtp[t], mtp_counted ? tok[t + 2] : kIgnoreIndex) << "s " << s << " t " << t;
        }
        completion += b.lengths[s] - P;
    }
    EXPECT_EQ(b.T, longest);  // not a fixed width
    EXPECT_LT(b.T, 64);
    EXPECT_EQ(b.completion_tokens, completion);
}

TEST_F(SftTrainerTest, LossDecreasesOverThirtySteps) {
    config.sft.lr = 1e-2f;
    config.sft.min_lr = 1e-3f;
    config.sft.steps = 30;
    TrainingState state(config.model, config.seed);
    SftTrainer sft(config, *task);
    std::vector<double> loss;
    for (int i = 0; i < 30; ++i) {
        StepReport report;
        sft.step(state, report, nullptr);
        loss.push_back(report.scalars.at(metric::kLoss));
        EXPECT_FLOAT_EQ(report.scalars.at(metric::kLearningRate),
                        (LrSchedule{1e-2f, 1e-3f, config.sft.warmup_steps, 30}.at(i)));
    }
    EXPECT_EQ(state.step, 30);
    EXPECT_EQ(state.optimizer.step_count(), 30);
    // Starts near ln(64) (uniform over the vocabulary) and must fall well below it.
    EXPECT_NEAR(loss.front(), std::log(64.0), 0.3);
    const double last = (loss[27] + loss[28] + loss[29]) / 3;
    EXPECT_LT(last, 0.5 * loss.front()) << "first " << loss.front() << " last " << last;
}

TEST_F(SftTrainerTest, SameSeedGivesIdenticalMetricsAndParameters) {
    auto run = [&](std::vector<StepReport>& reports) {
        auto state = std::make_unique<TrainingState>(config.model, config.seed);
        SftTrainer sft(config, *task);
        for (int i = 0; i < 4; ++i) {
            reports.emplace_back();
            sft.step(*state, reports.back(), nullptr);
        }
        return state;
    };
    std::vector<StepReport> ra, rb;
    const auto a = run(ra);
    const auto b = run(rb);
    EXPECT_TRUE(same_bits(a->params.data(), b->params.data()));
    for (std::size_t i = 0; i < ra.size(); ++i) {
        ASSERT_EQ(ra[i].scalars.size(), rb[i].scalars.size());
        for (const auto& [key, value] : ra[i].scalars) {
            if (!metric::is_timing(key)) {
                EXPECT_EQ(value, rb[i].scalars.at(key)) << key << " step " << i;
            }
        }
        EXPECT_EQ(ra[i].expert_load, rb[i].expert_load);
        EXPECT_EQ(ra[i].router_bias, rb[i].router_bias);
    }
}

// The batch-size ramp by hand: 16 -> 32 sequences over the first 550 of 1,100 steps, growing
// one sequence every 34.375 steps (rounded down), then 32 to the end.
TEST(SftBatchSize, RampsLinearlyFromTheStartSizeThenStaysAtTheBatchSize) {
    SftConfig c;
    c.steps = 1100;
    c.batch_size = 32;
    EXPECT_EQ(sft_batch_size(c, 0), 32);  // no ramp by default
    c.batch_start_share = 0.5f;
    c.batch_ramp_share = 0.5f;
    EXPECT_EQ(sft_batch_size(c, 0), 16);
    EXPECT_EQ(sft_batch_size(c, 34), 16);
    EXPECT_EQ(sft_batch_size(c, 35), 17);
    EXPECT_EQ(sft_batch_size(c, 275), 24);
    EXPECT_EQ(sft_batch_size(c, 549), 31);
    EXPECT_EQ(sft_batch_size(c, 550), 32);
    EXPECT_EQ(sft_batch_size(c, 1099), 32);
    c.batch_start_share = 0.01f;  // never under one sequence
    EXPECT_EQ(sft_batch_size(c, 0), 1);
    c.batch_ramp_share = 0.0f;  // a start size without a ramp's length: no ramp
    EXPECT_EQ(sft_batch_size(c, 0), 32);
}

// Under a ramp, the batch of a global step follows the stage's own step count, so a stage that
// starts at step 100 begins with the ramp's first size, and a resumed trainer told the
// stage's start draws the same batches.
TEST_F(SftTrainerTest, RampedBatchesCountFromTheStageStart) {
    config.sft.steps = 40;
    config.sft.batch_size = 6;
    config.sft.batch_start_share = 1.0f / 3.0f;
    config.sft.batch_ramp_share = 0.5f;
    const SftTrainer from_zero(config, *task, 0), from_100(config, *task, 100);
    EXPECT_EQ(from_zero.make_batch(0, tokenizer).B, 2);
    EXPECT_EQ(from_zero.make_batch(10, tokenizer).B, 4);
    EXPECT_EQ(from_zero.make_batch(20, tokenizer).B, 6);
    EXPECT_EQ(from_100.make_batch(100, tokenizer).B, 2);
    EXPECT_EQ(from_100.make_batch(115, tokenizer).B, 5);
    // The smaller batch is the first sequences of the full one: the same draws, fewer of them.
    config.sft.batch_start_share = 1.0f;
    const SftTrainer full(config, *task, 0);
    const std::vector<Problem> small = from_zero.batch_problems(0), all = full.batch_problems(0);
    ASSERT_EQ(all.size(), 6u);
    for (std::size_t i = 0; i < small.size(); ++i) EXPECT_EQ(small[i].key, all[i].key);
    config.sft.batch_start_share = 0.0f;
    EXPECT_THROW(SftTrainer(config, *task), ConfigError);
    config.sft.batch_start_share = 0.5f;
    config.sft.batch_ramp_share = 1.5f;
    EXPECT_THROW(SftTrainer(config, *task), ConfigError);
}

TEST_F(SftTrainerTest, ResumedRunRepeatsTheUninterruptedOne) {
    config.sft.steps = 8;
    config.sft.warmup_steps = 3;
    TrainingState straight(config.model, config.seed);
    SftTrainer a(config, *task);
    for (int i = 0; i < 6; ++i) {
        StepReport r;
        a.step(straight, r, nullptr);
    }
    // 3 steps, then everything a checkpoint holds moves to a new state and a new trainer.
    TrainingState first(config.model, config.seed);
    {
        SftTrainer b(config, *task);
        for (int i = 0; i < 3; ++i) {
            StepReport r;
            b.step(first, r, nullptr);
        }
    }
    TrainingState resumed(config.model, 999);
    resumed.params.data() = first.params.data();
    resumed.optimizer.m().data() = first.optimizer.m().data();
    resumed.optimizer.v().data() = first.optimizer.v().data();
    resumed.optimizer.set_step_count(first.optimizer.step_count());
    resumed.step = first.step;
    SftTrainer c(config, *task, /*stage_start=*/0);
    EXPECT_FLOAT_EQ(c.learning_rate(3), a.learning_rate(3));
    for (int i = 0; i < 3; ++i) {
        StepReport r;
        c.step(resumed, r, nullptr);
    }
    EXPECT_EQ(resumed.step, 6);
    EXPECT_TRUE(same_bits(resumed.params.data(), straight.params.data()));
}

TEST_F(SftTrainerTest, ReportsLossesRoutingAndExpertMatrices) {
    TrainingState state(config.model, config.seed);
    SftTrainer sft(config, *task);
    StepReport report;
    sft.step(state, report, nullptr);
    EXPECT_EQ(report.stage, Stage::sft);
    for (const char* key : {metric::kLoss, metric::kMtpLoss, metric::kAuxLoss, metric::kGradNorm,
                            metric::kLearningRate, metric::kTokensPerSecond, metric::kStepSeconds,
                            metric::kMaxVio, metric::kMfu})
        EXPECT_TRUE(report.scalars.count(key)) << key;
    EXPECT_GT(report.scalars.at(metric::kMfu), 0.0);
    EXPECT_GT(report.scalars.at(metric::kMtpLoss), 3.0);  // untrained: near ln 64
    // Default aux_free_seq: the balance loss is on with alpha = 1e-4; per MoE layer
    // sum_i f_i P_i lies in (0, E/K = 2] (f_i <= E/K, sum_i P_i = 1), here over 2 layers.
    EXPECT_GT(report.scalars.at(metric::kAuxLoss), 0.0);
    EXPECT_LE(report.scalars.at(metric::kAuxLoss), 1e-4 * 2 * 2);
    EXPECT_GT(report.scalars.at(metric::kTokensPerSecond), 0.0);

    // MoE layer 1 and the MTP block (index 2) of the 2-layer model.
    ASSERT_EQ(report.expert_load.layers, (std::vector<int>{1, 2}));
    const int E = config.model.n_routed_experts;
    ASSERT_EQ(report.expert_load.experts, E);
    double vio_mean = 0;
    for (int r = 0; r < 2; ++r) {
        double sum = 0, max_load = 0;
        for (int e = 0; e < E; ++e) {
            sum += report.expert_load.at(r, e);
            max_load = std::max<double>(max_load, report.expert_load.at(r, e));
        }
        EXPECT_NEAR(sum, 1.0, 1e-6);
        const double vio = report.scalars.at(max_vio_layer_key(report.expert_load.layers[r]));
        EXPECT_NEAR(vio, max_load * E - 1.0, 1e-5);  // MaxVio = max load / mean load - 1
        vio_mean += vio / 2;
        for (int e = 0; e < E; ++e) {
            const float g = report.gate_weight.at(r, e);
            EXPECT_TRUE(report.expert_load.at(r, e) == 0.0f ? g == 0.0f : g > 0.0f && g <= 1.0f);
        }
    }
    EXPECT_NEAR(report.scalars.at(metric::kMaxVio), vio_mean, 1e-6);

    // The report holds the bias the forward used; the aux-free update then moved each entry
    // by -gamma * sign(load_i - mean load).
    const float gamma = config.model.bias_update_speed;
    for (int r = 0; r < 2; ++r) {
        const int layer = report.router_bias.layers[r];
        const float* bias = state.params.ptr("model.layers." + std::to_string(layer) +
                                             ".mlp.gate.e_score_correction_bias");
        for (int e = 0; e < E; ++e) {
            const double over = report.expert_load.at(r, e) * E - 1.0;
            const float sign = over > 1e-6 ? 1.0f : over < -1e-6 ? -1.0f : 0.0f;
            EXPECT_FLOAT_EQ(bias[e], report.router_bias.at(r, e) - gamma * sign)
                << "layer " << layer << " expert " << e;
        }
    }
}

TEST_F(SftTrainerTest, NanStopsTheStepBeforeParametersChange) {
    TrainingState state(config.model, config.seed);
    SftTrainer sft(config, *task);
    StepReport ok;
    sft.step(state, ok, nullptr);
    state.params.ptr("lm_head.weight")[5] = std::nanf("");
    const AlignedVector<float> before = state.params.data();
    const AlignedVector<float> m_before = state.optimizer.m().data();
    StepReport report;
    EXPECT_THROW(sft.step(state, report, nullptr), NumericError);
    EXPECT_TRUE(same_bits(state.params.data(), before));
    EXPECT_TRUE(same_bits(state.optimizer.m().data(), m_before));
    EXPECT_EQ(state.step, 1);
    EXPECT_EQ(state.optimizer.step_count(), 1);
}

TEST_F(SftTrainerTest, CancelledStepLeavesTheStateAlone) {
    TrainingState state(config.model, config.seed);
    SftTrainer sft(config, *task);
    const AlignedVector<float> before = state.params.data();
    const std::atomic<bool> cancel{true};
    StepReport report;
    EXPECT_THROW(sft.step(state, report, &cancel), Cancelled);
    EXPECT_TRUE(same_bits(state.params.data(), before));
    EXPECT_EQ(state.step, 0);
}

}  // namespace
}  // namespace tinyseek
