// The control arm (docs/ARCHITECTURE.md "Control arm"): what would more supervised training do
// with the same compute? From the checkpoint the GRPO stage started from, SFT continues on
// the same cold-start pool at the GRPO stage's (constant) learning rate for the GRPO stage's
// TRAINING time. Both arms store training time as wall_time (run_loop.cpp) and the control's
// clock starts at the GRPO stage's starting wall_time, so their curves overlay on one
// wall-time axis. The time is turned into a step budget once, early in the control arm, and
// stored with it (training/control_arm_budget.h), which also fixes where it evaluates; so an
// interrupted control arm resumes from its checkpoints like any run and ends as it would have.
// Its steps continue the numbering from the GRPO start step.
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/errors.h"
#include "training/control_arm_budget.h"
#include "training/run_checkpoints.h"
#include "training/run_loop_impl.h"
#include "training/sft_trainer.h"

namespace tinyseek {

namespace {

// The schedule is constant (peak = min); the step budget is measured as the control arm runs.
TrainConfig control_config(const TrainConfig& main) {
    TrainConfig c = main;
    c.name = main.display_name() + " control (sft)";
    c.pipeline = {Stage::sft};
    c.control.clear();
    c.sft.lr = main.grpo.lr;
    c.sft.min_lr = main.grpo.lr;
    c.sft.warmup_steps = 0;
    c.sft.batch_start_share = 1.0f;  // SFT continued: full batches from its first step
    c.sft.steps = ControlArmBudget::kUnknown;
    return c;
}

// The stored config of a control run, or nothing when it is unreadable.
std::optional<TrainConfig> stored_config(const RunInfo& run) {
    try {
        return TrainConfig::from_json(nlohmann::json::parse(run.config_json));
    } catch (const std::exception&) {
        return std::nullopt;
    }
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
    if (!grpo) return;
    const std::optional<RunInfo> existing = existing_control_run();
    if (existing && existing->status == RunStatus::completed) {
        control_run_id = existing->id;
        return;
    }
    const ControlArmPlan plan = plan_control_arm(*grpo);
    TrainConfig cc = existing ? *stored_config(*existing) : control_config(config);
    const std::int64_t id = existing ? existing->id : create_control_run(cc);
    if (existing) {
        control_run_id = id;
        store->set_status(id, RunStatus::running);
    }
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

std::optional<RunInfo> RunLoop::Impl::existing_control_run() {
    std::optional<RunInfo> kept;
    for (const RunInfo& r : store->list_runs()) {
        if (r.kind != "control" || r.parent_run_id != run_id) continue;
        const std::optional<TrainConfig> stored = stored_config(r);
        const bool usable = r.status == RunStatus::completed ||
                            (stored && stored->sft.steps != ControlArmBudget::kUnknown);
        if (usable && !kept) {
            kept = r;
            continue;
        }
        // Interrupted before its budget was stored: its steps cannot be matched, re-run it.
        for (const CheckpointInfo& ck : store->checkpoints(r.id)) {
            std::error_code ec;
            std::filesystem::remove_all(ck.path, ec);  // best effort: only disk space
        }
        store->delete_run(r.id);
    }
    return kept;
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

double RunLoop::Impl::restore_control_arm(RunCheckpoints& ck, const ControlArmPlan& plan,
                                          TrainingState& state) {
    const auto latest = store->latest_checkpoint(ck.run_id);
    discard_after(ck.run_id, latest ? latest->step : plan.start_step);
    load_training_checkpoint(latest ? latest->path : plan.start_dir, state);
    if (!latest) return 0.0;
    ck.last_step = latest->step;
    const double clock = stored_wall_time(ck.run_id, latest->step) - plan.start_wall;
    ck.schedule.restart(clock);
    return clock;
}

void RunLoop::Impl::train_control_arm(TrainConfig& cc, std::int64_t id,
                                      const ControlArmPlan& plan) {
    RunCheckpoints ck;
    ck.run_id = id;
    ck.schedule =
        CheckpointSchedule(cc.checkpoint_every, static_cast<double>(cc.checkpoint_every_seconds));
    ControlArmBudget budget(plan.target, plan.eval_times, cc.sft.steps);
    if (budget.known()) ck.kept_always = {plan.start_step + budget.steps()};
    TrainingState state(cc.model, cc.seed);
    double clock = restore_control_arm(ck, plan, state);
    SftTrainer trainer(cc, *task, plan.start_step);
    try {
        while (!budget.done(state.step - plan.start_step)) {
            wait_while_paused("in the control arm before step " + std::to_string(state.step + 1));
            const double before = clock;
            StepReport report = timed_step(trainer, state, id, Stage::sft, clock, plan.start_wall);
            const std::int64_t k = state.step - plan.start_step;
            if (budget.calibrate(k, clock - before, clock)) {
                cc.sft.steps = budget.steps();
                store->set_config(id, cc.to_json().dump());
                ck.kept_always = {plan.start_step + budget.steps()};
            }
            emit_step(report, state, budget.evaluates(k), plan.target - clock,
                      "control arm: evaluating");
            report_progress(id, Stage::sft, state.step, std::max(0.0, plan.target - clock),
                            "control arm");
            // No checkpoint before the budget is stored: it could not be resumed.
            if (budget.known() && !budget.done(k) && ck.schedule.due(state.step, clock)) {
                save_checkpoint_of(ck, state, Stage::sft);
                ck.schedule.restart(clock);
            }
        }
        if (ck.last_step != state.step) save_checkpoint_of(ck, state, Stage::sft);
    } catch (const Cancelled&) {
        // Stopped: keep the last complete step resumable, as the main run does.
        if (budget.known() && state.step > std::max(ck.last_step, plan.start_step)) {
            try {
                save_checkpoint_of(ck, state, Stage::sft);
            } catch (const std::exception&) {
                // The stop itself is what the caller reports; this only loses some steps.
            }
        }
        throw;
    }
}

}  // namespace tinyseek
