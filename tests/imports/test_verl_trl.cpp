// verl's metrics JSONL and generation dumps, and TRL's trainer_state.json, from fixtures the
// writers' own serialiser wrote (data/make_json_fixtures.py), and every kind of bad line.
#include <gtest/gtest.h>

#include <cmath>

#include "imports/import_error.h"
#include "imports/metric_names.h"
#include "tests/imports/import_fixtures.h"

namespace tinyseek::imports {
namespace {

using testing::count_issues;
using testing::fixture;
using testing::read_all;
using testing::write_bytes;
using Kind = ImportIssue::Kind;

TEST(MetricNames, MapsTheKnownKeysAndKeepsTheRest) {
    EXPECT_EQ(workbench_name("critic/score/mean"), "reward");
    EXPECT_EQ(workbench_name("actor/pg_clipfrac"), "clip_ratio");
    EXPECT_EQ(workbench_name("train/loss"), "loss");
    EXPECT_EQ(workbench_name("train/policy_loss"), "loss");
    EXPECT_EQ(workbench_name("eval_reward"), "eval/reward");
    EXPECT_EQ(workbench_name("clip_ratio/region_mean"), "clip_ratio");
    EXPECT_EQ(workbench_name("actor/ppo_kl"), "actor/ppo_kl");
    EXPECT_EQ(workbench_name("train/"), "train/");
}

TEST(VerlImport, ReadsMetricsAndTheDumpsBesideThem) {
    auto sources = find_sources(fixture("verl"));
    ASSERT_EQ(sources.size(), 1u);
    EXPECT_EQ(sources.front()->format(), "verl");
    EXPECT_EQ(sources.front()->display_name(), "verl: gsm8k_grpo");
    const ImportedLog log = sources.front()->poll();
    ASSERT_EQ(log.steps.size(), 6u);  // 0 (validation before training) to 5
    EXPECT_EQ(log.steps.at(3).scalars.at("reward"), 0.75);
    EXPECT_EQ(log.steps.at(3).scalars.at("loss"), -0.03);
    EXPECT_EQ(log.steps.at(3).scalars.at("actor/ppo_kl"), 0.0001);
    EXPECT_EQ(log.steps.at(0).scalars.at("val-core/openai/gsm8k/reward/mean@1"), 0.25);
    EXPECT_TRUE(std::isnan(log.steps.at(2).scalars.at("loss")));  // json.dumps' bare NaN
    EXPECT_TRUE(std::isnan(log.steps.at(5).scalars.at("loss")));  // orjson's null
    EXPECT_EQ(count_issues(log, Kind::non_finite), 2);
    EXPECT_EQ(log.issues.size(), 2u) << summarize_issues(log.issues);
    // The training clock: the sum of timing_s/step.
    EXPECT_EQ(log.steps.at(1).wall_time, 51.0);
    EXPECT_EQ(log.steps.at(2).wall_time, 103.0);
    EXPECT_EQ(log.steps.at(5).wall_time, 51.0 + 52 + 53 + 54 + 55);
    EXPECT_TRUE(std::isnan(log.steps.at(0).wall_time));
}

TEST(VerlImport, GroupsTheRepeatedPromptsOfADump) {
    const ImportedLog log = read_all(fixture("verl"));
    const auto& step1 = log.steps.at(1).rollouts;
    ASSERT_EQ(step1.size(), 4u);
    const int groups[] = {0, 0, 1, 1}, members[] = {0, 1, 0, 1};
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(step1[i].group, groups[i]);
        EXPECT_EQ(step1[i].member, members[i]);
        EXPECT_EQ(step1[i].source, RolloutSource::train);
    }
    EXPECT_EQ(step1[0].prompt, "user\nWhat is 2+3?\nassistant\n");
    EXPECT_EQ(step1[0].completion, "... #### 5");
    EXPECT_EQ(step1[0].reward.total, 1.0);
    EXPECT_EQ(step1[1].reward.accuracy, 0.0);  // "acc": false
    EXPECT_EQ(step1[0].length, 10);            // characters: the tokenizer is not known
    const auto& held_out = log.steps.at(0).rollouts;
    ASSERT_EQ(held_out.size(), 1u);
    EXPECT_EQ(held_out[0].source, RolloutSource::eval);  // the folder "validation"
    EXPECT_EQ(held_out[0].completion, "\\boxed{81}");
    EXPECT_EQ(log.samples, 9);
}

TEST(VerlImport, ReportsEveryBadLineWithItsNumberAndImportsTheRest) {
    const auto dir = testing::fresh_dir("imports", "verl_bad_lines");
    write_bytes(dir / "run.jsonl",
                "{\"step\": 1, \"data\": {\"critic/score/mean\": 0.5}}\n"       // 1
                "this is not json\n"                                            // 2
                "{\"step\": 2, \"data\": {\"x\": \"fast\", \"y\": [1, 2]}}\n"   // 3
                "{\"step\": 3, \"data\": {\"critic/score/mean\": Infinity}}\n"  // 4
                "{\"step\": 3, \"data\": {\"critic/score/mean\": 0.7}}\n"       // 5
                "{\"step\": 2, \"data\": {\"z\": 1}}\n"                         // 6
                "{\"data\": {\"z\": 1}}\n"                                      // 7
                "\n"                                                            // 8
                "{\"step\": 4, \"data\": {\"critic/score/mean\": 0.9}}\n");     // 9
    const ImportedLog log = read_all(dir / "run.jsonl");
    EXPECT_EQ(count_issues(log, Kind::malformed), 2);
    EXPECT_EQ(count_issues(log, Kind::not_a_number), 2);
    EXPECT_EQ(count_issues(log, Kind::non_finite), 1);
    EXPECT_EQ(count_issues(log, Kind::repeated), 1);
    EXPECT_EQ(count_issues(log, Kind::out_of_order), 1);
    const std::string summary = summarize_issues(log.issues);
    EXPECT_NE(summary.find("7 problems"), std::string::npos) << summary;
    EXPECT_NE(summary.find("2 malformed (run.jsonl: 2, 7)"), std::string::npos) << summary;
    EXPECT_NE(summary.find("1 step out of order (run.jsonl: 6)"), std::string::npos) << summary;
    EXPECT_EQ(log.steps.at(3).scalars.at("reward"), 0.7);  // the infinite value left out
    EXPECT_EQ(log.steps.at(4).scalars.at("reward"), 0.9);
    EXPECT_EQ(log.steps.at(2).scalars.at("z"), 1.0);
}

TEST(VerlImport, ADumpStillBeingWrittenWaits) {
    const auto dir = testing::fresh_dir("imports", "verl_dump_growing");
    write_bytes(dir / "m.jsonl", "{\"step\": 1, \"data\": {\"a\": 1}}\n");
    std::filesystem::create_directories(dir / "rollouts");
    const std::string line = R"({"input": "p", "output": "o", "score": 1.0, "step": 1})";
    write_bytes(dir / "rollouts/1.jsonl", line + "\n" + line.substr(0, 10));
    auto sources = find_sources(dir);
    ASSERT_EQ(sources.size(), 1u);
    EXPECT_TRUE(sources.front()->poll().steps.at(1).rollouts.empty());
    write_bytes(dir / "rollouts/1.jsonl", line + "\n" + line + "\n");
    const ImportedLog later = sources.front()->poll();
    EXPECT_EQ(later.steps.at(1).rollouts.size(), 2u);
    EXPECT_TRUE(later.issues.empty());
}

TEST(TrlImport, ReadsTheNewestCheckpointsState) {
    auto sources = find_sources(fixture("trl/output"));
    ASSERT_EQ(sources.size(), 1u);
    EXPECT_EQ(sources.front()->format(), "trl");
    const ImportedLog log = sources.front()->poll();
    EXPECT_TRUE(log.restarted);
    ASSERT_EQ(log.steps.size(), 4u);  // checkpoint-4 holds steps 1-4
    EXPECT_EQ(log.steps.at(3).scalars.at("clip_ratio"), 0.03);
    EXPECT_EQ(log.steps.at(3).scalars.at("reward"), 0.30000000000000004);
    EXPECT_EQ(log.steps.at(2).scalars.at("eval/reward"), 0.2);  // eval_reward
    EXPECT_EQ(log.steps.at(2).scalars.at("eval/loss"), 1.2);
    EXPECT_EQ(log.steps.at(4).wall_time, 8.0);  // step_time 2 s × 4 steps
    EXPECT_TRUE(std::isnan(log.steps.at(3).scalars.at("reward_std")));
    ASSERT_EQ(log.issues.size(), 1u) << summarize_issues(log.issues);
    EXPECT_EQ(log.issues.front().kind, Kind::non_finite);
    EXPECT_EQ(log.issues.front().file, "output/checkpoint-4/trainer_state.json");
    EXPECT_EQ(log.config.at("trainer_state").at("max_steps"), 4);
}

TEST(TrlImport, TellsEvaluationEntriesFromTrainingEntriesOfTheSameStep) {
    const auto dir = testing::fresh_dir("imports", "trl_streams");
    write_bytes(dir / "trainer_state.json",
                R"({"log_history": [
                     {"loss": 1.0, "eval_seconds": 2.0, "step": 1},
                     {"eval_loss": 1.5, "epoch": 0.1, "step": 1},
                     {"loss": 0.9, "step": 2},
                     {"loss": 0.8, "step": 2},
                     {"train_runtime": 10.0, "train_loss": 0.9, "step": 2}]})");
    const ImportedLog log = read_all(dir / "trainer_state.json");
    ASSERT_EQ(log.issues.size(), 1u) << summarize_issues(log.issues);  // step 2 twice
    EXPECT_EQ(log.issues.front().kind, Kind::repeated);
    EXPECT_EQ(log.issues.front().line, 4);
    EXPECT_EQ(log.steps.at(1).scalars.at("eval/loss"), 1.5);
    EXPECT_EQ(log.steps.at(2).scalars.at("loss"), 0.8);
    EXPECT_EQ(log.steps.at(2).scalars.at("train_runtime"), 10.0);
}

