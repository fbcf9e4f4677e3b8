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
    if (!grpo) return;

    // A finished control arm stays; an unfinished one (stopped or crashed) is re-run whole.
    for (const RunInfo& r : store->list_runs()) {
        if (r.kind != "control" || r.parent_run_id != run_id) continue;
        if (r.status == RunStatus::completed) {
            control_run_id = r.id;
            return;
        }
        for (const CheckpointInfo& ck : store->checkpoints(r.id)) {
            std::error_code ec;
            std::filesystem::remove_all(ck.path, ec);  // best effort: only disk space
        }
        store->delete_run(r.id);
    }

    // The GRPO stage as stored: its training time, evaluation times and starting checkpoint.
    const double start_wall = stored_wall_time(run_id, grpo->start);
    const double target = stored_wall_time(run_id, grpo->end) - start_wall;
    std::vector<double> eval_times;  // training-clock seconds since the GRPO stage began
    for (const MetricPoint& p : store->metric_series(run_id, metric::kEvalAccuracy))
        if (p.step > grpo->start && p.step <= grpo->end)
            eval_times.push_back(p.wall_time - start_wall);
    std::string start_dir;
    for (const CheckpointInfo& ck : store->checkpoints(run_id))
        if (ck.step == grpo->start) start_dir = ck.path;
    if (start_dir.empty())
        throw Error("control arm: run " + std::to_string(run_id) + " has no checkpoint at step " +
                    std::to_string(grpo->start) + ", where its GRPO stage started");

    const TrainConfig cc = control_config(config);
    NewRun run;
    run.name = cc.display_name();
    run.kind = "control";
    run.config_json = cc.to_json().dump();
    run.parent_run_id = run_id;
    const std::int64_t id = store->create_run(run);
    control_run_id = id;

    try {
        TrainingState state(cc.model, cc.seed);
        load_training_checkpoint(start_dir, state);
        SftTrainer trainer(cc, *task, grpo->start);
        double clock = 0.0;
        std::size_t next_eval = 0;
        std::int64_t steps = 0;
        for (;;) {
            wait_while_paused("in the control arm before step " + std::to_string(state.step + 1));
            StepReport report;
            const auto t0 = std::chrono::steady_clock::now();
            trainer.step(state, report, &cancel);
            clock += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            ++steps;
            report.run_id = id;
            report.step = state.step;
            report.wall_time = start_wall + clock;
            report.stage = Stage::sft;
            // Stop at the step that brings the clock closest to the target: once the clock
            // is within half a mean step of it, one more step would overshoot by more.
            const double mean_step = clock / double(steps);
            const bool done = clock >= target - 0.5 * mean_step;
            bool eval = done;
            while (next_eval < eval_times.size() && clock >= eval_times[next_eval]) {
                eval = true;
                ++next_eval;
            }
            bool stop_after = false;
            if (eval) {
                report_progress(id, Stage::sft, state.step, target - clock,
                                "control arm: evaluating");
                try {
                    evaluate_into(report, state);
                } catch (const Cancelled&) {
                    stop_after = true;
                }
            }
            emit(report);
            if (stop_after) throw Cancelled("control arm cancelled during evaluation");
            report_progress(id, Stage::sft, state.step, std::max(0.0, target - clock),
                            "control arm");
            if (done) break;
        }
        save_checkpoint_of(id, state, Stage::sft);
        store->finish(id, RunStatus::completed);
    } catch (const Cancelled&) {
        finish_quietly(*store, id, RunStatus::stopped, "");
        throw;
    } catch (const std::exception& e) {
        finish_quietly(*store, id, RunStatus::failed, e.what());
        throw;
    }
}

}  // namespace tinyseek
