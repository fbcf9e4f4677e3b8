// RunLoop on a shrunken model: what a run stores (steps, evaluations, checkpoints), pause,
// cancel, failure on NaN, resume after a stop or a crash with metrics identical to an
// uninterrupted run, and the control arm (linked run, equal training time, stored budget).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/checkpoint.h"
#include "core/errors.h"
#include "tests/training/run_loop_fixtures.h"
#include "training/run_loop.h"
#include "training/run_store.h"

namespace tinyseek {
namespace {

namespace fs = std::filesystem;
using testing::expect_same_steps;
using testing::fresh_dir;
using testing::HookSink;
using testing::tiny_config;

std::vector<std::int64_t> metric_steps(const RunStore& store, std::int64_t run,
                                       const std::string& key) {
    std::vector<std::int64_t> out;
    for (const MetricPoint& p : store.metric_series(run, key)) out.push_back(p.step);
    return out;
}

TEST(RunLoop, SftRunStoresStepsEvaluationsAndCheckpoints) {
    const std::string dir = fresh_dir("sft");
    const std::string db = dir + "/runs.db";
    TrainConfig c = tiny_config();
    c.checkpoint_every = 2;
    RunLoop loop(c, db);
    HookSink sink;
    loop.add_sink(&sink);
    std::vector<RunProgress> progress;
    loop.set_progress_callback([&](const RunProgress& p) { progress.push_back(p); });
    const std::int64_t id = loop.create();
    EXPECT_EQ(loop.create(), id);  // idempotent
    ASSERT_EQ(loop.run(), RunStatus::completed) << loop.last_error();
    EXPECT_EQ(loop.last_error(), "");
    EXPECT_FALSE(loop.control_run_id());

    RunStore store(db, {.read_only = true});
    const RunInfo info = store.run(id);
    EXPECT_EQ(info.status, RunStatus::completed);
    EXPECT_EQ(info.kind, "sft");
    EXPECT_EQ(info.name, "addition sft");
    EXPECT_EQ(TrainConfig::from_json(nlohmann::json::parse(info.config_json)).to_json(),
              c.to_json());
    EXPECT_EQ(store.steps(id), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(sink.count.load(), 5);
    double last_wall = 0.0;
    for (std::int64_t s = 1; s <= 5; ++s) {
        const StepReport r = store.load_step(id, s);
        EXPECT_EQ(r.stage, Stage::sft);
        EXPECT_GT(r.wall_time, last_wall) << "training clock must advance, step " << s;
        last_wall = r.wall_time;
        EXPECT_TRUE(std::isfinite(r.scalars.at(metric::kLoss)));
        EXPECT_FALSE(r.expert_load.empty());
    }
    // After the first step, every 2 steps and at the stage end.
    EXPECT_EQ(metric_steps(store, id, metric::kEvalAccuracy),
              (std::vector<std::int64_t>{1, 2, 4, 5}));
    EXPECT_EQ(metric_steps(store, id, metric::kEvalSampledAccuracy),
              (std::vector<std::int64_t>{1, 2, 4, 5}));
    EXPECT_EQ(metric_steps(store, id, "eval_seconds"), (std::vector<std::int64_t>{1, 2, 4, 5}));
    for (const MetricPoint& p : store.metric_series(id, metric::kEvalAccuracy)) {
        EXPECT_GE(p.value, 0.0);
        EXPECT_LE(p.value, 1.0);
    }
    // Evaluation time is not training time: wall_time grows by the step time only.
    const StepReport s2 = store.load_step(id, 2), s3 = store.load_step(id, 3);
    EXPECT_NEAR(s3.wall_time - s2.wall_time, s3.scalars.at(metric::kStepSeconds),
                0.02 + 0.5 * s3.scalars.at(metric::kStepSeconds));

    const std::vector<CheckpointInfo> cks = store.checkpoints(id);
    ASSERT_EQ(cks.size(), 3u);
    EXPECT_EQ(cks[0].step, 2);
    EXPECT_EQ(cks[1].step, 4);
    EXPECT_EQ(cks[2].step, 5);
    EXPECT_EQ(fs::path(cks[2].path),
              fs::absolute(dir + "/runs-checkpoints/run-" + std::to_string(id) + "/step-5"));
    EXPECT_EQ(loop.last_checkpoint(), cks[2].path);
    for (const CheckpointInfo& ck : cks) EXPECT_TRUE(is_checkpoint_dir(ck.path)) << ck.path;
    const Checkpoint ck = load_checkpoint(cks[2].path);
    EXPECT_EQ(ck.metadata.at("run_id"), std::to_string(id));
    EXPECT_EQ(ck.metadata.at("step"), "5");
    EXPECT_EQ(ck.metadata.at("stage"), "sft");
    ASSERT_TRUE(ck.optimizer);
    EXPECT_EQ(ck.optimizer->step, 5);

    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back().step, 5);
    EXPECT_EQ(progress.back().total_steps, 5);
    EXPECT_EQ(progress.back().run_id, id);
}

TEST(RunLoop, PipelineRunsSftThenGrpoWithGrpoMetrics) {
    const std::string dir = fresh_dir("pipeline");
    TrainConfig c = tiny_config();
    c.pipeline = {Stage::sft, Stage::grpo};
    c.sft.steps = 3;
    c.out_dir = dir + "/ckpt";
    RunLoop loop(c, dir + "/runs.db");
    ASSERT_EQ(loop.run(), RunStatus::completed) << loop.last_error();
    RunStore store(dir + "/runs.db");
    const std::int64_t id = loop.run_id();
    EXPECT_EQ(store.run(id).kind, "pipeline");
    ASSERT_EQ(store.steps(id).size(), 6u);
    for (std::int64_t s = 1; s <= 6; ++s) {
        const StepReport r = store.load_step(id, s);
        EXPECT_EQ(r.stage, s <= 3 ? Stage::sft : Stage::grpo) << s;
        if (s > 3) {
            for (const char* key : {metric::kReward, metric::kEntropy, metric::kFracRewardZeroStd,
                                    metric::kEvalAccuracy, "update_sequence_fraction"})
                EXPECT_TRUE(r.scalars.count(key)) << key << " at step " << s;
            EXPECT_FALSE(r.scalars.count(metric::kKl));  // the default KL weight is 0
            EXPECT_FALSE(r.rollouts.empty());
            EXPECT_GT(r.kv_cache_bytes, 0);
        }
    }
    // A checkpoint at each stage end, under out_dir.
    const std::vector<CheckpointInfo> cks = store.checkpoints(id);
    ASSERT_EQ(cks.size(), 2u);
    EXPECT_EQ(cks[0].step, 3);
    EXPECT_EQ(cks[1].step, 6);
    EXPECT_EQ(fs::path(cks[1].path),
              fs::absolute(dir + "/ckpt/run-" + std::to_string(id) + "/step-6"));
    EXPECT_EQ(load_checkpoint(cks[1].path).metadata.at("stage"), "grpo");
}

// The style metrics split the totals: accuracy and length are the think share's mixture of
// the thinking and the direct ones (a style nobody used counts 0, as it has no entry).
void expect_style_split(const StepReport& r, const char* share, const char* total_accuracy,
                        const char* accuracy_think, const char* accuracy_direct,
                        const char* total_length, const char* length_think,
                        const char* length_direct) {
    auto at = [&](const char* key) {
        const auto it = r.scalars.find(key);
        return it == r.scalars.end() ? 0.0 : it->second;
    };
    ASSERT_TRUE(r.scalars.count(share)) << share << " at step " << r.step;
    const double q = at(share);
    EXPECT_GE(q, 0.0);
    EXPECT_LE(q, 1.0);
    EXPECT_NEAR(at(total_accuracy), q * at(accuracy_think) + (1 - q) * at(accuracy_direct), 1e-9)
        << "step " << r.step;
    EXPECT_NEAR(at(total_length), q * at(length_think) + (1 - q) * at(length_direct), 1e-9)
        << "step " << r.step;
}

TEST(RunLoop, MixedStylesRecordStyleMetricsThatSplitTheTotals) {
    const std::string dir = fresh_dir("styles");
    TrainConfig c = tiny_config();
    c.pipeline = {Stage::sft, Stage::grpo};
    c.sft.steps = 3;
    c.task_options.styles = StyleMix{.worked = 1.0, .partial = 0.0, .direct = 1.0};
    RunLoop loop(c, dir + "/runs.db");
    ASSERT_EQ(loop.run(), RunStatus::completed) << loop.last_error();
    RunStore store(dir + "/runs.db");
    int evaluations = 0;
    for (const std::int64_t step : store.steps(loop.run_id())) {
        const StepReport r = store.load_step(loop.run_id(), step);
        if (r.stage == Stage::grpo)
            expect_style_split(r, metric::kThinkShare, metric::kRewardAccuracy,
                               metric::kRewardAccuracyThink, metric::kRewardAccuracyDirect,
                               metric::kMeanLength, metric::kMeanLengthThink,
                               metric::kMeanLengthDirect);
        if (!r.scalars.count(metric::kEvalAccuracy)) continue;
        ++evaluations;
        expect_style_split(r, metric::kEvalThinkShare, metric::kEvalAccuracy,
                           metric::kEvalAccuracyThink, metric::kEvalAccuracyDirect,
                           metric::kEvalMeanLength, metric::kEvalMeanLengthThink,
                           metric::kEvalMeanLengthDirect);
        expect_style_split(r, metric::kEvalSampledThinkShare, metric::kEvalSampledAccuracy,
                           metric::kEvalSampledAccuracyThink, metric::kEvalSampledAccuracyDirect,
                           metric::kEvalSampledMeanLength, metric::kEvalSampledMeanLengthThink,
                           metric::kEvalSampledMeanLengthDirect);
    }
    EXPECT_GE(evaluations, 4);

    // Worked traces only (every run before styles): no style metrics.
    const std::string plain_dir = fresh_dir("styles-plain");
    c.task_options.styles = StyleMix{};
    RunLoop plain(c, plain_dir + "/runs.db");
    ASSERT_EQ(plain.run(), RunStatus::completed) << plain.last_error();
    RunStore plain_store(plain_dir + "/runs.db");
    for (const char* key : {metric::kThinkShare, metric::kEvalThinkShare,
                            metric::kEvalSampledThinkShare, metric::kEvalSampledMeanLength})
        EXPECT_TRUE(plain_store.metric_series(plain.run_id(), key).empty()) << key;
}

TEST(RunLoop, StoppedRunResumesWithTheSameMetricsAsAnUninterruptedOne) {
    const std::string dir = fresh_dir("resume_stop");
    TrainConfig c = tiny_config();
    c.pipeline = {Stage::sft, Stage::grpo};
    c.sft.steps = 4;
    c.checkpoint_every = 3;

    RunLoop full(c, dir + "/full.db");
    ASSERT_EQ(full.run(), RunStatus::completed) << full.last_error();

    // Stop inside the GRPO stage after step 6: the stop writes a checkpoint at 6, and the
    // resumed GRPO stage must reload its frozen reference from the checkpoint at step 4.
    std::int64_t id = 0;
    {
        RunLoop loop(c, dir + "/parts.db");
        HookSink sink;
        sink.hook = [&](const StepReport& r) {
            if (r.step == 6) loop.request_cancel();
        };
        loop.add_sink(&sink);
        id = loop.create();
        ASSERT_EQ(loop.run(), RunStatus::stopped) << loop.last_error();
        EXPECT_EQ(sink.count.load(), 6);
    }
    {
        RunStore store(dir + "/parts.db");
        EXPECT_EQ(store.run(id).status, RunStatus::stopped);
        EXPECT_EQ(store.steps(id).size(), 6u);
        ASSERT_TRUE(store.latest_checkpoint(id));
        EXPECT_EQ(store.latest_checkpoint(id)->step, 6);
    }
    RunLoop resumed = RunLoop::resume(dir + "/parts.db", id);
    EXPECT_EQ(resumed.run_id(), id);
    EXPECT_EQ(resumed.config().to_json(), c.to_json());
    HookSink sink;
    resumed.add_sink(&sink);
    ASSERT_EQ(resumed.run(), RunStatus::completed) << resumed.last_error();
    EXPECT_EQ(sink.count.load(), 1);  // only step 7 was left
    expect_same_steps(dir + "/full.db", full.run_id(), dir + "/parts.db", id);
    RunStore store(dir + "/parts.db");
    EXPECT_EQ(store.run(id).status, RunStatus::completed);
    EXPECT_THROW(RunLoop::resume(dir + "/parts.db", id), Error);  // completed
}

TEST(RunLoop, CrashedRunResumesFromItsLastCheckpointAndRedoesLaterSteps) {
    const std::string dir = fresh_dir("resume_crash");
    TrainConfig c = tiny_config();
    c.checkpoint_every = 2;
    RunLoop full(c, dir + "/full.db");
    ASSERT_EQ(full.run(), RunStatus::completed) << full.last_error();

    // A sink that dies after step 3 was stored: like a crash, the store holds steps past the
    // last checkpoint (2), which the resume must delete and re-run.
    std::int64_t id = 0;
    {
        RunLoop loop(c, dir + "/parts.db");
        HookSink sink;
        sink.hook = [](const StepReport& r) {
            if (r.step == 3) throw std::runtime_error("sink died");
        };
        loop.add_sink(&sink);
        id = loop.create();
        ASSERT_EQ(loop.run(), RunStatus::failed);
        EXPECT_EQ(loop.last_error(), "sink died");
    }
    {
        RunStore store(dir + "/parts.db");
        EXPECT_EQ(store.run(id).status, RunStatus::failed);
        EXPECT_EQ(store.run(id).error, "sink died");
        EXPECT_EQ(store.steps(id).size(), 3u);
        EXPECT_EQ(store.latest_checkpoint(id)->step, 2);
    }
    RunLoop resumed = RunLoop::resume(dir + "/parts.db", id);
    HookSink sink;
    resumed.add_sink(&sink);
    ASSERT_EQ(resumed.run(), RunStatus::completed) << resumed.last_error();
    EXPECT_EQ(sink.reports.front().step, 3);
    expect_same_steps(dir + "/full.db", full.run_id(), dir + "/parts.db", id);
    EXPECT_EQ(RunStore(dir + "/parts.db").run(id).error, "");
}

TEST(RunLoop, NanParametersFailTheRunWithAMessageAndKeepEarlierSteps) {
    const std::string dir = fresh_dir("nan");
    TrainConfig c = tiny_config();
    c.checkpoint_every = 2;
    std::int64_t id = 0;
    {
        RunLoop loop(c, dir + "/runs.db");
        HookSink sink;
        sink.hook = [&](const StepReport& r) {
            if (r.step == 3) loop.request_cancel();
        };
        loop.add_sink(&sink);
        id = loop.create();
        ASSERT_EQ(loop.run(), RunStatus::stopped);
    }
    // Poison the checkpoint the resume starts from (step 3, written on stop).
    RunStore store(dir + "/runs.db");
    const CheckpointInfo last = *store.latest_checkpoint(id);
    ASSERT_EQ(last.step, 3);
    Checkpoint ck = load_checkpoint(last.path);
    // The final norm scales every position's hidden state: every logit becomes NaN.
    ck.params.ptr("model.norm.weight")[0] = std::numeric_limits<float>::quiet_NaN();
    OptimizerStateView opt{
        &ck.optimizer->exp_avg, &ck.optimizer->exp_avg_sq, ck.optimizer->step, {}};
    save_checkpoint(last.path, ck.params, ck.tokenizer, &opt, ck.metadata);

    RunLoop resumed = RunLoop::resume(dir + "/runs.db", id);
    ASSERT_EQ(resumed.run(), RunStatus::failed);
    const std::string error = resumed.last_error();
    EXPECT_TRUE(error.find("NaN") != std::string::npos ||
                error.find("non-finite") != std::string::npos ||
                error.find("Inf") != std::string::npos)
        << error;
    const RunInfo info = store.run(id);
    EXPECT_EQ(info.status, RunStatus::failed);
    EXPECT_EQ(info.error, error);
    EXPECT_EQ(store.steps(id), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(RunLoop, PauseHoldsBetweenStepsAndCancelStopsKeepingCompleteSteps) {
    const std::string dir = fresh_dir("pause");
    TrainConfig c = tiny_config();
    c.sft.steps = 50;
    RunLoop loop(c, dir + "/runs.db");
    HookSink sink;
    sink.hook = [&](const StepReport& r) {
        if (r.step == 2) loop.request_pause(true);
    };
    loop.add_sink(&sink);
    const std::int64_t id = loop.create();
    RunStatus status = RunStatus::running;
    std::thread worker([&] { status = loop.run(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (sink.count.load() < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_TRUE(loop.paused());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(sink.count.load(), 2);  // nothing ran while paused
    loop.request_pause(false);
    while (sink.count.load() < 4 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    loop.request_cancel();
    worker.join();
    EXPECT_EQ(status, RunStatus::stopped);
    const int done = sink.count.load();
    EXPECT_GE(done, 4);
    EXPECT_LT(done, 50);
    RunStore store(dir + "/runs.db");
    EXPECT_EQ(store.run(id).status, RunStatus::stopped);
    EXPECT_EQ(static_cast<int>(store.steps(id).size()), done);
    EXPECT_EQ(store.latest_checkpoint(id)->step, done);  // resumable from exactly there
}

TEST(RunLoop, CancelBeforeRunStopsWithoutSteps) {
    const std::string dir = fresh_dir("cancel_early");
    RunLoop loop(tiny_config(), dir + "/runs.db");
    loop.request_cancel();
    EXPECT_EQ(loop.run(), RunStatus::stopped);
    RunStore store(dir + "/runs.db");
    EXPECT_TRUE(store.steps(loop.run_id()).empty());
    EXPECT_EQ(store.run(loop.run_id()).status, RunStatus::stopped);
    // Nothing to resume from: it starts again from step 0.
    RunLoop resumed = RunLoop::resume(dir + "/runs.db", loop.run_id());
    ASSERT_TRUE(resumed.resume_point());
    EXPECT_EQ(resumed.resume_point()->step, 0);
    EXPECT_EQ(resumed.resume_point()->checkpoint, "");
    EXPECT_EQ(resumed.resume_point()->stored_after, 0);
    EXPECT_EQ(resumed.run(), RunStatus::completed) << resumed.last_error();
    EXPECT_EQ(store.steps(loop.run_id()).size(), 5u);
}

TEST(RunLoop, BadInputIsRefusedUpFront) {
    const std::string dir = fresh_dir("bad");
    TrainConfig c = tiny_config();
    c.sft.batch_size = 0;
    EXPECT_THROW(RunLoop(c, dir + "/runs.db"), ConfigError);
    try {
        RunLoop::resume(dir + "/missing.db", 1);
        FAIL() << "resume of a missing run must throw";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::not_found);
    }
}

TEST(RunLoop, ControlArmIsALinkedRunWithEqualTrainingTimeAndResumesWhole) {
    const std::string dir = fresh_dir("control");
    const std::string db = dir + "/runs.db";
    TrainConfig c = testing::control_arm_config();
    c.sft.batch_start_share = 0.5f;  // the main run's ramp; SFT continued has none
    c.sft.batch_ramp_share = 1.0f;

    // Cancel at the last GRPO step: the control run is created and stopped before its first
    // step, before its budget is measured. The resume replaces it by a complete one.
    std::int64_t id = 0, stopped_control = 0;
    {
        RunLoop loop(c, db);
        testing::StageClock clock;
        loop.set_clock(clock.clock.source());
        HookSink sink;
        sink.hook = [&](const StepReport& r) {
            if (r.step == 6) loop.request_cancel();
        };
        loop.add_sink(&clock);
        loop.add_sink(&sink);
        id = clock.main_run = loop.create();
        ASSERT_EQ(loop.run(), RunStatus::stopped) << loop.last_error();
        ASSERT_TRUE(loop.control_run_id());
        stopped_control = *loop.control_run_id();
        RunStore store(db);
        EXPECT_EQ(store.run(stopped_control).status, RunStatus::stopped);
        EXPECT_EQ(store.run(stopped_control).parent_run_id, id);
        EXPECT_TRUE(store.steps(stopped_control).empty());
        EXPECT_EQ(store.steps(id).size(), 6u);
    }
    RunLoop resumed = RunLoop::resume(db, id);
    testing::StageClock clock;
    clock.main_run = id;
    resumed.set_clock(clock.clock.source());
    resumed.add_sink(&clock);
    ASSERT_EQ(resumed.run(), RunStatus::completed) << resumed.last_error();
    ASSERT_TRUE(resumed.control_run_id());
    const std::int64_t control = *resumed.control_run_id();

    // The stopped control run was deleted (SQLite may hand its id to the new one).
    RunStore store(db);
    int control_runs = 0;
    for (const RunInfo& r : store.list_runs()) control_runs += r.kind == "control";
    EXPECT_EQ(control_runs, 1);
    EXPECT_EQ(store.list_runs().size(), 2u);
    const RunInfo info = store.run(control);
    EXPECT_EQ(info.kind, "control");
    EXPECT_EQ(info.parent_run_id, id);
    EXPECT_EQ(info.status, RunStatus::completed);
    EXPECT_EQ(info.name, "addition sft+grpo control (sft)");
    const TrainConfig cc = TrainConfig::from_json(nlohmann::json::parse(info.config_json));
    EXPECT_EQ(cc.sft.lr, c.grpo.lr);
    EXPECT_EQ(cc.sft.min_lr, c.grpo.lr);
    EXPECT_EQ(cc.sft.batch_start_share, 1.0f);
    EXPECT_EQ(cc.sft.cold_start_pool, 8);
    EXPECT_EQ(cc.sft.steps, 24);  // the budget, stored (testing::control_arm_config)
    EXPECT_THROW(RunLoop::resume(db, control), Error);

    // Steps continue from the GRPO start; every step is SFT.
    std::vector<std::int64_t> expected_steps;
    for (std::int64_t s = 4; s <= 27; ++s) expected_steps.push_back(s);
    EXPECT_EQ(store.steps(control), expected_steps);
    for (std::int64_t s : expected_steps) EXPECT_EQ(store.load_step(control, s).stage, Stage::sft);
    // Equal training time: the control's clock starts at the GRPO start's wall_time (0.375 s)
    // and ends at the GRPO stage's end (3.375 s).
    EXPECT_EQ(store.load_step(id, 6).wall_time, 3.375);
    EXPECT_EQ(store.load_step(control, 4).wall_time, 0.5);
    EXPECT_EQ(store.load_step(control, 27).wall_time, 3.375);
    // Evaluations where the control's share of the budget passes a GRPO evaluation's time,
    // the first one when the calibration ends, and at the end.
    EXPECT_EQ(metric_steps(store, id, metric::kEvalAccuracy),
              (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(metric_steps(store, control, metric::kEvalAccuracy),
              (std::vector<std::int64_t>{13, 19, 27}));
    ASSERT_TRUE(store.latest_checkpoint(control));
    EXPECT_EQ(store.latest_checkpoint(control)->step, 27);
}

}  // namespace
}  // namespace tinyseek
