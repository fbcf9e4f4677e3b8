// The control arm (docs/ARCHITECTURE.md "Control arm"): what would more supervised training do
// with the same compute? From the checkpoint the GRPO stage started from, SFT continues on
// the same cold-start pool at the GRPO stage's (constant) learning rate until its TRAINING
// time equals the GRPO stage's training time. Both arms store training time as wall_time
// (run_loop.cpp) and the control's clock starts at the GRPO stage's starting wall_time, so
// their curves overlay on one wall-time axis; the control evaluates each time its clock
// passes the clock time of a GRPO evaluation, and once at its end. Its steps continue the
// numbering from the GRPO start step.
#include <algorithm>
#include <filesystem>

#include "core/errors.h"
#include "training/run_checkpoints.h"
#include "training/run_loop_impl.h"
#include "training/sft_trainer.h"

namespace tinyseek {

namespace {

// The control stops by time, not by count; the schedule is constant (peak = min), so the
// step budget only has to be out of reach.
constexpr std::int64_t kControlStepBudget = 100'000'000;

TrainConfig control_config(const TrainConfig& main) {
    TrainConfig c = main;
    c.name = main.display_name() + " control (sft)";
    c.pipeline = {Stage::sft};
    c.control.clear();
    c.sft.lr = main.grpo.lr;
    c.sft.min_lr = main.grpo.lr;
    c.sft.warmup_steps = 0;
    c.sft.steps = kControlStepBudget;
    return c;
}

// Marks the control run; the main run's handler reports the error that got us here, so a
// failure to store this status must not replace it.
void finish_quietly(RunStore& store, std::int64_t id, RunStatus status, const std::string& error) {
    try {
        store.finish(id, status, error);
    } catch (const std::exception&) {
    }
}

}  // namespace

void RunLoop::Impl::run_control_arm() {
    const StagePlan* grpo = grpo_plan();
    if (!grpo || adopt_finished_control_arm()) return;
    const ControlArmPlan plan = plan_control_arm(*grpo);
    const TrainConfig cc = control_config(config);
    const std::int64_t id = create_control_run(cc);
    try {
        train_control_arm(cc, id, plan);
        store->finish(id, RunStatus::completed);
    } catch (const Cancelled&) {
        finish_quietly(*store, id, RunStatus::stopped, "");
        throw;
    } catch (const std::exception& e) {
        finish_quietly(*store, id, RunStatus::failed, e.what());
        throw;
    }
}

bool RunLoop::Impl::adopt_finished_control_arm() {
    // An unfinished control arm (stopped or crashed) is re-run whole.
    for (const RunInfo& r : store->list_runs()) {
        if (r.kind != "control" || r.parent_run_id != run_id) continue;
        if (r.status == RunStatus::completed) {
            control_run_id = r.id;
            return true;
        }
        for (const CheckpointInfo& ck : store->checkpoints(r.id)) {
            std::error_code ec;
            std::filesystem::remove_all(ck.path, ec);  // best effort: only disk space
        }
        store->delete_run(r.id);
    }
    return false;
}

ControlArmPlan RunLoop::Impl::plan_control_arm(const StagePlan& grpo) const {
    ControlArmPlan plan;
    plan.start_step = grpo.start;
    plan.start_wall = stored_wall_time(run_id, grpo.start);
    plan.target = stored_wall_time(run_id, grpo.end) - plan.start_wall;
    for (const MetricPoint& p : store->metric_series(run_id, metric::kEvalAccuracy))
        if (p.step > grpo.start && p.step <= grpo.end)
            plan.eval_times.push_back(p.wall_time - plan.start_wall);
    plan.start_dir = checkpoint_at(run_id, grpo.start);
    if (plan.start_dir.empty())
        throw Error("control arm: run " + std::to_string(run_id) + " has no checkpoint at step " +
                    std::to_string(grpo.start) + ", where its GRPO stage started");
    return plan;
}

std::int64_t RunLoop::Impl::create_control_run(const TrainConfig& control) {
    NewRun run;
    run.name = control.display_name();
    run.kind = "control";
    run.config_json = control.to_json().dump();
    run.parent_run_id = run_id;
    const std::int64_t id = store->create_run(run);
    control_run_id = id;
    return id;
}

void RunLoop::Impl::train_control_arm(const TrainConfig& cc, std::int64_t id,
                                      const ControlArmPlan& plan) {
    TrainingState state(cc.model, cc.seed);
    load_training_checkpoint(plan.start_dir, state);
    SftTrainer trainer(cc, *task, plan.start_step);
    double clock = 0.0;
    std::size_t next_eval = 0;
    std::int64_t steps = 0;
    for (;;) {
        wait_while_paused("in the control arm before step " + std::to_string(state.step + 1));
        StepReport report = timed_step(trainer, state, id, Stage::sft, clock, plan.start_wall);
        ++steps;
        // Stop at the step that brings the clock closest to the target: once the clock is
        // within half a mean step of it, one more step would overshoot by more.
        const double mean_step = clock / double(steps);
        const bool done = clock >= plan.target - 0.5 * mean_step;
        bool eval = done;
        while (next_eval < plan.eval_times.size() && clock >= plan.eval_times[next_eval]) {
            eval = true;
            ++next_eval;
        }
        emit_step(report, state, eval, plan.target - clock, "control arm: evaluating");
        report_progress(id, Stage::sft, state.step, std::max(0.0, plan.target - clock),
                        "control arm");
        if (done) break;
    }
    save_checkpoint_of(id, state, Stage::sft);
}

}  // namespace tinyseek
