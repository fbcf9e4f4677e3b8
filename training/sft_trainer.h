// Supervised fine-tuning on worked traces (the R1 "cold start"): next-token cross-entropy on
// the completion tokens of <bos> + prompt + trace + <eos>, plus lambda * the MTP loss (also
// completion-only) and the balance loss as the model computes it, optimised with AdamW under
// the warm-up + cosine schedule of SftConfig.
//
// Cold-start pool (docs/ARCHITECTURE.md "SFT"): with sft.cold_start_pool = N > 0 it draws N
// distinct train-split problems once (distinct_problems(task, train, N, seed)) and every batch
// samples from them only; N = 0 draws a fresh train-split problem for every sequence. Each
// problem's trace is in its cold-start style (task_options.styles, training/trace_style.h).
//
// Determinism: the batch of global step s is a pure function of (config.seed, s), so a run
// resumed at step s trains on exactly the batches an uninterrupted run would.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/model.h"
#include "core/param_store.h"
#include "core/tokenizer.h"
#include "core/train_step.h"
#include "training/task.h"
#include "training/trainer.h"

namespace tinyseek {

// One SFT batch: B right-padded sequences of T tokens (T = the longest sequence of the batch).
struct SftBatch {
    int B = 0;
    int T = 0;
    std::vector<int> tokens;          // (B, T) ids; <pad> after each sequence's end
    std::vector<int> lengths;         // (B) valid tokens of each sequence
    std::vector<int> prompt_lengths;  // (B) tokens of <bos> + prompt (targets before are ignored)
    std::vector<int> targets;         // (B*T) next-token targets, kIgnoreIndex off the completion
    std::vector<int> mtp_targets;     // (B*T) targets two ahead (MTP), likewise completion-only
    std::int64_t completion_tokens = 0;  // counted next-token targets
};

// Sequences in the batch of the stage's step `stage_step` (0-based): round(batch_start_share *
// batch_size) (at least 1) at step 0, growing linearly (rounded down) to batch_size at step
// round(batch_ramp_share * steps) and after.
int sft_batch_size(const SftConfig& c, std::int64_t stage_step);

class SftTrainer : public StageTrainer {
  public:
    // `task` must outlive the trainer. `stage_start` is the global step at which this stage
    // began, i.e. step 0 of the learning-rate schedule; -1 = take state.step at the first
    // step() call (right for a fresh stage; a RunLoop resuming mid-stage passes the true start
    // so the schedule continues where it stopped). Throws ConfigError on an invalid SftConfig
    // and Error when the train split cannot hold cold_start_pool distinct problems.
    SftTrainer(const TrainConfig& config, const Task& task, std::int64_t stage_start = -1);
    ~SftTrainer() override;

    Stage stage() const override { return Stage::sft; }
    // Scalars: loss (the next-token cross-entropy on completion tokens; the optimised total is
    // loss + mtp_loss_weight * mtp_loss + aux_loss), mtp_loss, aux_loss, grad_norm (before
    // clipping to 1), learning_rate, step_seconds, tokens_per_second (non-padding tokens of
    // the batch / step_seconds), moe/max_vio (+ per layer); expert matrices of the step.
    void step(TrainingState& state, StepReport& report, const std::atomic<bool>* cancel) override;

    // The cold-start pool (empty when cold_start_pool = 0).
    const std::vector<Problem>& pool() const { return pool_; }
    // The problems of the batch of global step `step` (pure function of (seed, step) and,
    // under a batch-size ramp, the stage's start).
    std::vector<Problem> batch_problems(std::int64_t step) const;
    // The encoded batch of global step `step`, exactly what step() trains on.
    SftBatch make_batch(std::int64_t step, const Tokenizer& tokenizer) const;
    // Global step of the schedule's step 0 (-1 until known).
    std::int64_t stage_start() const { return stage_start_; }
    // Learning rate at global step `step`.
    float learning_rate(std::int64_t step) const;

  private:
    // Global step `step` counted from the stage's start (from 0 while it is unknown).
    std::int64_t stage_step(std::int64_t step) const;

    SftConfig sft_;
    ModelConfig model_config_;
    std::uint64_t seed_;
    const Task& task_;
    std::vector<Problem> pool_;
    std::int64_t stage_start_;
    Model model_;
    ParamStore grads_;
    LmTrainStep lm_step_;
};

}  // namespace tinyseek
