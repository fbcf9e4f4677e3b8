// Periodic checkpoints and resume at the RunLoop level: which checkpoints a run keeps (rows
// and folders), the time trigger on an injected clock, and runs interrupted at every step
// (from a periodic checkpoint, before the first checkpoint, inside the control arm) that end
// bit-identical to the same run uninterrupted.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "tests/training/run_loop_fixtures.h"
#include "training/run_loop.h"
#include "training/run_store.h"

namespace tinyseek {
namespace {

namespace fs = std::filesystem;
using namespace testing;

// SFT steps 1-6, GRPO steps 7-10, a periodic checkpoint every 2 steps, 2 kept.
TrainConfig periodic_config() {
    TrainConfig c = tiny_config();
    c.pipeline = {Stage::sft, Stage::grpo};
    c.sft.steps = 6;
    c.grpo.steps = 4;
    c.checkpoint_every = 2;
    c.checkpoint_keep = 2;
    return c;
}

std::vector<std::string> step_dirs(const std::string& run_dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(run_dir)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
}

// Runs `c` into `db` until the sink dies after step `crash_step` of run `crash_run` (0 = the
// main run), as a crash would leave it: steps stored up to there, status running or failed.
std::int64_t crashed_run(const TrainConfig& c, const std::string& db, std::int64_t crash_step,
                         StageClock* clock = nullptr, bool crash_in_control = false) {
    RunLoop loop(c, db);
    HookSink sink;
    std::int64_t id = 0;
    sink.hook = [&](const StepReport& r) {
        if (r.step == crash_step && (r.run_id == id) != crash_in_control)
            throw std::runtime_error("killed");
    };
    if (clock) {
        loop.set_clock(clock->clock.source());
        loop.add_sink(clock);
    }
    loop.add_sink(&sink);
    id = loop.create();
    if (clock) clock->main_run = id;
    EXPECT_EQ(loop.run(), RunStatus::failed);
    EXPECT_EQ(loop.last_error(), "killed");
    return id;
}

TEST(RunResume, PeriodicCheckpointsKeepTheNewestAndEveryStageEnd) {
    const std::string dir = fresh_dir("resume_prune");
    const std::string db = dir + "/runs.db";
    RunLoop loop(periodic_config(), db);
    ASSERT_EQ(loop.run(), RunStatus::completed) << loop.last_error();
    // Written: 2, 4, 6 (also the SFT end and the GRPO start), 8, 10 (the end). Periodic ones
    // kept: the newest two of 2, 4, 8 -> 4, 8.
    RunStore store(db);
    EXPECT_EQ(checkpoint_steps(store, loop.run_id()), (std::vector<std::int64_t>{4, 6, 8, 10}));
    const std::string run_dir = dir + "/runs-checkpoints/run-" + std::to_string(loop.run_id());
    EXPECT_EQ(step_dirs(run_dir),
              (std::vector<std::string>{"step-10", "step-4", "step-6", "step-8"}));
    for (const CheckpointInfo& ck : store.checkpoints(loop.run_id()))
        EXPECT_TRUE(is_checkpoint_dir(ck.path)) << ck.path;
}

TEST(RunResume, TimeTriggerRunsOnTheTrainingClock) {
    const std::string dir = fresh_dir("resume_time");
    TrainConfig c = tiny_config();
    c.sft.steps = 10;
    c.checkpoint_every = 5;
    c.checkpoint_every_seconds = 1;
    c.checkpoint_keep = 0;
    RunLoop loop(c, dir + "/runs.db");
    TickingClock clock;
    clock.tick = 0.25;  // every step takes 0.25 s of training, evaluations nothing
    loop.set_clock(clock.source());
    ASSERT_EQ(loop.run(), RunStatus::completed) << loop.last_error();
    RunStore store(dir + "/runs.db");
    // 1 s after the start (step 4), step 5, 1 s after that (9), step 10 (also the end).
    EXPECT_EQ(checkpoint_steps(store, loop.run_id()), (std::vector<std::int64_t>{4, 5, 9, 10}));
    EXPECT_EQ(store.load_step(loop.run_id(), 9).wall_time, 2.25);
}

TEST(RunResume, ARunCrashedAtAnyStepResumesToTheUninterruptedResultBitForBit) {
    const std::string dir = fresh_dir("resume_every_step");
    const TrainConfig c = periodic_config();
    RunLoop full(c, dir + "/full.db");
    ASSERT_EQ(full.run(), RunStatus::completed) << full.last_error();
    const RunStore reference(dir + "/full.db");

    for (std::int64_t crash = 1; crash <= 9; ++crash) {
        SCOPED_TRACE("crashed after step " + std::to_string(crash));
        const std::string db = dir + "/crash" + std::to_string(crash) + ".db";
        const std::int64_t id = crashed_run(c, db, crash);
        RunLoop resumed = RunLoop::resume(db, id);
        ASSERT_TRUE(resumed.resume_point());
        const ResumePoint point = *resumed.resume_point();
        // The crash came after the step was stored, before its checkpoint: the resume starts
        // from the checkpoint before (every 2 steps; none before step 3).
        std::int64_t expected = 0;
        for (std::int64_t s : {2, 4, 6, 8})
            if (s < crash) expected = s;
        EXPECT_EQ(point.step, expected);
        EXPECT_EQ(point.stored_after, crash - point.step);
        HookSink sink;
        resumed.add_sink(&sink);
        ASSERT_EQ(resumed.run(), RunStatus::completed) << resumed.last_error();
        ASSERT_FALSE(sink.reports.empty());
        EXPECT_EQ(sink.reports.front().step, point.step + 1);
        expect_same_steps(dir + "/full.db", full.run_id(), db, id);
        RunStore store(db);
        EXPECT_EQ(checkpoint_steps(store, id), checkpoint_steps(reference, full.run_id()));
        expect_same_checkpoint(reference.latest_checkpoint(full.run_id())->path,
                               store.latest_checkpoint(id)->path);
        EXPECT_EQ(store.run(id).error, "");
    }
}

TEST(RunResume, ARunCrashedBeforeItsFirstCheckpointStartsAgainFromStepZero) {
    const std::string dir = fresh_dir("resume_from_zero");
    const TrainConfig c = tiny_config();  // checkpoints only at stage ends
    RunLoop full(c, dir + "/full.db");
    ASSERT_EQ(full.run(), RunStatus::completed) << full.last_error();

    const std::int64_t id = crashed_run(c, dir + "/parts.db", 3);
    RunLoop resumed = RunLoop::resume(dir + "/parts.db", id);
    ASSERT_TRUE(resumed.resume_point());
    EXPECT_EQ(resumed.resume_point()->step, 0);
    EXPECT_EQ(resumed.resume_point()->checkpoint, "");
    EXPECT_EQ(resumed.resume_point()->stored_after, 3);
    EXPECT_EQ(resumed.config().to_json(), c.to_json());  // the stored configuration
    HookSink sink;
    resumed.add_sink(&sink);
    ASSERT_EQ(resumed.run(), RunStatus::completed) << resumed.last_error();
    EXPECT_EQ(sink.reports.front().step, 1);
    EXPECT_EQ(sink.count.load(), 5);
    expect_same_steps(dir + "/full.db", full.run_id(), dir + "/parts.db", id);
    expect_same_checkpoint(RunStore(dir + "/full.db").latest_checkpoint(full.run_id())->path,
                           RunStore(dir + "/parts.db").latest_checkpoint(id)->path);
}

TEST(RunResume, ResumeRemovesWhatAKillLeftInTheRunsCheckpointFolder) {
    const std::string dir = fresh_dir("resume_sweep");
    const std::string db = dir + "/runs.db";
    TrainConfig c = tiny_config();
    c.checkpoint_every = 2;
    const std::int64_t id = crashed_run(c, db, 3);  // checkpoint at 2, step 3 stored
    const std::string run_dir = dir + "/runs-checkpoints/run-" + std::to_string(id);
    // A checkpoint written but not recorded (step 4), one recorded and being pruned (1), the
    // temp and backup folders of interrupted saves, and things that are not ours.
    fs::copy(run_dir + "/step-2", run_dir + "/step-4", fs::copy_options::recursive);
    fs::copy(run_dir + "/step-2", run_dir + "/step-1", fs::copy_options::recursive);
    fs::create_directories(run_dir + "/step-3.tmp-Ab12Cd/x");
    fs::create_directories(run_dir + "/step-2.old-Zz99Yy");
    fs::create_directories(run_dir + "/notes");
    fs::create_directories(run_dir + "/step-x");
    std::ofstream(run_dir + "/step-7") << "a file, not a checkpoint folder";

    RunLoop resumed = RunLoop::resume(db, id);
    ASSERT_EQ(resumed.run(), RunStatus::completed) << resumed.last_error();
    EXPECT_EQ(step_dirs(run_dir), (std::vector<std::string>{"notes", "step-2", "step-4", "step-5",
                                                            "step-7", "step-x"}));
    EXPECT_EQ(checkpoint_steps(RunStore(db), id), (std::vector<std::int64_t>{2, 4, 5}));
}

TEST(RunResume, RunsStoredWithoutCheckpointKeepKeepEveryCheckpoint) {
    const std::string dir = fresh_dir("resume_legacy");
    const std::string db = dir + "/runs.db";
    TrainConfig c = tiny_config();
    c.sft.steps = 8;
    c.checkpoint_every = 1;
    c.checkpoint_keep = 1;
    const std::int64_t id = crashed_run(c, db, 3);
    {
        // As a run stored before checkpoint_keep existed.
        nlohmann::json j = c.to_json();
        j.erase("checkpoint_keep");
        j.erase("checkpoint_every_seconds");
        RunStore(db).set_config(id, j.dump());
    }
    RunLoop resumed = RunLoop::resume(db, id);
    EXPECT_EQ(resumed.config().checkpoint_keep, 0);
    ASSERT_EQ(resumed.run(), RunStatus::completed) << resumed.last_error();
    // Steps 1-2 ran with checkpoint_keep = 1 (only 2 left); from step 3 on, all are kept.
    EXPECT_EQ(checkpoint_steps(RunStore(db), id), (std::vector<std::int64_t>{2, 3, 4, 5, 6, 7, 8}));
}

// The control arm interrupted before its budget is measured (re-run whole), after it but
// before its first checkpoint (restarts from the GRPO start with the stored budget), and
// later (resumes from its checkpoint): always the uninterrupted run's result.
TEST(RunResume, AControlArmResumesWithItsStoredBudgetToTheUninterruptedResult) {
    const std::string dir = fresh_dir("resume_control");
    TrainConfig c = control_arm_config();
    c.checkpoint_every = 6;  // control checkpoints at global steps 18 and 24 (and 27, its end)
    c.checkpoint_keep = 1;
    std::int64_t full_id = 0;
    {
        RunLoop full(c, dir + "/full.db");
        StageClock clock;
        full.set_clock(clock.clock.source());
        full.add_sink(&clock);
        full_id = clock.main_run = full.create();
        ASSERT_EQ(full.run(), RunStatus::completed) << full.last_error();
    }
    const RunStore reference(dir + "/full.db");
    const std::int64_t full_control = 2;
    ASSERT_EQ(reference.run(full_control).parent_run_id, full_id);
    EXPECT_EQ(checkpoint_steps(reference, full_control), (std::vector<std::int64_t>{24, 27}));

    // Control steps are global steps 4-27: 8 is inside the calibration (steps 4-13), 15
    // after it and before the first control checkpoint (18), 26 after the one at 24.
    for (std::int64_t crash : {8, 15, 26}) {
        SCOPED_TRACE("control arm crashed after global step " + std::to_string(crash));
        const std::string db = dir + "/crash" + std::to_string(crash) + ".db";
        StageClock first;
        const std::int64_t id = crashed_run(c, db, crash, &first, true);
        RunLoop resumed = RunLoop::resume(db, id);
        // Once the budget is stored, a slower machine after the resume changes nothing; before
        // (8), the control arm is measured again, on the same clock.
        StageClock clock;
        clock.main_run = id;
        clock.sft_tick = clock.clock.tick = crash == 8 ? 0.125 : 0.25;
        resumed.set_clock(clock.clock.source());
        resumed.add_sink(&clock);
        ASSERT_EQ(resumed.run(), RunStatus::completed) << resumed.last_error();
        ASSERT_TRUE(resumed.control_run_id());
        const std::int64_t control = *resumed.control_run_id();
        expect_same_steps(dir + "/full.db", full_id, db, id);
        expect_same_steps(dir + "/full.db", full_control, db, control);
        RunStore store(db);
        EXPECT_EQ(
            TrainConfig::from_json(nlohmann::json::parse(store.run(control).config_json)).sft.steps,
            24);
        expect_same_checkpoint(reference.latest_checkpoint(full_control)->path,
                               store.latest_checkpoint(control)->path);
        int control_runs = 0;
        for (const RunInfo& r : store.list_runs()) control_runs += r.kind == "control";
        EXPECT_EQ(control_runs, 1);
    }
}

}  // namespace
}  // namespace tinyseek
