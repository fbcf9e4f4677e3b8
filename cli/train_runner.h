// Runs a RunLoop from the command line (`tinyseek train`, `tinyseek demo`): a progress line on
// stderr when it is a terminal, Ctrl-C (SIGINT) or SIGTERM -> a clean stop between steps or
// inside generation, and a summary of what was trained (text or one JSON document).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "training/run_loop.h"

namespace tinyseek::cli {

// Exit codes of a driven run: 0 completed, 1 failed, 128 + signal when a signal stopped it
// (130 for Ctrl-C), 1 when it stopped for another reason.
struct DriveResult {
    RunStatus status = RunStatus::running;
    int exit_code = 1;
    nlohmann::json summary;  // see summary_json below
};

// Runs `loop` to its end on this thread. The summary (also printed to `out`, as JSON when
// `json`) holds: db, run_id, name, status, error, steps, total_steps, seconds (the whole
// command), training_seconds (the run's training clock), eval {final, best, best_step, n}
// or null, checkpoint (the last written) and checkpoint_dir, control {run_id, name, steps,
// training_seconds, eval} or null.
DriveResult drive_run(RunLoop& loop, const std::string& db_path, bool json, std::ostream& out);

}  // namespace tinyseek::cli
