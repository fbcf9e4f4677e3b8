// evaluate(): batched generation + verifier scoring equals scoring every problem on its own,
// greedy ignores the seed, sampling is independent of the batching, cancel is honoured.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <vector>

#include "core/errors.h"
#include "core/generator.h"
#include "tests/training/trainer_fixtures.h"
#include "training/evaluator.h"
#include "training/reward.h"

namespace tinyseek {
namespace {

class EvaluatorTest : public ::testing::Test {
  protected:
    const TrainingState& state = testing::sft_warm_start();
    TrainConfig config = testing::small_train_config();
    std::unique_ptr<Task> task = make_task(config.task, config.task_options);
    static constexpr int kMaxNew = 24;

    std::vector<int> prompt_ids(const Problem& p) const {
        std::vector<int> ids{Tokenizer::bos_id};
        for (int id : state.tokenizer.encode(p.prompt)) ids.push_back(id);
        return ids;
    }
    // Scores the outputs of one Generator call the way the metrics are defined
    // (training/evaluator.h).
    EvalResult score(const std::vector<Problem>& problems, const GenerationResult& out) const {
        RewardTally tally;
        double tokens = 0;
        for (std::size_t i = 0; i < problems.size(); ++i) {
            std::vector<int> ids = out.sequences[i].tokens;
            if (!ids.empty() && ids.back() == Tokenizer::eos_id) ids.pop_back();
            tally.add(score_completion(*task, problems[i], state.tokenizer.decode(ids)));
            tokens += static_cast<double>(out.sequences[i].tokens.size());
        }
        EvalResult r;
        r.n = static_cast<int>(problems.size());
        r.accuracy = tally.mean_accuracy();
        r.format = tally.mean_format();
        r.malformed = tally.malformed;
        r.mean_length = tokens / r.n;
        return r;
    }
    static void expect_equal(const EvalResult& a, const EvalResult& b) {
        EXPECT_EQ(a.n, b.n);
        EXPECT_DOUBLE_EQ(a.accuracy, b.accuracy);
        EXPECT_DOUBLE_EQ(a.format, b.format);
        EXPECT_DOUBLE_EQ(a.mean_length, b.mean_length);
        EXPECT_EQ(a.malformed, b.malformed);
    }
};

TEST_F(EvaluatorTest, GreedyEqualsScoringEachProblemAlone) {
    const std::vector<Problem> problems = distinct_problems(*task, Split::train, 40, 3);
    const EvalResult r =
        evaluate(state.params, state.tokenizer, *task, problems, SamplingParams{0.0f}, 1, kMaxNew);
    Generator generator(state.params, CacheMode::latent);
    GenerationOptions options;
    options.max_new_tokens = kMaxNew;
    options.sampling.temperature = 0.0f;
    options.stop_tokens = {Tokenizer::eos_id, Tokenizer::answer_close_id};
    GenerationResult all;
    for (const Problem& p : problems) {
        GenerationResult one = generator.generate({prompt_ids(p)}, options);
        all.sequences.push_back(std::move(one.sequences[0]));
    }
    expect_equal(r, score(problems, all));
    // The warm start has learned the tags: most greedy answers are well formed.
    EXPECT_GT(r.format, 0.5);
    EXPECT_LT(r.malformed, 20);
    // Greedy ignores the seed.
    expect_equal(r, evaluate(state.params, state.tokenizer, *task, problems, SamplingParams{0.0f},
                             99, kMaxNew));
}

TEST_F(EvaluatorTest, SamplingDoesNotDependOnTheBatching) {
    // 150 problems: one batch of kEvalBatch and one of 22 inside evaluate(), against a single
    // Generator call over all of them with the same per-problem streams (seed, i).
    config.task_options.digits = 2;
    task = make_task(config.task, config.task_options);
    const std::vector<Problem> problems = distinct_problems(*task, Split::train, 150, 4);
    ASSERT_GT(static_cast<int>(problems.size()), kEvalBatch);
    const SamplingParams sampling{1.0f};
    const EvalResult r =
        evaluate(state.params, state.tokenizer, *task, problems, sampling, 5, kMaxNew);
    Generator generator(state.params, CacheMode::latent);
    GenerationOptions options;
    options.max_new_tokens = kMaxNew;
    options.sampling = sampling;
    options.seed = 5;
    options.stop_tokens = {Tokenizer::eos_id, Tokenizer::answer_close_id};
    std::vector<std::vector<int>> prompts;
    for (std::size_t i = 0; i < problems.size(); ++i) {
        prompts.push_back(prompt_ids(problems[i]));
        options.sequence_ids.push_back(i);
    }
    expect_equal(r, score(problems, generator.generate(prompts, options)));
    const EvalResult other =
        evaluate(state.params, state.tokenizer, *task, problems, sampling, 6, kMaxNew);
    EXPECT_NE(other.mean_length, r.mean_length);  // another seed, other samples
}

TEST_F(EvaluatorTest, CancelAndBadArguments) {
    const std::vector<Problem> problems = distinct_problems(*task, Split::train, 10, 3);
    const std::atomic<bool> cancel{true};
    EXPECT_THROW(evaluate(state.params, state.tokenizer, *task, problems, SamplingParams{0.0f}, 1,
                          kMaxNew, &cancel),
                 Cancelled);
    EXPECT_THROW(
        evaluate(state.params, state.tokenizer, *task, problems, SamplingParams{0.0f}, 1, 0),
        ConfigError);
    EXPECT_THROW(
        evaluate(state.params, state.tokenizer, *task, problems, SamplingParams{-1.0f}, 1, kMaxNew),
        ConfigError);
    const EvalResult none =
        evaluate(state.params, state.tokenizer, *task, {}, SamplingParams{0.0f}, 1, kMaxNew);
    EXPECT_EQ(none.n, 0);
    EXPECT_EQ(none.accuracy, 0.0);
}

}  // namespace
}  // namespace tinyseek
