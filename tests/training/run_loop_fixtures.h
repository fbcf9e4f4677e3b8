// What the RunLoop tests share: a scratch folder per test, a small two-stage config, a sink
// with a hook, a clock that advances by exact binary fractions, and comparisons of two stored
// runs that must be bit-identical (every stored step, timing metrics aside; the parameters
// and AdamW moments of a checkpoint).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "tests/fast_run_config.h"
#include "tests/same_bits.h"
#include "training/run_store.h"
#include "training/step_report.h"
#include "training/train_config.h"

namespace tinyseek::testing {

inline std::string fresh_dir(const std::string& name) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(TINYSEEK_TEST_TMP) / "run_loop" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

// tests/fast_run_config.h with a short GRPO stage and frequent evaluations; checkpoints only
// at stage ends unless a test asks for more.
inline TrainConfig tiny_config() {
    TrainConfig c = fast_run_config(5);
    c.grpo.steps = 3;
    c.grpo.prompts_per_step = 2;
    c.grpo.group_size = 3;
    c.grpo.warmup_steps = 1;
    c.eval.n = 6;
    c.eval.every_sft = 2;
    c.eval.every_grpo = 1;
    c.threads = 2;
    c.seed = 11;
    c.checkpoint_every = 0;
    c.checkpoint_every_seconds = 0;
    return c;
}

// Counts steps and runs a hook on each (on the run() thread).
struct HookSink : StepSink {
    std::atomic<int> count{0};
    std::vector<StepReport> reports;
    std::function<void(const StepReport&)> hook;
    void on_step(const StepReport& r) override {
        reports.push_back(r);
        ++count;
        if (hook) hook(r);
    }
};

// A RunLoop clock (RunLoop::set_clock) that advances by `tick` seconds at every reading, so
// every trainer step takes exactly `tick` of training time. Ticks that are binary fractions
// (0.125, 1) keep every sum exact.
struct TickingClock {
    double now = 0.0;
    double tick = 0.125;
    std::function<double()> source() {
        return [this] { return now += tick; };
    }
};

// A pipeline with the control arm on an exact training clock (StageClock): SFT steps 1-3 and
// the control arm's steps take 0.125 s, GRPO steps 4-6 take 1 s and evaluate after each step.
// So the control arm's budget is its 10 calibration steps (1.25 s) plus 1.75 s / 0.125 s = 24
// steps, ending at the GRPO stage's 3 s, and it evaluates after its steps 10 (the GRPO
// evaluation at 1 s falls inside the calibration), 16 (2 s) and 24 (3 s): global steps 13, 19
// and 27.
inline TrainConfig control_arm_config() {
    TrainConfig c = tiny_config();
    c.pipeline = {Stage::sft, Stage::grpo};
    c.sft.steps = 3;
    c.sft.cold_start_pool = 8;
    c.sft.batch_size = 2;
    c.grpo.steps = 3;
    c.control = "sft";
    return c;
}

// The RunLoop clock of control_arm_config(): 1 s per step while the main run is in its GRPO
// stage (steps 4-6), 0.125 s otherwise. A sink, because a step's report tells which step
// comes next.
struct StageClock : StepSink {
    TickingClock clock;
    std::int64_t main_run = 0;
    double sft_tick = 0.125;  // a test may slow the SFT steps down (set clock.tick too)
    void on_step(const StepReport& r) override {
        const bool grpo_next = r.run_id == main_run && r.step >= 3 && r.step < 6;
        clock.tick = grpo_next ? 1.0 : sft_tick;
    }
};

// Every stored step of run `a` in `db_a` equals that of run `b` in `db_b`: scalars (timing
// metrics aside), expert matrices and rollouts.
inline void expect_same_steps(const std::string& db_a, std::int64_t a, const std::string& db_b,
                              std::int64_t b) {
    RunStore sa(db_a), sb(db_b);
    const std::vector<std::int64_t> steps = sa.steps(a);
    ASSERT_EQ(steps, sb.steps(b));
    for (std::int64_t s : steps) {
        const StepReport ra = sa.load_step(a, s), rb = sb.load_step(b, s);
        EXPECT_EQ(ra.stage, rb.stage) << "step " << s;
        std::size_t compared = 0;
        for (const auto& [key, value] : ra.scalars) {
            if (metric::is_timing(key)) continue;
            ASSERT_TRUE(rb.scalars.count(key)) << key << " at step " << s;
            EXPECT_EQ(value, rb.scalars.at(key)) << key << " at step " << s;
            ++compared;
        }
        EXPECT_GT(compared, 3u);
        EXPECT_EQ(ra.scalars.size(), rb.scalars.size()) << "step " << s;
        EXPECT_EQ(ra.expert_load, rb.expert_load) << "step " << s;
        EXPECT_EQ(ra.router_bias, rb.router_bias) << "step " << s;
        EXPECT_EQ(ra.rollouts, rb.rollouts) << "step " << s;
    }
}

// The checkpoints `a` and `b` hold the same parameters, AdamW moments and step count, bit for
// bit.
inline void expect_same_checkpoint(const std::string& a, const std::string& b) {
    const Checkpoint ca = load_checkpoint(a), cb = load_checkpoint(b);
    EXPECT_TRUE(same_bits(ca.params.data(), cb.params.data())) << a << " vs " << b;
    ASSERT_TRUE(ca.optimizer && cb.optimizer);
    EXPECT_TRUE(same_bits(ca.optimizer->exp_avg.data(), cb.optimizer->exp_avg.data()));
    EXPECT_TRUE(same_bits(ca.optimizer->exp_avg_sq.data(), cb.optimizer->exp_avg_sq.data()));
    EXPECT_EQ(ca.optimizer->step, cb.optimizer->step);
}

inline std::vector<std::int64_t> checkpoint_steps(const RunStore& store, std::int64_t run) {
    std::vector<std::int64_t> out;
    for (const CheckpointInfo& ck : store.checkpoints(run)) out.push_back(ck.step);
    return out;
}

}  // namespace tinyseek::testing
