// GRPO (DeepSeekMath §4.1, DeepSeek-R1): for prompts_per_step fresh train-split prompts,
// sample a group of G completions each with the batched KV-cache Generator, score them with
// the environment's rule-based reward, turn rewards into group advantages and take mu AdamW
// steps on the clipped-ratio objective with a k3 KL penalty to a frozen reference
// (training/grpo_loss.h for the math).
//
// Per step:
//   1. items = P x env->sample_train(rng), rng = step_rng(seed, step, prompts stream)
//   2. G completions per item, latent cache, temperature T, stop on <eos> / </answer>;
//      sequence ids p*G + g with a per-step seed, so a completion's samples do not depend on
//      the rest of the batch
//   3. rewards -> advantages per group
//   4. reference log-probs: one forward on the frozen reference params (skipped if beta = 0)
//   5. mu times: policy forward (no MTP) on <bos> + prompt + completion, right-padded to the
//      longest; old log-probs = the first update's log-probs, detached (the parameters have
//      not moved since sampling; for mu = 1 this is TRL's logp.detach()); loss, backward,
//      clip_grad_norm(1.0), AdamW, aux-free bias update
// Log-probs are taken at the sampling temperature (logits / T), as TRL does.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/aligned.h"
#include "core/generator.h"
#include "core/model.h"
#include "core/param_store.h"
#include "training/grpo_loss.h"
#include "training/trainer.h"

namespace tinyseek {

class GrpoTrainer : public StageTrainer {
  public:
    // `reference` is copied (the frozen policy the stage started from). `stage_start`: as in
    // SftTrainer (global step of the warm-up's step 0; -1 = state.step at the first step()).
    // Throws ConfigError on an invalid GrpoConfig or a reference of another model config.
    GrpoTrainer(const TrainConfig& config, std::shared_ptr<const RewardEnvironment> env,
                const ParamStore& reference, std::int64_t stage_start = -1);
    ~GrpoTrainer() override;

    Stage stage() const override { return Stage::grpo; }
    // Scalars: reward, reward_std (mean of the per-group sample std), rewards/accuracy,
    // rewards/format (+ "/std" over the batch), kl and kl_exceeded (only when beta > 0: with
    // beta = 0 there is no reference pass, as in TRL), completions/mean_length,
    // completions/max_length, completions/clipped_ratio (hit max_new_tokens),
    // completions/malformed_fraction, entropy, clip_ratio, frac_reward_zero_std, grad_norm,
    // learning_rate, loss (the last three and kl/entropy/clip_ratio averaged over the mu
    // updates), tokens_per_second = (generated tokens + non-padding tokens of the training
    // batch) / step_seconds, step_seconds and its parts generation_seconds, reference_seconds
    // (only when beta > 0) and update_seconds, padding_fraction (padding rows of what the
    // first update runs: the training batch, or its two parts when beta = 0 splits it),
    // update_sequence_fraction (the share of the batch's completions the update
    // differentiates: 1, unless beta = 0 leaves those of zero advantage out),
    // moe/max_vio (+ per layer);
    // when the cold start mixes styles, the style metrics of the rollouts (step_report.h).
    void step(TrainingState& state, StepReport& report, const std::atomic<bool>* cancel) override;

    std::int64_t stage_start() const { return stage_start_; }
    float learning_rate(std::int64_t step) const;
    const ParamStore& reference() const { return reference_; }

    // Groups of which a step that does not keep them all reports one completion each.
    static constexpr int kReportedRollouts = 4;

  private:
    struct Batch;
    struct Scores;
    struct UpdateSums;
    // The sequences an update differentiates (live) and those it only reads (idle), by index.
    struct SequenceSplit {
        std::vector<int> live, idle;
    };
    // Some sequences of the training batch as a batch of their own.
    struct Rows {
        int S = 0, T = 0;
        std::vector<int> tokens, lengths, targets;  // (S*T), (S), (S*T)
        std::vector<int> token_rows;   // (n) logits row of each of their completion tokens
        std::vector<int> token_index;  // (n) its index among the batch's N completion tokens
    };
    // The phases of step(), in order.
    Generator& generator_for(const ParamStore& params);
    void generate(TrainingState& state, std::int64_t step, Batch& batch,
                  const std::atomic<bool>* cancel);
    Scores score(const Batch& b) const;
    void build_training_batch(Batch& b) const;
    std::vector<float> reference_logprobs(const Batch& b);
    UpdateSums update_policy(TrainingState& state, const Batch& b, const Scores& scores,
                             const std::vector<float>& ref_logp, float lr,
                             const std::atomic<bool>* cancel);
    SequenceSplit split_sequences(const Batch& b, const Scores& scores) const;
    static Rows rows_of(const Batch& b, const std::vector<int>& seqs);
    Model::Output forward_values(const ParamStore& params, const Rows& rows,
                                 std::vector<float>& logp, std::vector<float>& entropy);
    void forward_idle(const ParamStore& params, const Batch& b, const std::vector<int>& idle,
                      std::vector<float>& logp, std::vector<float>& entropy, UpdateSums& sums);
    void update_once(TrainingState& state, const Batch& b, const Scores& scores,
                     const std::vector<float>& ref_logp, float lr, std::vector<float>& old_logp,
                     UpdateSums& sums, const std::atomic<bool>* cancel);
    float apply_update(TrainingState& state, const Rows& live, const Model::Output* out,
                       const std::vector<float>& dlogp, const RoutingStats& routing, float lr,
                       const std::atomic<bool>* cancel);
    void fill_report(const Batch& b, const Scores& scores, const UpdateSums& sums, float lr,
                     double seconds, StepReport& report) const;
    bool keeps_groups(std::int64_t step) const;  // RolloutLogConfig::groups_every
    void fill_rollouts(const Batch& b, const Scores& scores, const UpdateSums& sums,
                       bool all_groups, StepReport& report) const;
    RolloutSample rollout(const Batch& b, const Scores& scores, const UpdateSums& sums,
                          int s) const;
    double step_model_flops(const Batch& b, const UpdateSums& sums) const;
    static void gather_tokens(const Batch& b, const std::vector<float>& by_row,
                              std::vector<float>& out);

    GrpoConfig grpo_;
    ModelConfig model_config_;
    std::uint64_t seed_;
    bool style_metrics_;  // the cold start mixes styles: report the rollouts' style metrics
    RolloutLogConfig rollout_log_;
    std::shared_ptr<const RewardEnvironment> env_;
    ParamStore reference_;
    std::int64_t stage_start_;
    Model model_;
    ParamStore grads_;
    // Buffers of the update, kept between steps: one value per logits row, and dL/dlogits.
    std::vector<float> row_logp_, row_entropy_, row_dlogp_;
    AlignedVector<float> dlogits_;  // (S*T, V)
    std::int64_t kv_cache_bytes_ = 0;
    std::unique_ptr<Generator> generator_;  // of generator_params_, reused by every step
    const ParamStore* generator_params_ = nullptr;
};

}  // namespace tinyseek
