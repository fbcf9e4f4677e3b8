// The pieces a RunLoop drives: the mutable training state, one trainer per stage kind, and
// the environment GRPO learns from (prompts + a verifiable reward), which the tasks provide
// for the reasoning model and the reward-model lab provides for the judge.
//
// A stage trainer performs one optimisation step at a time and fills a StepReport; it never
// writes to a store, never sleeps and never owns threads beyond OpenMP regions. The RunLoop
// decides when to evaluate, checkpoint, pause or stop.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/adamw.h"
#include "core/errors.h"
#include "core/model.h"
#include "core/param_store.h"
#include "core/tokenizer.h"
#include "training/step_report.h"
#include "training/train_config.h"

namespace tinyseek {

// Everything that changes during training and goes into a checkpoint.
struct TrainingState {
    ModelConfig config;
    ParamStore params;
    AdamW optimizer;
    Tokenizer tokenizer;
    std::int64_t step = 0;  // global steps done (stages continue counting)

    // Validates the config (ConfigError) and the tokenizer's fit; params = init_params(
    // init_seed) (DeepSeek-V3-style random init), optimizer moments zero, step 0.
    explicit TrainingState(const ModelConfig& model_config, std::uint64_t init_seed = 1);
};

// The random engine of one step's data: a pure function of (run seed, global step, stream),
// so a resumed run draws exactly the batches an uninterrupted one would. `stream` separates
// independent uses (SFT batches, GRPO prompts, GRPO sampling) of the same step.
Rng step_rng(std::uint64_t seed, std::int64_t step, std::uint64_t stream);
// The same mixing as one 64-bit value (e.g. the Generator's sampling seed).
std::uint64_t step_seed(std::uint64_t seed, std::int64_t step, std::uint64_t stream);

// Something GRPO can learn from. prompt(): the text given to the model (without <bos>), as a
// pure function of (split, rng) like Task::sample; score(): the reward of a completion
// (the text from <think> on, without <eos>), which never throws on any output.
class RewardEnvironment {
  public:
    struct Item {
        std::string prompt;
        std::string key;         // identity, for logging and de-duplication
        std::int64_t index = 0;  // environment-specific handle (e.g. an index into its items)
    };
    virtual ~RewardEnvironment() = default;
    virtual Item sample_train(Rng& rng) const = 0;
    virtual RewardBreakdown score(const Item& item, std::string_view completion) const = 0;
};

// A trainer throws Cancelled (core/errors.h) when the cancel flag is raised inside a step:
// the step is abandoned and nothing of it was applied to the parameters.

class StageTrainer {
  public:
    virtual ~StageTrainer() = default;
    virtual Stage stage() const = 0;
    // One optimisation step on `state` (then state.step += 1). Fills report.scalars (names in
    // `metric`), expert matrices and a few rollouts; the RunLoop sets run_id, step and
    // wall_time. Throws NumericError on a NaN/Inf loss or gradient BEFORE the parameters are
    // touched, Cancelled when `cancel` is raised mid-step.
    virtual void step(TrainingState& state, StepReport& report,
                      const std::atomic<bool>* cancel) = 0;
};

}  // namespace tinyseek
