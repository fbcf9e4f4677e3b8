// Private to the RunLoop (training/run_loop.cpp, training/run_control_arm.cpp): its state and
// the pieces the main pipeline and the control arm share.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "training/checkpoint_schedule.h"
#include "training/run_loop.h"
#include "training/run_store.h"
#include "training/task.h"
#include "training/trainer.h"

namespace tinyseek {

// Metric of the seconds an evaluation took (the clock of `wall_time` excludes them).
inline constexpr const char* kEvalSecondsMetric = "eval_seconds";

// One stage of the pipeline as global step numbers: its steps are start+1 .. end.
struct StagePlan {
    Stage stage = Stage::sft;
    std::int64_t start = 0;  // global steps done when the stage begins
    std::int64_t end = 0;    // ... when it ends
    std::size_t index = 0;   // position in the pipeline
};

// The GRPO stage as stored, which the control arm matches.
struct ControlArmPlan {
    std::int64_t start_step = 0;     // the GRPO stage's first step - 1
    std::string start_dir;           // its checkpoint
    double start_wall = 0.0;         // training clock at the stage start
    double target = 0.0;             // training seconds of the stage
    std::vector<double> eval_times;  // training-clock seconds since the stage began
};

// The checkpoints of one run (the main run or its control arm): when the next periodic one
// is due, which are kept whatever their age, and the newest one written or loaded.
struct RunCheckpoints {
    std::int64_t run_id = 0;
    CheckpointSchedule schedule{0, 0.0};
    std::set<std::int64_t> kept_always;  // stage ends, and the step a GRPO stage starts from
    std::int64_t last_step = -1;         // -1 = none yet
};

struct RunLoop::Impl {
    TrainConfig config;
    std::string db_path;
    std::unique_ptr<RunStore> store;
    std::vector<StepSink*> sinks;
    std::function<void(const RunProgress&)> progress_callback;

    std::int64_t run_id = 0;
    std::optional<std::int64_t> control_run_id;
    bool resuming = false;  // made by RunLoop::resume: continue from the last checkpoint
    std::optional<ResumePoint> resume_point;
    std::string last_error;
    std::string last_checkpoint;
    RunCheckpoints main_checkpoints;  // of the main run

    std::atomic<bool> cancel{false};
    std::atomic<bool> paused{false};
    std::mutex pause_mutex;
    std::condition_variable pause_cv;

    // Built by run().
    std::shared_ptr<const Task> task;
    std::shared_ptr<const RewardEnvironment> env;  // of GRPO stages
    std::vector<Problem> eval_set;
    std::vector<Problem> bucket_top_up;  // extra held-out problems of rare buckets (difficulty.h)
    std::string checkpoint_root;
    std::vector<StagePlan> plans;
    std::int64_t total_steps = 0;

    // The time source (RunLoop::set_clock), the time run() began, and recent (elapsed
    // seconds, global step) samples for the progress rate.
    std::function<double()> clock;
    double started = 0.0;
    std::deque<std::pair<double, std::int64_t>> recent;

    // Blocks while paused (not while cancelled); throws Cancelled when cancel is raised.
    void wait_while_paused(const std::string& where);
    double now() const;
    double elapsed() const;

    // Greedy (and, with eval.sampled, sampled) held-out accuracy of `state` into `report`,
    // plus eval_seconds. Throws Cancelled when cancel is raised during generation.
    void evaluate_into(StepReport& report, const TrainingState& state);
    // Stores the report, then hands it to every sink.
    void emit(const StepReport& report);
    void report_progress(std::int64_t id, Stage stage, std::int64_t step, double eta_seconds,
                         const std::string& message);
    // Saves `state` as a checkpoint of run `ck.run_id`, registers it in the store, then prunes
    // the run's periodic checkpoints beyond config.checkpoint_keep.
    std::string save_checkpoint_of(RunCheckpoints& ck, const TrainingState& state, Stage stage);
    // Forgets the oldest periodic checkpoints beyond config.checkpoint_keep, then deletes their
    // directories (a kill in between leaves directories that resume sweeps away).
    void prune_checkpoints(const RunCheckpoints& ck);
    // Deletes the rows of run `id`'s steps after `step` and what a kill left in its
    // checkpoint folder (remove_unlisted_checkpoint_dirs).
    void discard_after(std::int64_t id, std::int64_t step);
    // wall_time stored with step `step` of run `id` (0 for step 0, which has no row).
    double stored_wall_time(std::int64_t id, std::int64_t step) const;
    const StagePlan* grpo_plan() const;
    // Directory of run `id`'s checkpoint at `step`, or empty.
    std::string checkpoint_at(std::int64_t id, std::int64_t step) const;

    // One trainer step on the training clock: `clock` grows by the step's seconds and the
    // report's wall_time is clock_start + clock.
    StepReport timed_step(StageTrainer& trainer, TrainingState& state, std::int64_t id, Stage stage,
                          double& clock, double clock_start);
    // Evaluates into the report when `evaluate` (progress `message`), then emits it. A cancel
    // during the evaluation still emits the complete step, then throws Cancelled.
    void emit_step(StepReport& report, const TrainingState& state, bool evaluate,
                   double eta_seconds, const std::string& message);

    // The phases of run() (run_loop.cpp).
    void plan_stages();  // plans, total_steps, checkpoint_root, main_checkpoints
    // When resuming: loads the latest checkpoint (none: the run starts again from step 0) and
    // deletes the steps stored after it. Returns the training clock it continues from.
    double restore(TrainingState& state);
    void prepare_task();  // task, eval_set, bucket_top_up, env
    ParamStore grpo_reference(const StagePlan& plan, const TrainingState& state);
    std::unique_ptr<StageTrainer> make_trainer(const StagePlan& plan, const TrainingState& state);
    void run_stage(const StagePlan& plan, TrainingState& state, double& clock);
    // Ends the run as stopped (checkpointing its last complete step) or failed; never throws.
    RunStatus stop(const TrainingState* state, Stage stage);
    RunStatus fail(const std::string& error);

    // The control arm (run_control_arm.cpp): SFT continued from the GRPO stage's starting
    // checkpoint on the same pool at the GRPO learning rate, for the GRPO stage's training
    // time, as a run linked to the main one. Does nothing when a completed one exists;
    // resumes an unfinished one whose step budget is stored; otherwise starts a new one.
    void run_control_arm();
    // The completed or resumable control run of this run, if any; deletes the others (those
    // interrupted before their budget was stored) with their checkpoints.
    std::optional<RunInfo> existing_control_run();
    ControlArmPlan plan_control_arm(const StagePlan& grpo) const;
    std::int64_t create_control_run(const TrainConfig& control);
    // Loads the control run's latest checkpoint, or the GRPO start's when it has none, and
    // deletes its steps after it. Returns the control's clock (seconds since the GRPO start).
    double restore_control_arm(RunCheckpoints& ck, const ControlArmPlan& plan,
                               TrainingState& state);
    void train_control_arm(TrainConfig& control, std::int64_t id, const ControlArmPlan& plan);
};

}  // namespace tinyseek
