// The MTP draft's acceptance on a checkpoint's held-out prompts (training/speculation_eval.h)
// and what it builds on: the evaluator's held-out prompts, a checkpoint's task from its
// metadata, a run folder's checkpoints found beside a picked one.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "core/checkpoint.h"
#include "core/errors.h"
#include "tests/scratch_dir.h"
#include "tests/training/trainer_fixtures.h"
#include "training/evaluator.h"
#include "training/run_checkpoints.h"
#include "training/speculation_eval.h"

namespace tinyseek {
namespace {

namespace fs = std::filesystem;

// The warm-started model saved as a checkpoint of 1-digit addition (as the RunLoop writes it).
void save_warm_start(const fs::path& dir) {
    const TrainingState& s = testing::sft_warm_start();
    TaskOptions options;
    options.digits = 1;
    save_checkpoint(dir.string(), s.params, s.tokenizer, nullptr,
                    {{"task", "addition"}, {"task_options", options.to_json().dump()}});
}

SpeculationEvalOptions small_eval() {
    SpeculationEvalOptions o;
    o.prompts = 16;
    o.max_new_tokens = 24;
    return o;
}

TEST(SpeculationEval, HeldOutPromptsArePrefixesOfTheEvaluatorsSet) {
    const std::unique_ptr<Task> task = make_task("addition");
    const Tokenizer tok;
    const std::vector<Problem> set = held_out_set(*task, 50, 7);
    const std::vector<std::vector<int>> prompts = held_out_prompts(*task, tok, 20, 7);
    ASSERT_EQ(prompts.size(), 20u);
    for (std::size_t i = 0; i < prompts.size(); ++i) {
        EXPECT_EQ(prompts[i], prompt_tokens(tok, set[i]));
        EXPECT_EQ(prompts[i].front(), Tokenizer::bos_id);
        EXPECT_EQ(task->split_of(set[i].key), Split::held_out);
    }
    EXPECT_EQ(evaluation_stop_tokens(),
              (std::vector<int>{Tokenizer::eos_id, Tokenizer::answer_close_id}));
    EXPECT_THROW(held_out_prompts(*task, tok, 0, 7), ConfigError);
    // A split smaller than n: all of it, in the set's order, instead of an error.
    TaskOptions one_digit;
    one_digit.digits = 1;
    const std::unique_ptr<Task> small = make_task("addition", one_digit);
    const std::vector<std::vector<int>> all = held_out_prompts(*small, tok, 128, 7);
    ASSERT_GT(all.size(), 0u);
    ASSERT_LT(all.size(), 100u);  // 10 % of the 100 one-digit sums, give or take the hash
    const std::vector<Problem> whole = held_out_set(*small, all.size(), 7);
    for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], prompt_tokens(tok, whole[i]));
    EXPECT_THROW(held_out_set(*small, all.size() + 1, 7), Error);
}

TEST(SpeculationEval, TaskComesFromTheCheckpointMetadata) {
    const CheckpointTask none = checkpoint_task({}, "ck");
    EXPECT_EQ(none.name, "addition");
    EXPECT_EQ(none.options.digits, TaskOptions().digits);
    const CheckpointTask countdown =
        checkpoint_task({{"task", "countdown"}, {"task_options", R"({"numbers": 4})"}}, "ck");
    EXPECT_EQ(countdown.name, "countdown");
    EXPECT_EQ(countdown.options.numbers, 4);
    try {
        checkpoint_task({{"task_options", "{not json"}}, "some/dir");
        FAIL() << "no error";
    } catch (const CheckpointError& e) {
        EXPECT_NE(std::string(e.what()).find("some/dir"), std::string::npos) << e.what();
    }
    EXPECT_THROW(checkpoint_task({{"task_options", R"({"digits": "three"})"}}, "ck"), ConfigError);
}

