// When periodic checkpoints are due (steps, training time, whichever first), which ones
// pruning keeps, and the control arm's step budget and evaluation steps, against values
// worked out by hand.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

#include "training/checkpoint_schedule.h"
#include "training/control_arm_budget.h"

namespace tinyseek {
namespace {

std::vector<std::int64_t> due_steps(CheckpointSchedule schedule, std::int64_t steps,
                                    double seconds_per_step) {
    std::vector<std::int64_t> out;
    for (std::int64_t s = 1; s <= steps; ++s) {
        const double clock = seconds_per_step * static_cast<double>(s);
        if (!schedule.due(s, clock)) continue;
        out.push_back(s);
        schedule.restart(clock);
    }
    return out;
}

TEST(CheckpointSchedule, StepTriggerFiresOnMultiplesOfTheGlobalStep) {
    EXPECT_EQ(due_steps(CheckpointSchedule(4, 0.0), 13, 1.0),
              (std::vector<std::int64_t>{4, 8, 12}));
    // Global steps, not steps since the last checkpoint: a run resumed at step 6 (time
    // trigger restarted there) still checkpoints at 8.
    CheckpointSchedule resumed(4, 0.0);
    resumed.restart(6.0);
    EXPECT_FALSE(resumed.due(7, 7.0));
    EXPECT_TRUE(resumed.due(8, 8.0));
}

TEST(CheckpointSchedule, TimeTriggerCountsTrainingSecondsSinceTheLastCheckpoint) {
    // 0.25 s per step, every 1 s: steps 4, 8, 12.
    EXPECT_EQ(due_steps(CheckpointSchedule(0, 1.0), 13, 0.25),
              (std::vector<std::int64_t>{4, 8, 12}));
    CheckpointSchedule s(0, 120.0);
    s.restart(100.0);
    EXPECT_FALSE(s.due(1, 219.9));
    EXPECT_TRUE(s.due(2, 220.0));
}

TEST(CheckpointSchedule, WhicheverComesFirst) {
    // Every 5 steps or 1 s at 0.25 s per step: 4 (1 s), 5 (step), 9 (1 s after 5), 10 (step),
    // 14 (time), 15 (step).
    EXPECT_EQ(due_steps(CheckpointSchedule(5, 1.0), 15, 0.25),
              (std::vector<std::int64_t>{4, 5, 9, 10, 14, 15}));
    // Both off: never.
    EXPECT_TRUE(due_steps(CheckpointSchedule(0, 0.0), 50, 10.0).empty());
}

TEST(CheckpointPruning, KeepsTheNewestPeriodicOnesAndEveryStageEnd) {
    const std::set<std::int64_t> stage_ends = {0, 7, 10};
    EXPECT_EQ(checkpoints_to_prune({0, 2, 4, 6, 7, 8, 10}, stage_ends, 2),
              (std::vector<std::int64_t>{2, 4}));
    EXPECT_EQ(checkpoints_to_prune({7, 2, 8, 4, 6}, stage_ends, 1),
              (std::vector<std::int64_t>{2, 4, 6}));
    // Not more than `keep` periodic ones: nothing to do.
    EXPECT_TRUE(checkpoints_to_prune({2, 7, 8}, stage_ends, 2).empty());
    // keep = 0 keeps all.
    EXPECT_TRUE(checkpoints_to_prune({2, 4, 6, 8}, stage_ends, 0).empty());
    // Stage ends alone are never pruned.
    EXPECT_TRUE(checkpoints_to_prune({0, 7, 10}, stage_ends, 1).empty());
}

TEST(ControlArmBudget, MeasuredAfterTheCalibrationStepsFromTheirMedian) {
    // GRPO took 40 s and evaluated at 5, 20 and 40 s. The first control step takes 3 s
    // (allocations), the next nine 1 s: after step 10 the clock is at 12 s, 28 s to go at the
    // median 1 s -> 38 steps. Evaluations at ceil(t * 38 / 40): 5 -> 4.75 -> 5, raised to
    // the calibration's end 10; 20 -> 19; 40 -> 38.
    ControlArmBudget b(40.0, {5.0, 20.0, 40.0}, ControlArmBudget::kUnknown);
    EXPECT_FALSE(b.known());
    double clock = 0.0;
    for (std::int64_t k = 1; k <= 9; ++k) {
        const double seconds = k == 1 ? 3.0 : 1.0;
        clock += seconds;
        EXPECT_FALSE(b.calibrate(k, seconds, clock)) << k;
        EXPECT_FALSE(b.evaluates(k));
        EXPECT_FALSE(b.done(k));
    }
    EXPECT_TRUE(b.calibrate(10, 1.0, clock + 1.0));
    ASSERT_TRUE(b.known());
    EXPECT_EQ(b.steps(), 38);
    std::vector<std::int64_t> evals;
    for (std::int64_t k = 1; k <= 40; ++k)
        if (b.evaluates(k)) evals.push_back(k);
    EXPECT_EQ(evals, (std::vector<std::int64_t>{10, 19, 38}));
    EXPECT_FALSE(b.done(37));
    EXPECT_TRUE(b.done(38));
    EXPECT_FALSE(b.calibrate(11, 1.0, 13.0));  // already fixed
    EXPECT_EQ(b.steps(), 38);

    // The stored budget gives the same schedule without calibrating.
    const ControlArmBudget stored(40.0, {5.0, 20.0, 40.0}, 38);
    ASSERT_TRUE(stored.known());
    for (std::int64_t k = 1; k <= 40; ++k) EXPECT_EQ(stored.evaluates(k), b.evaluates(k)) << k;
}

TEST(ControlArmBudget, EndsDuringTheCalibrationWhenTheGrpoStageWasShort) {
    // 2.5 s of GRPO at 1 s per step: after step 2 the clock (2 s) is within half a step of
    // the target, a third step would overshoot by more -> 2 steps, evaluated at the end.
    ControlArmBudget b(2.5, {2.5}, ControlArmBudget::kUnknown);
    EXPECT_FALSE(b.calibrate(1, 1.0, 1.0));
    EXPECT_TRUE(b.calibrate(2, 1.0, 2.0));
    EXPECT_EQ(b.steps(), 2);
    EXPECT_FALSE(b.evaluates(1));
    EXPECT_TRUE(b.evaluates(2));
    EXPECT_TRUE(b.done(2));
}

}  // namespace
}  // namespace tinyseek
