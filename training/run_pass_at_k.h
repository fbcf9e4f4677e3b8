// pass@k of a run's checkpoint, stored with the run: what `tinyseek passk --db` and the
// window's Evaluation page do. The curve is measured on the held-out problems of the task the
// checkpoint was trained on (training/pass_at_k.h) and stored in the run database (schema
// version 3, table pass_at_k), replacing one measured the same way before.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "training/pass_at_k.h"
#include "training/run_store.h"

namespace tinyseek {

struct PassAtKSettings {
    int problems = 100;  // held-out problems (the first of the evaluation set's order)
    int samples = 64;    // n per problem, >= every k
    std::vector<int> ks = {1, 2, 4, 8, 16, 32, 64};
    double temperature = 1.0;
    int max_new_tokens = 64;
    std::uint64_t seed = 7;  // of the held-out set and of sampling
};

// The run's checkpoint at `step`, or its latest. Throws Error when the run has none, or none
// at `step` (naming the steps it has).
CheckpointInfo run_checkpoint(const RunStore& store, std::int64_t run,
                              std::optional<std::int64_t> step = std::nullopt);

// Measures a loaded checkpoint on `task`'s first settings.problems held-out problems.
// Throws ConfigError for k outside [1, samples] or bad sampling, Cancelled.
PassAtKCurve measure_pass_at_k(const Checkpoint& checkpoint, const Task& task,
                               const PassAtKSettings& settings,
                               const std::atomic<bool>* cancel = nullptr,
                               const PassAtKProgress& progress = {});

// The curve of `curve` as stored for run `run` at checkpoint `step`.
StoredPassAtK stored_pass_at_k(std::int64_t run, std::int64_t step, const PassAtKSettings& settings,
                               const PassAtKCurve& curve);

// run_checkpoint, measure_pass_at_k on the task the checkpoint was trained on (with its
// options), then stores the curve in `db` (migrated to the
// current schema first, when older).
StoredPassAtK measure_run_pass_at_k(const std::string& db, std::int64_t run,
                                    std::optional<std::int64_t> step,
                                    const PassAtKSettings& settings,
                                    const std::atomic<bool>* cancel = nullptr,
                                    const PassAtKProgress& progress = {});

}  // namespace tinyseek
