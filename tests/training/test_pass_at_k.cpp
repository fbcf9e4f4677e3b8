// pass@k against a brute-force enumeration of every k-subset, maj@k against hand-counted votes,
// and the measurement against evaluate() on the same sample streams.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/errors.h"
#include "tests/training/run_loop_fixtures.h"
#include "tests/training/trainer_fixtures.h"
#include "training/evaluator.h"
#include "training/pass_at_k.h"
#include "training/run_loop.h"
#include "training/run_pass_at_k.h"
#include "training/task_arithmetic.h"

namespace tinyseek {
namespace {

// Share of the k-subsets of n samples (the first c right) that hold a right sample.
double brute_force_pass_at_k(int n, int c, int k) {
    long subsets = 0, hits = 0;
    for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
        if (std::popcount(mask) != k) continue;
        ++subsets;
        hits += (mask & ((1u << c) - 1)) != 0;
    }
    return double(hits) / double(subsets);
}

TEST(PassAtK, MatchesEveryKSubsetCountedByHand) {
    for (int n = 1; n <= 12; ++n)
        for (int c = 0; c <= n; ++c)
            for (int k = 1; k <= n; ++k)
                EXPECT_NEAR(pass_at_k(n, c, k), brute_force_pass_at_k(n, c, k), 1e-12)
                    << "n=" << n << " c=" << c << " k=" << k;
    EXPECT_DOUBLE_EQ(pass_at_k(64, 16, 1), 0.25);  // pass@1 is the share of right samples
    EXPECT_EQ(pass_at_k(64, 0, 64), 0.0);
    EXPECT_EQ(pass_at_k(64, 1, 64), 1.0);
    EXPECT_THROW(pass_at_k(4, 5, 1), Error);
    EXPECT_THROW(pass_at_k(4, 1, 5), Error);
    EXPECT_THROW(pass_at_k(4, 1, 0), Error);
}

TEST(PassAtK, VotesAreCanonicalAnswers) {
    EXPECT_EQ(vote_of("0579"), "579");
    EXPECT_EQ(vote_of(" 12 "), "12");
    EXPECT_EQ(vote_of("-0"), "0");
    EXPECT_EQ(vote_of("3*7+25"), "3*7+25");
    EXPECT_EQ(vote_of("  "), "");
}

TEST(PassAtK, MajorityCountsBlocksByHand) {
    // The right answer is 7; one sample gave no answer.
    ProblemSamples s;
    s.votes = {"5", "5", "7", "", "7", "7", "3", "3"};
    s.correct = {false, false, true, false, true, true, false, false};
    EXPECT_DOUBLE_EQ(majority_at_k(s, 1), 3.0 / 8.0);  // each sample alone
    // Blocks {5,5} {7,-} {7,7} {3,3}: 5 wins, 7 alone wins, 7 wins, 3 wins.
    EXPECT_DOUBLE_EQ(majority_at_k(s, 2), 2.0 / 4.0);
    // Blocks {5,5,7} {-,7,7}; samples 7 and 8 are unused.
    EXPECT_DOUBLE_EQ(majority_at_k(s, 3), 1.0 / 2.0);
    // Blocks {5,5,7,-}: 5 wins; {7,7,3,3}: a tie of 7 and 3 credits half.
    EXPECT_DOUBLE_EQ(majority_at_k(s, 4), 0.25);
    EXPECT_DOUBLE_EQ(majority_at_k(s, 8), 1.0);  // 7 three times, 5 and 3 twice
    ProblemSamples silent;
    silent.votes = {"", ""};
    silent.correct = {false, false};
    EXPECT_EQ(majority_at_k(silent, 2), 0.0);
    EXPECT_THROW(majority_at_k(s, 9), Error);
    EXPECT_THROW(majority_at_k(s, 0), Error);
}

// pass@1 is the accuracy of the same sample streams scored by evaluate(): problem i's sample j
// is stream (seed, i * n + j), the stream of entry i * n + j of a list repeating each problem
// n times. All 6 held-out 1-digit problems x 32 samples span two generation batches.
TEST(PassAtK, PassAtOneIsTheAccuracyOfTheSameSamples) {
    const TrainingState& state = testing::sft_warm_start();
    const TrainConfig config = testing::small_train_config();
    const std::unique_ptr<Task> task = make_task(config.task, config.task_options);
    const std::vector<Problem> problems = held_out_prefix(*task, 20, 7);
    constexpr int kSamples = 32;
    SamplingParams sampling;
    sampling.temperature = 1.0f;
    const PassAtKCurve curve = measure_pass_at_k(state.params, state.tokenizer, *task, problems,
                                                 sampling, 3, kSamples, 24, {1, 2, 4, 8, 32});
    std::vector<Problem> repeated;
    for (const Problem& p : problems)
        for (int j = 0; j < kSamples; ++j) repeated.push_back(p);
    const EvalResult r = evaluate(state.params, state.tokenizer, *task, repeated, sampling, 3, 24);
    EXPECT_DOUBLE_EQ(curve.mean_accuracy, r.accuracy);
    EXPECT_NEAR(curve.pass[0], r.accuracy, 1e-12);
    EXPECT_NEAR(curve.majority[0], r.accuracy, 1e-12);
    EXPECT_GT(r.accuracy, 0.0);  // the warm start is right sometimes, wrong sometimes
    EXPECT_LT(r.accuracy, 1.0);
    for (std::size_t i = 1; i < curve.pass.size(); ++i) EXPECT_GE(curve.pass[i], curve.pass[i - 1]);
    EXPECT_EQ(curve.problems, static_cast<int>(problems.size()));
    EXPECT_GT(problems.size() * kSamples, std::size_t(kEvalBatch));
    EXPECT_EQ(curve.samples, kSamples);
    EXPECT_THROW(measure_pass_at_k(state.params, state.tokenizer, *task, problems, sampling, 3,
                                   kSamples, 24, {64}),
                 ConfigError);
}

// A run's checkpoint measured and stored in one call gives the curve of the same checkpoint
// measured by hand on the task it was trained on; a step without a checkpoint is refused,
// naming the steps that have one.
TEST(PassAtK, MeasuresAndStoresARunsCheckpoint) {
    const std::string dir = testing::fresh_dir("pass_at_k_run");
    TrainConfig c = testing::tiny_config();
    RunLoop loop(c, dir + "/runs.db");
    ASSERT_EQ(loop.run(), RunStatus::completed) << loop.last_error();
    PassAtKSettings settings;
    settings.problems = 5;
    settings.samples = 4;
    settings.ks = {1, 2, 4};
    settings.max_new_tokens = 24;
    std::vector<std::pair<long, long>> calls;
    const StoredPassAtK stored =
        measure_run_pass_at_k(dir + "/runs.db", loop.run_id(), std::nullopt, settings, nullptr,
                              [&](long done, long total) { calls.emplace_back(done, total); });
    ASSERT_FALSE(calls.empty());
    EXPECT_EQ(calls.back(), std::make_pair(20L, 20L));  // 5 problems x 4 samples
    for (std::size_t i = 1; i < calls.size(); ++i) EXPECT_GT(calls[i].first, calls[i - 1].first);

    RunStore store(dir + "/runs.db");
    const CheckpointInfo latest = *store.latest_checkpoint(loop.run_id());
    EXPECT_EQ(stored.step, latest.step);
    const Checkpoint ck = load_checkpoint(latest.path);
    const PassAtKCurve by_hand = measure_pass_at_k(ck, AdditionTask(c.task_options), settings);
    EXPECT_EQ(stored.pass, by_hand.pass);
    EXPECT_EQ(stored.majority, by_hand.majority);
    const std::vector<StoredPassAtK> curves = store.pass_at_k_curves(loop.run_id());
    ASSERT_EQ(curves.size(), 1u);
    EXPECT_EQ(curves[0].pass, by_hand.pass);
    EXPECT_EQ(curves[0].samples, 4);

    try {
        run_checkpoint(store, loop.run_id(), 1);
        FAIL() << "step 1 has no checkpoint";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no checkpoint at step 1 (it has: "),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace tinyseek
