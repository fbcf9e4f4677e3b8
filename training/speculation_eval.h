// The MTP draft's acceptance on a checkpoint's task (docs/ARCHITECTURE.md "MTP"): greedy
// speculative decoding of the first n problems of the evaluator's held-out set
// (training/evaluator.h; measured on, never trained or tuned on), at one checkpoint or at each
// checkpoint of a run, so one can see whether the MTP module learns to agree with the main
// model as training goes on.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/speculation_measure.h"
#include "training/run_checkpoints.h"
#include "training/train_config.h"

namespace tinyseek {

struct SpeculationEvalOptions {
    int prompts = 128;                                 // the first n of the held-out set
    std::uint64_t seed = EvalConfig{}.seed;            // the held-out set's seed (the evaluator's)
    int max_new_tokens = GrpoConfig{}.max_new_tokens;  // the evaluator's completion budget
    CacheMode mode = CacheMode::latent;
};

struct SpeculationEval {
    CheckpointTask task;
    std::vector<std::vector<int>> prompts;  // <bos> + prompt tokens, as decoded
    AcceptanceMeasurement measurement;      // sequences[i] completes prompts[i]
};

// Throws ConfigError for a model without MTP or a task that cannot be built, Cancelled when
// `cancel` is raised; `progress` counts batches of prompts.
SpeculationEval evaluate_speculation(const ParamStore& params, const Tokenizer& tokenizer,
                                     const CheckpointTask& task,
                                     const SpeculationEvalOptions& options,
                                     const std::atomic<bool>* cancel = nullptr,
                                     const MeasureProgress& progress = {});

// One point of the acceptance-over-training curve.
struct CheckpointAcceptance {
    std::int64_t step = 0;
    std::string dir;
    long drafted = 0;
    long accepted = 0;
    double tokens_per_forward = 0.0;
    std::string error;  // why this checkpoint could not be measured (then the counts are 0)
};

// Loads each checkpoint's weights and measures it on its own task's held-out prompts. A
// checkpoint that cannot be read or measured gets its error and the others go on; Cancelled
// is thrown when `cancel` is raised. `progress` reports hundredths of a checkpoint.
std::vector<CheckpointAcceptance> acceptance_over_checkpoints(
    const std::vector<CheckpointRef>& checkpoints, const SpeculationEvalOptions& options,
    const std::atomic<bool>* cancel = nullptr, const MeasureProgress& progress = {});

}  // namespace tinyseek