TEST(SpeculationEval, CheckpointsBesideAPickedOne) {
    const fs::path run =
        tinyseek::testing::fresh_dir("speculation_eval", "speculation_eval_beside") / "run-3";
    for (int step : {200, 0, 10}) save_warm_start(run / ("step-" + std::to_string(step)));
    fs::create_directories(run / "step-7");             // not a checkpoint (no files)
    fs::create_directories(run / "step-5.tmp-abc123");  // an interrupted save
    fs::create_directories(run / "notes");
    const std::vector<CheckpointRef> refs = checkpoints_beside((run / "step-10").string());
    ASSERT_EQ(refs.size(), 3u);
    EXPECT_EQ(refs[0].step, 0);
    EXPECT_EQ(refs[1].step, 10);
    EXPECT_EQ(refs[2].step, 200);
    EXPECT_EQ(fs::path(refs[2].dir).filename(), "step-200");
    // A directory not named step-<N> stands alone.
    const fs::path lone = run.parent_path() / "my-model";
    save_warm_start(lone);
    const std::vector<CheckpointRef> one = checkpoints_beside(lone.string());
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].dir, lone.string());
    EXPECT_EQ(one[0].step, 0);
}

TEST(SpeculationEval, EqualsTheMeasurementOnTheHeldOutPrompts) {
    const TrainingState& s = testing::sft_warm_start();
    CheckpointTask task;
    task.options.digits = 1;
    const SpeculationEval eval = evaluate_speculation(s.params, s.tokenizer, task, small_eval());
    const std::unique_ptr<Task> built = make_task("addition", task.options);
    const std::vector<std::vector<int>> prompts = held_out_prompts(*built, s.tokenizer, 16, 7);
    EXPECT_EQ(eval.prompts, prompts);
    AcceptanceOptions o;
    o.max_new_tokens = 24;
    o.stop_tokens = evaluation_stop_tokens();
    const AcceptanceMeasurement m = measure_acceptance(s.params, s.tokenizer, prompts, o);
    EXPECT_EQ(eval.measurement.stats.drafted, m.stats.drafted);
    EXPECT_EQ(eval.measurement.stats.accepted, m.stats.accepted);
    EXPECT_EQ(eval.measurement.stats.accepted_at, m.stats.accepted_at);
    ASSERT_GT(m.stats.drafted, 0);
    // SFT trained the MTP module beside the main model: it agrees more often than chance.
    EXPECT_GT(m.stats.acceptance_rate(), 1.0 / 64);
}

TEST(SpeculationEval, OverCheckpointsKeepsGoingPastABrokenOne) {
    const fs::path run =
        tinyseek::testing::fresh_dir("speculation_eval", "speculation_eval_over") / "run-1";
    save_warm_start(run / "step-40");
    save_warm_start(run / "step-80");
    fs::create_directories(run / "step-60");
    std::ofstream(run / "step-60" / "config.json") << "{ broken";
    std::ofstream(run / "step-60" / "model.safetensors") << "x";
    const std::vector<CheckpointRef> refs = checkpoints_beside((run / "step-40").string());
    ASSERT_EQ(refs.size(), 3u);
    int last = 0, total = 0;
    const std::vector<CheckpointAcceptance> points =
        acceptance_over_checkpoints(refs, small_eval(), nullptr, [&](int done, int all) {
            EXPECT_GE(done, last);
            last = done;
            total = all;
        });
    EXPECT_EQ(last, total);
    ASSERT_EQ(points.size(), 3u);
    EXPECT_EQ(points[1].step, 60);
    EXPECT_FALSE(points[1].error.empty());
    EXPECT_EQ(points[1].drafted, 0);
    const TrainingState& s = testing::sft_warm_start();
    CheckpointTask task;
    task.options.digits = 1;
    const SpeculationEval want = evaluate_speculation(s.params, s.tokenizer, task, small_eval());
    for (int i : {0, 2}) {
        EXPECT_TRUE(points[i].error.empty()) << points[i].error;
        EXPECT_EQ(points[i].drafted, want.measurement.stats.drafted);
        EXPECT_EQ(points[i].accepted, want.measurement.stats.accepted);
        EXPECT_DOUBLE_EQ(points[i].tokens_per_forward, want.measurement.tokens_per_forward());
    }
    const std::atomic<bool> raised{true};
    EXPECT_THROW(acceptance_over_checkpoints(refs, small_eval(), &raised), Cancelled);
}

}  // namespace
}  // namespace tinyseek
