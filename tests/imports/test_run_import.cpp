// Imported sources as runs in the store: what is written, a second import of the same source,
// merging pieces of a step, and following a log that another thread is writing.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "imports/run_import.h"
#include "tests/imports/import_fixtures.h"
#include "training/precision_comparison.h"

namespace tinyseek::imports {
namespace {

using testing::fixture;
using testing::fresh_db;
using testing::write_bytes;

RunImport::Update import_once(RunStore& store, LogSource& source, std::int64_t* run = nullptr) {
    RunImport import(store, source);
    const RunImport::Update u = import.poll();
    if (run) *run = import.run_id();
    return u;
}

TEST(RunImport, WritesAVerlRunWithItsSamples) {
    RunStore store(fresh_db("imports", "verl_run"));
    auto sources = find_sources(fixture("verl"));
    std::int64_t id = 0;
    const RunImport::Update u = import_once(store, *sources.front(), &id);
    EXPECT_EQ(u.steps, 6);
    EXPECT_EQ(u.samples, 9);
    const RunInfo run = store.run(id);
    EXPECT_EQ(run.kind, "imported");
    EXPECT_EQ(run.name, "verl: gsm8k_grpo");
    const auto config = nlohmann::json::parse(run.config_json);
    EXPECT_EQ(config["import"]["format"], "verl");
    EXPECT_EQ(config["import"]["source"], sources.front()->path());
    EXPECT_EQ(run_precision(config), "");  // the logs do not say: not compared as FP32
    const MetricSeries reward = store.metric_series(id, "reward");
    ASSERT_EQ(reward.size(), 5u);
    EXPECT_EQ(reward[2].step, 3);
    EXPECT_EQ(reward[2].value, 0.75);
    EXPECT_EQ(reward[2].wall_time, 51.0 + 52 + 53);
    EXPECT_EQ(store.count_rollouts(id, {.source = RolloutSource::train}), 8);
    EXPECT_EQ(store.count_rollouts(id, {.source = RolloutSource::eval}), 1);
    EXPECT_EQ(store.load_step(id, 1).stage, Stage::grpo);
}

TEST(RunImport, ImportingTheSameSourceAgainUpdatesItsRun) {
    const auto dir = testing::fresh_dir("imports", "reimport");
    write_bytes(dir / "m.jsonl", "{\"step\": 1, \"data\": {\"loss\": 1.0}}\n");
    RunStore store((dir / "runs.db").string());
    std::int64_t first = 0, second = 0;
    import_once(store, *find_sources(dir / "m.jsonl").front(), &first);
    write_bytes(dir / "m.jsonl", "{\"step\": 1, \"data\": {\"loss\": 0.5}}\n");
    import_once(store, *find_sources(dir / "m.jsonl").front(), &second);
    EXPECT_EQ(first, second);
    EXPECT_EQ(store.list_runs().size(), 1u);
    const MetricSeries loss = store.metric_series(first, "loss");
    ASSERT_EQ(loss.size(), 1u);
    EXPECT_EQ(loss[0].value, 0.5);
    EXPECT_EQ(store.load_step(first, 1).stage, Stage::sft);  // no reward: not RL
}

TEST(RunImport, AFailedReadLeavesNoRun) {
    const auto dir = testing::fresh_dir("imports", "failed_read");
    write_bytes(dir / "m.jsonl", "{\"step\": 1, \"data\": {\"loss\": 1.0}}\n");
    auto sources = find_sources(dir / "m.jsonl");
    RunStore store((dir / "runs.db").string());
    // Replaced by something that cannot be read as a file (a folder), also for root.
    std::filesystem::remove(dir / "m.jsonl");
    std::filesystem::create_directories(dir / "m.jsonl/inside");
    RunImport import(store, *sources.front());
    EXPECT_THROW(import.poll(), std::exception);
    EXPECT_TRUE(store.list_runs().empty());
}

TEST(MergeSteps, KeepsWhatAReportDoesNotReplace) {
    RunStore store(fresh_db("imports", "merge"));
    const std::int64_t id = store.create_run({"r", "imported"});
    StepReport a;
    a.step = 3;
    a.wall_time = 12.0;
    a.scalars = {{"loss", 1.0}, {"kl", 0.1}};
    RolloutSample train;
    train.prompt = "p";
    train.completion = "old";
    a.rollouts = {train};
    store.merge_steps(id, {a});
    StepReport b;  // later: one metric changes, the time is unknown, an eval sample arrives
    b.step = 3;
    b.wall_time = NAN;
    b.scalars = {{"loss", 0.5}};
    RolloutSample held_out = train;
    held_out.source = RolloutSource::eval;
    held_out.completion = "eval";
    b.rollouts = {held_out};
    store.merge_steps(id, {b});
    const StepReport got = store.load_step(id, 3);
    EXPECT_EQ(got.wall_time, 12.0);
    EXPECT_EQ(got.scalars.at("loss"), 0.5);
    EXPECT_EQ(got.scalars.at("kl"), 0.1);
    EXPECT_EQ(store.metric_series(id, "loss")[0].wall_time, 12.0);
    EXPECT_EQ(store.count_rollouts(id, {.source = RolloutSource::train}), 1);
    StepReport c;  // the train dump of step 3 rewritten: it replaces the train samples only
    c.step = 3;
    c.wall_time = 13.0;
    train.completion = "new";
    c.rollouts = {train, train};
    store.merge_steps(id, {c});
    EXPECT_EQ(store.count_rollouts(id, {.source = RolloutSource::train}), 2);
    EXPECT_EQ(store.rollouts(id, {.source = RolloutSource::train})[0].sample.completion, "new");
    EXPECT_EQ(store.count_rollouts(id, {.source = RolloutSource::eval}), 1);
    EXPECT_EQ(store.metric_series(id, "kl")[0].wall_time, 13.0);
    store.merge_steps(id, {}, true);  // replace_all with nothing: the run is emptied
    EXPECT_TRUE(store.steps(id).empty());
}

TEST(RunImport, FollowsALogAnotherThreadIsWriting) {
    const auto dir = testing::fresh_dir("imports", "follow");
    const auto file = dir / "live.jsonl";
    write_bytes(file, "{\"step\": 1, \"data\": {\"critic/score/mean\": 0.1}}\n");
    RunStore store((dir / "runs.db").string());
    auto sources = find_sources(file);
    RunImport import(store, *sources.front());
    import.poll();
    constexpr int kSteps = 200;
    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (int step = 2; step <= kSteps; ++step) {
            const std::string line = "{\"step\": " + std::to_string(step) +
                                     ", \"data\": {\"critic/score/mean\": 0.5}}\n";
            // Two writes per line: a reader may see half of it.
            write_bytes(file, line.substr(0, line.size() / 2), true);
            write_bytes(file, line.substr(line.size() / 2), true);
        }
        done = true;
    });
    std::vector<ImportIssue> issues;
    for (bool last = false; !last;) {
        last = done.load();
        const RunImport::Update u = import.poll();
        issues.insert(issues.end(), u.issues.begin(), u.issues.end());
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    writer.join();
    import.poll();
    EXPECT_TRUE(issues.empty()) << summarize_issues(issues);  // half lines waited for
    EXPECT_EQ(store.metric_series(import.run_id(), "reward").size(), std::size_t(kSteps));
    // The writer starts over (a resumed verl run truncates its file): the run is re-read.
    write_bytes(file, "{\"step\": 1, \"data\": {\"critic/score/mean\": 0.9}}\n");
    EXPECT_TRUE(import.poll().restarted);
    const MetricSeries reward = store.metric_series(import.run_id(), "reward");
    ASSERT_EQ(reward.size(), 1u);
    EXPECT_EQ(reward[0].value, 0.9);
}

}  // namespace
}  // namespace tinyseek::imports
