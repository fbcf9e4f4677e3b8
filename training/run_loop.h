// RunLoop: executes a training run (a pipeline of stages, e.g. sft then grpo, plus the
// optional control arm) against a RunStore, one step at a time:
//
//   for each stage: build its trainer; for each step:
//       wait while paused; stop if cancelled
//       trainer.step(state, report)            (NumericError -> run failed, steps kept)
//       evaluate on the held-out set every N steps and at the stage end (into the report)
//       store.append_step(report); every sink.on_step(report); progress callback
//       checkpoint at the stage end, and periodically (checkpoint_every steps or
//       checkpoint_every_seconds of training, whichever comes first; older periodic
//       checkpoints beyond checkpoint_keep are deleted)
//
// A stopped or crashed run resumes from its last checkpoint, or from step 0 when it has
// none: the rows of later steps are deleted (RunStore::truncate_after) and re-run. Trainers
// draw their data as a pure function of (seed, global step), so with the same seed and
// thread count a resumed run produces the same parameters and metrics as an uninterrupted
// one, bit for bit (docs/ARCHITECTURE.md "Checkpoints and resume").
//
// Threading: run() executes on the calling thread (the GUI calls it from a worker thread)
// with OpenMP inside the steps. request_pause / request_cancel may be called from any thread;
// cancel is also honoured inside generation. The progress callback and sinks run on the
// run() thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "training/run_store.h"
#include "training/step_report.h"
#include "training/train_config.h"

namespace tinyseek {

struct RunProgress {
    std::int64_t run_id = 0;  // the run the current step belongs to (control arm too)
    Stage stage = Stage::sft;
    std::int64_t step = 0;          // global steps done
    std::int64_t total_steps = 0;   // of the whole pipeline (control arm excluded)
    double elapsed_seconds = 0.0;   // since run() started
    double steps_per_second = 0.0;  // recent rate
    double eta_seconds = 0.0;       // remaining, at the recent rate (-1 = unknown)
    std::string message;            // e.g. "evaluating", "checkpointing", "control arm"
};

// Where a resumed run continues.
struct ResumePoint {
    std::int64_t step = 0;          // of its latest checkpoint; 0 = none: it starts again
    std::string checkpoint;         // that checkpoint's directory (empty for none)
    std::int64_t stored_after = 0;  // stored steps after `step`, which run() deletes and redoes
};

class RunLoop {
  public:
    // Validates `config` (ConfigError) and opens its own RunStore on `db_path`.
    RunLoop(TrainConfig config, const std::string& db_path);
    // Continues run `run_id` of `db_path` with the config stored in the run: from its latest
    // checkpoint, or from step 0 when it was interrupted before its first one. Throws
    // StoreError(not_found), Error for a completed run or a control arm, ConfigError for an
    // unreadable stored config.
    static RunLoop resume(const std::string& db_path, std::int64_t run_id);
    ~RunLoop();
    RunLoop(RunLoop&&) noexcept;

    // Sinks receive every stored step (not owned; must outlive run()).
    void add_sink(StepSink* sink);
    void set_progress_callback(std::function<void(const RunProgress&)> callback);

    // Creates the run row (status running) if not yet created; returns its id.
    std::int64_t create();
    // Runs to the end. Returns completed, stopped (cancelled; last complete step kept) or
    // failed (the error is stored with the run and in last_error()). Never throws for
    // training failures; throws only when the store itself cannot be written at the start.
    RunStatus run();

    void request_pause(bool paused);  // thread-safe
    void request_cancel();            // thread-safe
    bool paused() const;

    std::int64_t run_id() const;  // 0 before create()
    std::optional<std::int64_t> control_run_id() const;
    const TrainConfig& config() const;
    const std::string& last_error() const;
    // Directory of the newest checkpoint written (empty before the first).
    const std::string& last_checkpoint() const;
    // Set by resume(); empty for a new run.
    const std::optional<ResumePoint>& resume_point() const;

    // The time source of the training clock (seconds, monotonic; default std::chrono's
    // steady clock). Tests inject one to make step times, and so the time-based checkpoints
    // and the control arm's budget, reproducible. Call before run().
    void set_clock(std::function<double()> seconds_now);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    RunLoop();
};

}  // namespace tinyseek
