// GrpoTrainer end to end (generation, rewards, advantages, reference KL, updates) and the
// TaskEnvironment it learns from.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/kv_cache.h"
#include "core/model.h"
#include "core/tokenizer.h"
#include "tests/training/trainer_fixtures.h"
#include "training/grpo_trainer.h"
#include "training/task_environment.h"

namespace tinyseek {
namespace {

using testing::same_bits;
using testing::small_train_config;

// An easy task for a randomly initialised model: the reward is the fraction of digit
// characters in the completion (about 10 of the 64 tokens are digits, so a random policy
// scores ~0.1 with a lot of spread inside every group). Prompts come from 1-digit addition.
class DigitEnvironment : public RewardEnvironment {
  public:
    Item sample_train(Rng& rng) const override { return prompts_.sample_train(rng); }
    RewardBreakdown score(const Item&, std::string_view completion) const override {
        RewardBreakdown r;
        int digits = 0;
        for (char c : completion) digits += std::isdigit(static_cast<unsigned char>(c)) != 0;
        r.accuracy = completion.empty() ? 0.0 : static_cast<double>(digits) / completion.size();
        r.total = r.accuracy;
        return r;
    }

  private:
    TaskEnvironment prompts_{"addition", TaskOptions{.digits = 1}};
};

// Every completion gets the same reward: all advantages are 0.
class ConstantEnvironment : public DigitEnvironment {
  public:
    RewardBreakdown score(const Item&, std::string_view) const override {
        return RewardBreakdown{0.5, 0.0, 0.5, false};
    }
};

// The completions of a prompt that starts with an odd digit all score alike (their group's
// advantages are 0); the others score by their digits.
class HalfConstantEnvironment : public DigitEnvironment {
  public:
    RewardBreakdown score(const Item& item, std::string_view completion) const override {
        if (!item.prompt.empty() && (item.prompt[0] - '0') % 2 == 1)
            return RewardBreakdown{0.5, 0.0, 0.5, false};
        return DigitEnvironment::score(item, completion);
    }
};

// Raises the cancel flag when the prompts are drawn, i.e. just before generation starts.
class CancellingEnvironment : public DigitEnvironment {
  public:
    explicit CancellingEnvironment(std::atomic<bool>* flag) : flag_(flag) {}
    Item sample_train(Rng& rng) const override {
        flag_->store(true);
        return DigitEnvironment::sample_train(rng);
    }

  private:
    std::atomic<bool>* flag_;
};

class GrpoTrainerTest : public ::testing::Test {
  protected:
    TrainConfig config = small_train_config();
    std::shared_ptr<const Task> task = make_task(config.task, config.task_options);
    std::shared_ptr<const RewardEnvironment> env =
        std::make_shared<TaskEnvironment>(task, config.reward);