TEST(TrlImport, ABrokenStateFileIsReported) {
    const auto dir = testing::fresh_dir("imports", "trl_broken");
    std::filesystem::create_directories(dir / "checkpoint-1");
    write_bytes(dir / "checkpoint-1/trainer_state.json", "{\"log_history\": [{\"step\": 1, ");
    const ImportedLog log = read_all(dir);
    ASSERT_EQ(count_issues(log, Kind::malformed), 1);
    EXPECT_TRUE(log.steps.empty());
}

TEST(FindSources, RefusesWhatItDoesNotRecognise) {
    const auto dir = testing::fresh_dir("imports", "unrecognised");
    write_bytes(dir / "notes.jsonl", "{\"hello\": 1}\n");
    write_bytes(dir / "data.csv", "a,b\n1,2\n");
    try {
        find_sources(dir);
        FAIL() << "expected ImportError";
    } catch (const ImportError& e) {
        EXPECT_EQ(e.kind(), ImportError::Kind::not_recognised);
        EXPECT_NE(std::string(e.what()).find("trainer_state.json"), std::string::npos);
    }
    EXPECT_THROW(find_sources(dir / "missing"), ImportError);
    EXPECT_THROW(find_sources(dir / "data.csv"), ImportError);
}

TEST(FindSources, FindsEachWritersRunInOneFolder) {
    const auto sources = find_sources(fixture(""));
    ASSERT_EQ(sources.size(), 3u);
    EXPECT_EQ(sources[0]->format(), "tensorboard");
    EXPECT_EQ(sources[1]->format(), "trl");
    EXPECT_EQ(sources[2]->format(), "verl");
}

}  // namespace
}  // namespace tinyseek::imports
