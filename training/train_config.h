// TrainConfig: everything a training run is made of, as one plain value that round-trips
// through JSON (stored in runs.config_json, so a run can be resumed or repeated exactly).
//
// A run executes a pipeline of stages (default: a cold-start SFT stage, then GRPO). With
// control = "sft", the RunLoop also runs the control arm: SFT continued on the same
// cold-start pool, from the checkpoint the GRPO stage started from, for the same training
// wall time, stored as its own run linked to the first (docs/ARCHITECTURE.md "Control arm").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/fp8_training.h"
#include "core/model_config.h"
#include "training/reward.h"
#include "training/step_report.h"
#include "training/task.h"

namespace tinyseek {

struct SftConfig {
    // 1,100 steps of 32 traces at a 4e-3 peak: 3-digit addition (aligned traces, three
    // quarters of the draws by length: default_task_options) from scratch to >= 98% held-out
    // greedy accuracy in 70-100 s on 2 cores (2e-3 was still under 35% after 1,500 steps; 6e-3
    // was less stable; 24 traces a step fell short on one seed in three; 1,000 steps fell to
    // 84% on one seed of two). Until December 2026: 2,000 steps on plain traces
    // (experiments/addition-sft2000).
    std::int64_t steps = 1100;  // optimizer steps of the stage
    int batch_size = 32;        // sequences per step
    float lr = 4e-3f;           // peak of the warm-up + cosine schedule
    float min_lr = 4e-4f;       // end of the cosine
    std::int64_t warmup_steps = 30;
    int cold_start_pool = 0;  // N unique worked traces drawn once from the train split; 0 = a
                              // fresh problem for every sequence (unlimited traces)
    // Batch-size ramp (sft_batch_size): the stage's first step trains batch_start_share of
    // batch_size sequences, and batches grow linearly to batch_size over the first
    // batch_ramp_share of its steps. Shares, so that a user's batch size or step count keeps
    // the ramp's shape. batch_start_share 1 = full batches throughout.
    float batch_start_share = 1.0f;
    float batch_ramp_share = 0.0f;
};

// How the per-token GRPO loss is averaged over the batch.
enum class LossAveraging {
    token,     // sum over all completion tokens of the batch / number of those tokens (DAPO)
    sequence,  // mean over tokens within each completion, then mean over completions (GRPO)
};
const char* to_string(LossAveraging averaging);
LossAveraging parse_loss_averaging(std::string_view text);  // ConfigError otherwise

struct GrpoConfig {
    // 60 steps at 3e-5 after the 1,100-step cold start, so the default run fits 90 s: at 1e-4
    // the stage lowered a policy the cold start had left at 99-100% (most groups all right,
    // Adam's steps scaled up on the few that are not). Until December 2026: 200 steps at 1e-4.
    std::int64_t steps = 60;   // optimizer steps (batches of rollouts) of the stage
    int prompts_per_step = 8;  // fresh train-split prompts per batch
    int group_size = 8;        // G completions per prompt
    float lr = 3e-5f;          // constant after a short warm-up
    std::int64_t warmup_steps = 5;
    // KL weight (k3 estimator against the frozen reference). 0 since 7 December 2026 (before:
    // 0.04, pinned in experiments/addition-aligned-three-quarters): no reference pass, and
    // the completions of all-alike groups (most, once the cold start has done its work) stay
    // out of the update's backward: half the stage's time, the same final accuracy on 14 of 16
    // validation seeds and 0.6-0.8 points lower on two (README "What it learns").
    float beta = 0.0f;
    float epsilon = 0.2f;       // clip range: ratio in [1 - epsilon, 1 + epsilon_high]
    float epsilon_high = 0.0f;  // 0 = same as epsilon
    float temperature = 1.0f;   // rollout sampling temperature
    int max_new_tokens = 64;    // completion budget per rollout
    bool scale_rewards = true;  // advantages divided by the group's std; false = Dr. GRPO
    LossAveraging averaging = LossAveraging::token;
    int mu = 1;             // optimizer updates per batch of rollouts (>= 1)
    float kl_bound = 1.0f;  // mean KL above this is flagged in the metric "kl_exceeded"
    // Sample the rollouts by speculative decoding with the MTP module as the draft: the same
    // distribution as plain sampling (other draws), so it changes speed, not the method.
    // Off by default: at GRPO's batch of 64 rollouts the verify forward costs more than the
    // drafts save on a CPU (README "Speculative decoding").
    bool speculative_rollouts = false;
};

struct EvalConfig {
    int n = 500;                   // held-out problems (a fixed set: seed below)
    std::uint64_t seed = 7;        // seed of the held-out set, independent of the run's seed
    std::int64_t every_sft = 300;  // evaluate every N steps of an SFT stage (and at its end)
    std::int64_t every_grpo = 20;  // ... of a GRPO stage
    bool sampled = true;           // also report accuracy when sampling at the rollout temperature
    // Accuracy by difficulty (training/difficulty.h): buckets the set rarely hits are topped
    // up to this many held-out problems each; 0 = no per-bucket accuracy. Stored in the JSON
    // only when not the default, so configs written before it existed read back unchanged.
    int bucket_min = 20;
    // The split the evaluation set is drawn from: held_out (the default), or train for a
    // validation set (task.h validation_set) that a recipe can be chosen on without looking
    // at held-out problems. Stored in the JSON only when not the default.
    Split split = Split::held_out;
};

// What the run database keeps of the sampled completions (training/SCHEMA.md "rollouts").
// Changes no training result; stored in the JSON only when not the default, so configs
// written before it existed read back unchanged.
struct RolloutLogConfig {
    // Every completion of one GRPO step in N (counted from the stage's first step, which is
    // always kept); the other steps keep one completion of each of their first 4 groups.
    // 0 = never: only those samples. The retention setting for long runs.
    std::int64_t groups_every = 1;
    bool token_values = true;  // per-token ids, log-probs and entropies of stored completions
    int eval_samples = 16;     // held-out problems whose greedy completion each evaluation keeps
    bool operator==(const RolloutLogConfig&) const = default;
};

// The task options a new run starts from: TaskOptions{} with addition's aligned traces and
// three quarters of the addition and subtraction training draws by length (half until 7
// December 2026: experiments/addition-aligned-1100), the cold start that learns 3-digit
// addition in 1,100 steps (README "What it learns"). A task_options object read from
// JSON starts from TaskOptions{}, where both are off, so configs stored before they were the
// defaults read back unchanged.
TaskOptions default_task_options();

struct TrainConfig {
    std::string name;  // shown in the run list; empty = "<task> <pipeline>"
    std::string task = "addition";
    TaskOptions task_options = default_task_options();
    RewardConfig reward;
    std::string model_preset = "tiny";  // preset the model starts from (random init)
    ModelConfig model;                  // filled from the preset by from_json / defaults
    std::vector<Stage> pipeline = {Stage::sft, Stage::grpo};
    SftConfig sft;
    GrpoConfig grpo;
    EvalConfig eval;
    RolloutLogConfig rollouts;
    std::string control;  // "" (none) or "sft": run the control arm beside the GRPO stage
    std::uint64_t seed = 1;
    int threads = 0;  // OpenMP threads; 0 = all cores
    // "fp32" or "fp8": the linear layers' GEMMs in the SFT and GRPO updates (and the control
    // arm's), as DeepSeek-V3 trains (core/fp8_training.h). Rollouts and evaluations decode in
    // FP32 either way.
    std::string precision = "fp32";
    Fp8TrainingRecipe fp8;  // used when precision == "fp8"
    // Periodic checkpoints (docs/ARCHITECTURE.md "Checkpoints and resume"): one whenever
    // `checkpoint_every` global steps or `checkpoint_every_seconds` of training time have
    // passed since the last checkpoint, whichever comes first (0 turns a trigger off), so a
    // crash loses at most that much training. A checkpoint of the tiny model takes about
    // 0.05 s (bench/checkpoint.cpp); the default run writes 9 periodic ones: 0.4 s of 3 min.
    std::int64_t checkpoint_every = 200;          // global steps between periodic checkpoints
    std::int64_t checkpoint_every_seconds = 120;  // training seconds between them
    // Periodic checkpoints kept per run (the newest; older ones are deleted as new ones are
    // written); 0 = keep all. Stage-end checkpoints (and the one a GRPO stage starts from)
    // are always kept.
    std::int64_t checkpoint_keep = 3;
    std::string out_dir;  // where checkpoints go; empty = next to the database

    TrainConfig();  // model = the tiny preset

    // Throws ConfigError naming the field, the value and what was expected.
    void validate() const;
    nlohmann::json to_json() const;
    // Absent keys keep their defaults; unknown keys and wrong types are ConfigErrors naming
    // `source` and the key.
    static TrainConfig from_json(const nlohmann::json& j, const std::string& source = "config");
    std::string display_name() const;
    // Optimizer steps of one stage, and of the whole pipeline (control arm excluded).
    std::int64_t stage_steps(Stage stage) const;
    std::int64_t total_steps() const;
    // The recipe the trainers hand to the model: fp8 when precision is "fp8", else none.
    std::optional<Fp8TrainingRecipe> fp8_recipe() const;
};

}  // namespace tinyseek