    // A copy of the SFT'd model (it writes the format, so rewards vary).
    std::unique_ptr<TrainingState> warm_state() const {
        auto s = std::make_unique<TrainingState>(config.model, config.seed);
        s->params.data() = testing::sft_warm_start().params.data();
        return s;
    }
    std::vector<StepReport> run(TrainingState& state, GrpoTrainer& trainer, int steps) const {
        std::vector<StepReport> reports(steps);
        for (int i = 0; i < steps; ++i) trainer.step(state, reports[i], nullptr);
        return reports;
    }
};

TEST_F(GrpoTrainerTest, RaisesRewardOnAnEasyTask) {
    config.grpo.lr = 1e-2f;
    config.grpo.prompts_per_step = 4;
    config.grpo.group_size = 8;
    config.grpo.max_new_tokens = 16;
    TrainingState state(config.model, config.seed);
    GrpoTrainer grpo(config, std::make_shared<DigitEnvironment>(), state.params);
    const std::vector<StepReport> r = run(state, grpo, 10);
    auto mean = [&](int from, int to, const char* key) {
        double s = 0;
        for (int i = from; i < to; ++i) s += r[i].scalars.at(key);
        return s / (to - from);
    };
    const double before = mean(0, 3, metric::kReward), after = mean(7, 10, metric::kReward);
    EXPECT_LT(before, 0.2);
    EXPECT_GT(after, before + 0.2) << "reward " << before << " -> " << after;
    // The policy moved away from the reference and became more certain.
    EXPECT_EQ(r[0].scalars.at(metric::kKl), 0.0);
    EXPECT_GT(r[9].scalars.at(metric::kKl), 0.01);
    EXPECT_LT(mean(7, 10, metric::kEntropy), mean(0, 3, metric::kEntropy));
    EXPECT_EQ(r[9].scalars.at(metric::kFracRewardZeroStd), 0.0);
}

TEST_F(GrpoTrainerTest, ReportsTrlMetricsRolloutsAndRouting) {
    const auto state = warm_state();
    GrpoTrainer grpo(config, env, state->params);
    const std::vector<StepReport> r = run(*state, grpo, 2);
    const auto& m = r[0].scalars;
    for (const char* key :
         {metric::kReward, metric::kRewardStd, metric::kRewardAccuracy, metric::kRewardFormat,
          metric::kKl, metric::kKlExceeded, metric::kMeanLength, metric::kMalformedFraction,
          metric::kEntropy, metric::kClipRatio, metric::kFracRewardZeroStd, metric::kGradNorm,
          metric::kLearningRate, metric::kLoss, metric::kTokensPerSecond, metric::kStepSeconds,
          metric::kMaxVio, metric::kMfu})
        EXPECT_TRUE(m.count(key)) << key;
    EXPECT_GT(m.at(metric::kMfu), 0.0);
    EXPECT_EQ(r[0].stage, Stage::grpo);
    // reward = 1.0 * accuracy + 0.1 * format, batch means.
    EXPECT_NEAR(m.at(metric::kReward),
                m.at(metric::kRewardAccuracy) + 0.1 * m.at(metric::kRewardFormat), 1e-12);
    EXPECT_GT(m.at(metric::kRewardFormat), 0.0);  // the warm start writes the tags
    EXPECT_GE(m.at(metric::kFracRewardZeroStd), 0.0);
    EXPECT_LE(m.at(metric::kFracRewardZeroStd), 1.0);
    EXPECT_GT(m.at(metric::kMeanLength), 1.0);
    EXPECT_LE(m.at(metric::kMeanLength), config.grpo.max_new_tokens);
    // On-policy (mu = 1): ratio is exactly 1, never clipped; the first step's policy IS the
    // reference, so the k3 KL is exactly 0; after one update it is not.
    EXPECT_EQ(m.at(metric::kClipRatio), 0.0);
    EXPECT_EQ(m.at(metric::kKl), 0.0);
    EXPECT_EQ(m.at(metric::kKlExceeded), 0.0);
    EXPECT_GT(r[1].scalars.at(metric::kKl), 0.0);
    EXPECT_FLOAT_EQ(m.at(metric::kLearningRate), config.grpo.lr);  // no warm-up configured

    // By default every completion of every group is kept.
    const int P = config.grpo.prompts_per_step, G = config.grpo.group_size;
    ASSERT_EQ(r[0].rollouts.size(), static_cast<std::size_t>(P * G));
    for (const RolloutSample& s : r[0].rollouts) {
        EXPECT_FALSE(s.prompt.empty());
        EXPECT_EQ(s.prompt.back(), '=');
        EXPECT_GT(s.length, 0);
        EXPECT_LE(s.length, config.grpo.max_new_tokens);
        EXPECT_NEAR(s.reward.total, s.reward.accuracy + 0.1 * s.reward.format, 1e-12);
    }
    EXPECT_EQ(r[0].expert_load.layers, (std::vector<int>{1}));  // no MTP in GRPO forwards

    // The step's parts fit in it; the padding share follows from the rollouts' lengths
    // (<bos> + prompt + completion per row, every row as long as the longest).
    EXPECT_LE(m.at("generation_seconds") + m.at("reference_seconds") + m.at("update_seconds"),
              m.at(metric::kStepSeconds));
    EXPECT_GT(m.at("reference_seconds"), 0.0);  // beta > 0: the reference pass runs
    EXPECT_GT(m.at("update_seconds"), 0.0);
    std::int64_t tokens = 0, longest = 0;
    for (const RolloutSample& s : r[0].rollouts) {
        const std::int64_t row =
            1 + static_cast<std::int64_t>(Tokenizer().encode(s.prompt).size()) + s.length;
        tokens += row;
        longest = std::max(longest, row);
    }
    EXPECT_NEAR(m.at("padding_fraction"),
                1.0 - double(tokens) / (double(longest) * double(r[0].rollouts.size())), 1e-12);
    const std::size_t per_token = KvCache::bytes_per_token(config.model, CacheMode::latent);
    EXPECT_GT(r[0].kv_cache_bytes, 0);
    EXPECT_EQ(r[0].kv_cache_bytes % static_cast<std::int64_t>(per_token), 0);
}

// Each stored completion carries its group, its place in it and the old policy's per-token
// log-probs and entropies, checked against a naive softmax of a separate forward on the
// parameters the step started from.
TEST_F(GrpoTrainerTest, StoredGroupsCarryTheOldPolicysTokenValues) {
    config.grpo.temperature = 0.7f;
    const auto state = warm_state();
    const ParamStore before = state->params;
    GrpoTrainer grpo(config, env, state->params);
    const std::vector<StepReport> r = run(*state, grpo, 1);
    const int P = config.grpo.prompts_per_step, G = config.grpo.group_size;
    ASSERT_EQ(r[0].rollouts.size(), static_cast<std::size_t>(P * G));

    Model model(config.model);
    const int V = config.model.vocab_size;
    const double inv_t = 1.0 / config.grpo.temperature;
    for (int p = 0; p < P; ++p) {
        double advantage_sum = 0;
        for (int g = 0; g < G; ++g) {
            const RolloutSample& x = r[0].rollouts[p * G + g];
            SCOPED_TRACE("group " + std::to_string(p) + " member " + std::to_string(g));
            EXPECT_EQ(x.group, p);
            EXPECT_EQ(x.member, g);
            EXPECT_EQ(x.prompt, r[0].rollouts[p * G].prompt);
            advantage_sum += x.advantage;
            ASSERT_EQ(x.tokens.ids.size(), static_cast<std::size_t>(x.length));
            ASSERT_EQ(x.tokens.values_size(), x.tokens.ids.size());
            std::vector<int> text = x.tokens.ids;
            if (text.back() == Tokenizer::eos_id) text.pop_back();
            EXPECT_EQ(state->tokenizer.decode(text), x.completion);

            std::vector<int> seq{Tokenizer::bos_id};
            for (int id : state->tokenizer.encode(x.prompt)) seq.push_back(id);
            const int pl = static_cast<int>(seq.size());
            seq.insert(seq.end(), x.tokens.ids.begin(), x.tokens.ids.end());
            const auto out = model.forward(before, seq.data(), 1, static_cast<int>(seq.size()),
                                           nullptr, /*with_mtp=*/false);
            double lp_sum = 0;
            for (std::size_t t = 0; t < x.tokens.ids.size(); ++t) {
                const float* z = out.logits + (pl + t - 1) * V;
                double zmax = -1e30, sum = 0, ez = 0;
                for (int v = 0; v < V; ++v) zmax = std::max(zmax, z[v] * inv_t);
                for (int v = 0; v < V; ++v) sum += std::exp(z[v] * inv_t - zmax);
                const double log_sum = std::log(sum) + zmax;
                for (int v = 0; v < V; ++v) {
                    const double lp = z[v] * inv_t - log_sum;
                    ez -= std::exp(lp) * lp;
                }
                EXPECT_NEAR(x.tokens.logprob[t], z[x.tokens.ids[t]] * inv_t - log_sum, 2e-4) << t;
                EXPECT_NEAR(x.tokens.entropy[t], ez, 2e-4) << t;
                lp_sum += x.tokens.logprob[t];
            }
            EXPECT_NEAR(x.mean_logprob, lp_sum / x.length, 1e-9);
        }
        EXPECT_NEAR(advantage_sum, 0.0, 1e-9) << "group advantages are centred";
    }
}

// The retention setting: only every Nth step of the stage keeps its groups; the others keep
// one completion of each of their first groups, and token values can be left out.
TEST_F(GrpoTrainerTest, StepsBetweenKeptGroupsStoreSamplesOnly) {
    config.rollouts.groups_every = 2;
    config.rollouts.token_values = false;
    config.grpo.prompts_per_step = 6;
    const auto state = warm_state();
    GrpoTrainer grpo(config, env, state->params);
    const std::vector<StepReport> r = run(*state, grpo, 3);
    const int P = config.grpo.prompts_per_step, G = config.grpo.group_size;
    EXPECT_EQ(r[0].rollouts.size(), static_cast<std::size_t>(P * G));
    ASSERT_EQ(r[1].rollouts.size(), static_cast<std::size_t>(GrpoTrainer::kReportedRollouts));
    EXPECT_EQ(r[2].rollouts.size(), static_cast<std::size_t>(P * G));
    for (int p = 0; p < GrpoTrainer::kReportedRollouts; ++p) {
        EXPECT_EQ(r[1].rollouts[p].group, p);
        EXPECT_EQ(r[1].rollouts[p].member, p % G);
    }
    for (const RolloutSample& x : r[0].rollouts) {
        EXPECT_TRUE(x.tokens.empty());
        EXPECT_LT(x.mean_logprob, 0.0);  // the means are kept
        EXPECT_GT(x.mean_entropy, 0.0);
    }
}

TEST_F(GrpoTrainerTest, SameSeedGivesIdenticalRuns) {
    auto go = [&](std::vector<StepReport>& reports) {
        auto state = warm_state();
        GrpoTrainer grpo(config, env, state->params);
        reports = run(*state, grpo, 3);
        return state;
    };
    std::vector<StepReport> ra, rb;
    const auto a = go(ra);
    const auto b = go(rb);
    EXPECT_TRUE(same_bits(a->params.data(), b->params.data()));
    for (std::size_t i = 0; i < ra.size(); ++i) {
        for (const auto& [key, value] : ra[i].scalars) {
            if (!metric::is_timing(key)) {
                EXPECT_EQ(value, rb[i].scalars.at(key)) << key << " step " << i;
            }
        }
        EXPECT_EQ(ra[i].rollouts, rb[i].rollouts);
        EXPECT_EQ(ra[i].expert_load, rb[i].expert_load);
    }
    // Another seed draws other prompts and samples.
    config.seed = 2;
    std::vector<StepReport> rc;
    go(rc);
    EXPECT_NE(rc[0].rollouts, ra[0].rollouts);
}

TEST_F(GrpoTrainerTest, SpeculativeRolloutsReportTheirDraftsAndRepeatWithTheSeed) {
    auto go = [&](bool speculative) {
        config.grpo.speculative_rollouts = speculative;
        auto state = warm_state();
        GrpoTrainer grpo(config, env, state->params);
        return run(*state, grpo, 2);
    };
    const std::vector<StepReport> plain = go(false);
    EXPECT_FALSE(plain[0].scalars.count(metric::kDraftAcceptance));
    EXPECT_FALSE(plain[0].scalars.count(metric::kTokensPerForward));
    const std::vector<StepReport> a = go(true), b = go(true);
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& m = a[i].scalars;
        ASSERT_TRUE(m.count(metric::kDraftAcceptance) && m.count(metric::kTokensPerForward));
        // Drafts are kept with probability sum_x min(p, q) > 0; a forward yields 1 or 2 tokens.
        EXPECT_GT(m.at(metric::kDraftAcceptance), 0.0);
        EXPECT_LE(m.at(metric::kDraftAcceptance), 1.0);
        EXPECT_GT(m.at(metric::kTokensPerForward), 1.0);
        EXPECT_LE(m.at(metric::kTokensPerForward), 2.0);
        for (const auto& [key, value] : m) {
            if (!metric::is_timing(key)) {
                EXPECT_EQ(value, b[i].scalars.at(key)) << key;
            }
        }
        EXPECT_EQ(a[i].rollouts, b[i].rollouts);
    }
    // Other draws than plain sampling, from the same distribution.
    EXPECT_NE(a[0].rollouts, plain[0].rollouts);
}

TEST_F(GrpoTrainerTest, ResumedRunRepeatsTheUninterruptedOne) {
    config.grpo.warmup_steps = 3;
    const auto straight = warm_state();
    const ParamStore reference = straight->params;
    GrpoTrainer a(config, env, reference);
    run(*straight, a, 4);

    const auto first = warm_state();
    {
        GrpoTrainer b(config, env, reference);
        run(*first, b, 2);
    }
    TrainingState resumed(config.model, 77);
    resumed.params.data() = first->params.data();
    resumed.optimizer.m().data() = first->optimizer.m().data();
    resumed.optimizer.v().data() = first->optimizer.v().data();
    resumed.optimizer.set_step_count(first->optimizer.step_count());
    resumed.step = first->step;
    GrpoTrainer c(config, env, reference, /*stage_start=*/0);
    EXPECT_FLOAT_EQ(c.learning_rate(2), a.learning_rate(2));
    EXPECT_LT(c.learning_rate(1), c.learning_rate(2));  // warm-up
    run(resumed, c, 2);
    EXPECT_TRUE(same_bits(resumed.params.data(), straight->params.data()));
}

TEST_F(GrpoTrainerTest, EqualRewardsContributeOnlyThroughKl) {
    config.grpo.beta = 0.0f;
    config.model.balance_mode = BalanceMode::aux_free;  // no balance loss: GRPO's is the only one
    const auto state = warm_state();
    const auto constant = std::make_shared<ConstantEnvironment>();
    {
        GrpoTrainer grpo(config, constant, state->params);
        const std::vector<StepReport> r = run(*state, grpo, 2);
        for (const StepReport& s : r) {
            EXPECT_EQ(s.scalars.at(metric::kFracRewardZeroStd), 1.0);
            EXPECT_EQ(s.scalars.at(metric::kRewardStd), 0.0);
            EXPECT_EQ(s.scalars.at(metric::kLoss), 0.0);
            EXPECT_EQ(s.scalars.at(metric::kGradNorm), 0.0);  // no signal at all
            EXPECT_FALSE(s.scalars.count(metric::kKl));       // beta = 0: no reference pass
            EXPECT_FALSE(s.scalars.count("reference_seconds"));
            EXPECT_EQ(s.scalars.at("update_sequence_fraction"), 0.0);  // nothing to differentiate
            for (const RolloutSample& x : s.rollouts) EXPECT_EQ(x.advantage, 0.0);
        }
    }
    config.grpo.beta = 0.04f;
    GrpoTrainer grpo(config, constant, state->params);
    const std::vector<StepReport> r = run(*state, grpo, 2);
    EXPECT_EQ(r[0].scalars.at(metric::kGradNorm), 0.0);  // policy == reference
    EXPECT_GT(r[1].scalars.at(metric::kGradNorm), 0.0);  // weight decay moved it: KL pulls back
    EXPECT_GT(r[1].scalars.at(metric::kKl), 0.0);
}

// With beta = 0 the update leaves the completions of zero advantage out of its backward.
// The control keeps them in: a KL weight too small to matter (1e-30) turns the skipping off.
// Both must move the parameters alike and report the same values.
TEST_F(GrpoTrainerTest, IdleGroupsLeaveTheUpdateAsTheFullBatchWould) {
    config.model.balance_mode = BalanceMode::aux_free;  // no balance loss: GRPO's is the only one
    config.grpo.temperature = 0.8f;
    const auto half = std::make_shared<HalfConstantEnvironment>();
    const ParamStore start = warm_state()->params;
    auto one_step = [&](float beta, StepReport& report) {
        config.grpo.beta = beta;
        auto state = warm_state();
        GrpoTrainer grpo(config, half, state->params);
        grpo.step(*state, report, nullptr);
        return state;
    };
    StepReport skipping, full;
    const auto a = one_step(0.0f, skipping);
    const auto b = one_step(1e-30f, full);
    const double idle = skipping.scalars.at(metric::kFracRewardZeroStd);
    ASSERT_GT(idle, 0.0);
    ASSERT_LT(idle, 1.0);
    EXPECT_DOUBLE_EQ(skipping.scalars.at("update_sequence_fraction"), 1.0 - idle);
    EXPECT_EQ(full.scalars.at("update_sequence_fraction"), 1.0);

    // The split pads each part to its own longest row: its padding share, by hand from the
    // stored completions (<bos> + prompt + completion per row).
    std::int64_t rows[2] = {0, 0}, longest[2] = {0, 0}, tokens = 0;
    for (const RolloutSample& x : skipping.rollouts) {
        const std::int64_t row =
            1 + static_cast<std::int64_t>(Tokenizer().encode(x.prompt).size()) + x.length;
        const int live = x.advantage != 0.0;
        rows[live] += 1;
        longest[live] = std::max(longest[live], row);
        tokens += row;
    }
    const double padded = double(rows[0] * longest[0] + rows[1] * longest[1]);
    EXPECT_NEAR(skipping.scalars.at("padding_fraction"), 1.0 - tokens / padded, 1e-12);
    EXPECT_LE(skipping.scalars.at("padding_fraction"), full.scalars.at("padding_fraction"));

    const float lr = config.grpo.lr;
    double moved = 0;
    for (std::size_t i = 0; i < start.data().size(); ++i) {
        const double da = a->params.data()[i] - start.data()[i];
        const double db = b->params.data()[i] - start.data()[i];
        moved = std::max(moved, std::abs(db));
        ASSERT_NEAR(da, db, 0.02 * lr) << "parameter " << i;
    }
    EXPECT_GT(moved, 0.5 * lr);  // a real update
    for (const char* key : {metric::kLoss, metric::kEntropy, metric::kGradNorm, metric::kClipRatio})
        EXPECT_NEAR(skipping.scalars.at(key), full.scalars.at(key),
                    1e-4 * std::abs(full.scalars.at(key)) + 1e-7)
            << key;
    ASSERT_EQ(skipping.rollouts.size(), full.rollouts.size());
    for (std::size_t r = 0; r < full.rollouts.size(); ++r) {
        const TokenValues& x = skipping.rollouts[r].tokens;
        const TokenValues& y = full.rollouts[r].tokens;
        ASSERT_EQ(x.ids, y.ids) << "rollout " << r;
        for (std::size_t t = 0; t < y.ids.size(); ++t) {
            EXPECT_NEAR(x.logprob[t], y.logprob[t], 1e-5) << r << " " << t;
            EXPECT_NEAR(x.entropy[t], y.entropy[t], 1e-5) << r << " " << t;
        }
    }
}

TEST_F(GrpoTrainerTest, SeveralUpdatesPerBatchKeepTheOldPolicyFixed) {
    config.grpo.mu = 2;
    config.grpo.epsilon = 1e-3f;  // any movement of the policy is visible as clipping
    config.grpo.lr = 1e-3f;
    const auto state = warm_state();
    GrpoTrainer grpo(config, env, state->params);
    StepReport r;
    grpo.step(*state, r, nullptr);
    EXPECT_EQ(state->step, 1);
    EXPECT_EQ(state->optimizer.step_count(), 2);
    // Update 1 is on-policy (ratio 1); in update 2 the ratio against the FIXED old
    // log-probs has moved, so some tokens are clipped: the reported mean is in (0, 0.5].
    EXPECT_GT(r.scalars.at(metric::kClipRatio), 0.0);
    EXPECT_LE(r.scalars.at(metric::kClipRatio), 0.5);
}

TEST_F(GrpoTrainerTest, NanStopsTheStepBeforeParametersChange) {
    for (int mu : {1, 2}) {
        config.grpo.mu = mu;
        const auto state = warm_state();
        ParamStore reference = state->params;
        reference.ptr("lm_head.weight")[3] = std::nanf("");  // NaN only in the KL term
        GrpoTrainer grpo(config, env, reference);
        const AlignedVector<float> before = state->params.data();
        StepReport report;
        EXPECT_THROW(grpo.step(*state, report, nullptr), NumericError);
        EXPECT_TRUE(same_bits(state->params.data(), before));
        EXPECT_EQ(state->step, 0);
        EXPECT_EQ(state->optimizer.step_count(), 0);
    }
    const auto state = warm_state();
    GrpoTrainer grpo(config, env, state->params);
    state->params.ptr("model.norm.weight")[7] = std::nanf("");  // every logit
    const AlignedVector<float> before = state->params.data();
    StepReport report;
    EXPECT_THROW(grpo.step(*state, report, nullptr), NumericError);
    EXPECT_TRUE(same_bits(state->params.data(), before));
}

TEST_F(GrpoTrainerTest, CancelInsideGenerationAbandonsTheStep) {
    std::atomic<bool> cancel{false};
    const auto state = warm_state();
    GrpoTrainer grpo(config, std::make_shared<CancellingEnvironment>(&cancel), state->params);
    const AlignedVector<float> before = state->params.data();
    StepReport report;
    EXPECT_THROW(grpo.step(*state, report, &cancel), Cancelled);
    EXPECT_TRUE(cancel.load());
    EXPECT_TRUE(same_bits(state->params.data(), before));
    EXPECT_EQ(state->step, 0);
}

TEST_F(GrpoTrainerTest, InvalidConfigIsRejected) {
    const ParamStore params(config.model);
    TrainConfig bad = config;
    bad.grpo.group_size = 1;
    EXPECT_THROW(GrpoTrainer(bad, env, params), ConfigError);
    bad = config;
    bad.grpo.temperature = 0.0f;
    EXPECT_THROW(GrpoTrainer(bad, env, params), ConfigError);
    bad = config;
    bad.grpo.mu = 0;
    EXPECT_THROW(GrpoTrainer(bad, env, params), ConfigError);
    const ParamStore tiny(ModelConfig::preset("tiny"));
    EXPECT_THROW(GrpoTrainer(config, env, tiny), ConfigError);
    EXPECT_THROW(GrpoTrainer(config, nullptr, params), ConfigError);
}

TEST(TaskEnvironment, DrawsTrainPromptsOnlyAndScoresWithTheVerifier) {
    TaskOptions options;
    options.digits = 2;
    options.held_out_fraction = 0.3;
    const TaskEnvironment env("addition", options, RewardConfig{1.0, 0.5});
    Rng rng(5);
    int n_train = 0;
    for (int i = 0; i < 2000; ++i) {
        const RewardEnvironment::Item item = env.sample_train(rng);
        EXPECT_EQ(env.task().split_of(item.key), Split::train) << item.key;
        const Problem p = env.problem(item);
        EXPECT_EQ(p.prompt, item.prompt);
        n_train += p.split == Split::train;
    }
    EXPECT_EQ(n_train, 2000);

    Rng again(5);
    const RewardEnvironment::Item item = env.sample_train(again);
    const Problem p = env.problem(item);
    const RewardBreakdown good = env.score(item, p.trace);
    EXPECT_EQ(good.accuracy, 1.0);
    EXPECT_EQ(good.format, 1.0);
    EXPECT_EQ(good.total, 1.5);
    EXPECT_EQ(env.score(item, "<answer>" + p.answer + "</answer>").format, 0.0);
    const RewardBreakdown junk = env.score(item, "no answer at all");
    EXPECT_TRUE(junk.malformed);
    EXPECT_EQ(junk.total, 0.0);
    RewardEnvironment::Item forged = item;
    forged.key = "something else";
    EXPECT_THROW(env.score(forged, p.trace), Error);
    EXPECT_THROW(TaskEnvironment("no-such-task", options), ConfigError);
}

}  // namespace
}  // namespace tinyseek
