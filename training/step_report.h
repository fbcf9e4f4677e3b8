// StepReport (docs/ARCHITECTURE.md "Data flow"): everything one training step publishes, as a
// plain value. The trainer fills it and hands it to StepSinks (the RunStore, the GUI adapter); it
// never knows who listens. Past runs come back from the RunStore as the same types.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "training/reward.h"

namespace tinyseek {

enum class Stage { sft, grpo };
const char* to_string(Stage stage);
// "sft" | "grpo"; throws Error naming the text otherwise.
Stage parse_stage(std::string_view text);

// Metric names (TRL's where one exists). Trainers use these constants so the store, the GUI
// and the CSV export agree on spelling.
namespace metric {
inline constexpr const char* kReward = "reward";
inline constexpr const char* kRewardStd = "reward_std";
inline constexpr const char* kRewardAccuracy = "rewards/accuracy";
inline constexpr const char* kRewardFormat = "rewards/format";
inline constexpr const char* kKl = "kl";
inline constexpr const char* kMeanLength = "completions/mean_length";
inline constexpr const char* kEntropy = "entropy";
inline constexpr const char* kClipRatio = "clip_ratio";
inline constexpr const char* kFracRewardZeroStd = "frac_reward_zero_std";
inline constexpr const char* kGradNorm = "grad_norm";
inline constexpr const char* kLearningRate = "learning_rate";
inline constexpr const char* kLoss = "loss";
inline constexpr const char* kTokensPerSecond = "tokens_per_second";
inline constexpr const char* kMaxVio = "moe/max_vio";
inline constexpr const char* kEvalAccuracy = "eval/accuracy";                 // held-out, greedy
inline constexpr const char* kEvalSampledAccuracy = "eval/sampled_accuracy";  // at rollout temp.
inline constexpr const char* kEvalFormat = "eval/format";
inline constexpr const char* kEvalMeanLength = "eval/mean_length";
inline constexpr const char* kKlExceeded = "kl_exceeded";  // 1 when kl > GrpoConfig::kl_bound
inline constexpr const char* kMalformedFraction = "completions/malformed_fraction";
inline constexpr const char* kMtpLoss = "mtp_loss";
inline constexpr const char* kAuxLoss = "aux_loss";
inline constexpr const char* kStepSeconds = "step_seconds";
// Speculative rollouts (GrpoConfig::speculative_rollouts): share of MTP drafts kept, and
// generated tokens per main-model forward.
inline constexpr const char* kDraftAcceptance = "rollouts/draft_acceptance";
inline constexpr const char* kTokensPerForward = "rollouts/tokens_per_forward";
// Style metrics (training/trace_style.h), recorded when the cold start mixes styles
// (task_options.styles is not worked-only): the share of completions that think (non-empty
// <think> block), and length and accuracy of the thinking and the direct ones. A style nobody
// used that step has no length or accuracy entry. GRPO rollouts:
inline constexpr const char* kThinkShare = "completions/think_share";
inline constexpr const char* kMeanLengthThink = "completions/mean_length/think";
inline constexpr const char* kMeanLengthDirect = "completions/mean_length/direct";
inline constexpr const char* kRewardAccuracyThink = "rewards/accuracy/think";
inline constexpr const char* kRewardAccuracyDirect = "rewards/accuracy/direct";
// Held-out evaluations, greedy:
inline constexpr const char* kEvalThinkShare = "eval/think_share";
inline constexpr const char* kEvalMeanLengthThink = "eval/mean_length/think";
inline constexpr const char* kEvalMeanLengthDirect = "eval/mean_length/direct";
inline constexpr const char* kEvalAccuracyThink = "eval/accuracy/think";
inline constexpr const char* kEvalAccuracyDirect = "eval/accuracy/direct";
// and sampled at the rollout temperature (eval.sampled):
inline constexpr const char* kEvalSampledThinkShare = "eval/sampled_think_share";
inline constexpr const char* kEvalSampledMeanLength = "eval/sampled_mean_length";
inline constexpr const char* kEvalSampledMeanLengthThink = "eval/sampled_mean_length/think";
inline constexpr const char* kEvalSampledMeanLengthDirect = "eval/sampled_mean_length/direct";
inline constexpr const char* kEvalSampledAccuracyThink = "eval/sampled_accuracy/think";
inline constexpr const char* kEvalSampledAccuracyDirect = "eval/sampled_accuracy/direct";
// Accuracy by difficulty (training/difficulty.h), greedy: one pair per bucket the task
// defines, e.g. "eval/bucket/digits 3+2" (accuracy) and "eval/bucket_n/digits 3+2" (problems).
inline constexpr const char* kEvalBucketPrefix = "eval/bucket/";
inline constexpr const char* kEvalBucketCountPrefix = "eval/bucket_n/";
// Model FLOPs per second of the step (core/model_flops.h) over the FMA peak (core/fma_peak.h).
inline constexpr const char* kMfu = "mfu";

// Metrics that measure the machine rather than the math: they differ between two runs of the
// same seed; everything else of a resumed run matches an uninterrupted one bit for bit.
inline bool is_timing(std::string_view key) {
    return key.find("second") != std::string_view::npos || key == kMfu;
}
}  // namespace metric

// A (layers x experts) float matrix, row-major. Row r belongs to model layer layers[r], so
// only MoE layers need rows (e.g. layers {1, 2, 3, 4} of the tiny model, 4 = the MTP block).
struct ExpertMatrix {
    std::vector<int> layers;    // model layer index of each row
    int experts = 0;            // columns
    std::vector<float> values;  // (layers.size(), experts)

    ExpertMatrix() = default;
    ExpertMatrix(std::vector<int> layer_ids, int n_experts, float fill = 0.0f);

    int rows() const { return static_cast<int>(layers.size()); }
    bool empty() const { return layers.empty(); }
    float& at(int row, int expert) { return values[std::size_t(row) * experts + expert]; }
    float at(int row, int expert) const { return values[std::size_t(row) * experts + expert]; }
    // Row of model layer `layer`, or -1 when the matrix has none.
    int row_of(int layer) const;
    // Throws Error naming `what` when values.size() != rows * experts or a layer repeats.
    void check_shape(std::string_view what) const;

    bool operator==(const ExpertMatrix&) const = default;
};

// Where a stored completion comes from.
enum class RolloutSource {
    train,  // a GRPO rollout (or a lab sample), scored for training
    eval,   // a held-out evaluation completion (greedy), of a fixed subset of the held-out set
};
const char* to_string(RolloutSource source);
RolloutSource parse_rollout_source(std::string_view text);  // "train" | "eval"; Error otherwise

// Per-token values of one completion: the generated token ids (a final stop token included)
// and, for the first values_size() of them, the log-prob of the token and the entropy of the
// distribution it was drawn from, both at the sampling temperature (greedy evaluation: the
// model's own distribution, T = 1). GRPO's values are those of the loss's old policy.
struct TokenValues {
    std::vector<int> ids;
    std::vector<float> logprob;  // ln p(token), <= 0
    std::vector<float> entropy;  // nats, >= 0

    bool empty() const { return ids.empty(); }
    std::size_t values_size() const { return logprob.size(); }
    bool operator==(const TokenValues&) const = default;
};

// One sampled completion shown in the Rollouts view.
struct RolloutSample {
    std::string prompt;
    std::string completion;
    RewardBreakdown reward;
    double advantage = 0.0;  // GRPO advantage of this completion (0 for SFT samples)
    int length = 0;          // completion length in tokens
    RolloutSource source = RolloutSource::train;
    // GRPO: the prompt's group in its step and the completion's place in it. Evaluation: the
    // problem's index in the held-out set, member 0. -1 = not part of a group (the store then
    // numbers the samples of a step in order).
    int group = -1;
    int member = -1;
    double mean_logprob = kNoValue;  // mean of tokens.logprob (NaN when not recorded)
    double mean_entropy = kNoValue;  // mean of tokens.entropy
    TokenValues tokens;              // empty when not recorded

    // Sets mean_logprob and mean_entropy from `values` (NaN when it has none) and keeps the
    // values themselves only when `keep` (RolloutLogConfig::token_values).
    void set_token_values(TokenValues values, bool keep);

    static constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();
    bool operator==(const RolloutSample& o) const;  // NaN means equal NaN here
};

struct StepReport {
    std::int64_t run_id = 0;  // RunStore id of the run the step belongs to
    std::int64_t step = 0;    // global step counter of the run (stages continue counting)
    double wall_time = 0.0;   // seconds since the run started
    Stage stage = Stage::sft;
    std::map<std::string, double> scalars;  // metric name -> value (names in `metric`)
    ExpertMatrix expert_load;               // fraction of routed tokens per expert, rows sum to ~1
    ExpertMatrix router_bias;               // aux-loss-free balancing bias b_i per expert
    ExpertMatrix gate_weight;               // mean gate weight given to each expert when chosen
    std::vector<RolloutSample> rollouts;    // the completions stored for this step
    std::int64_t kv_cache_bytes = 0;        // KV cache in use during generation (0 for SFT)
};

// Receives each finished step. Called on the training thread; implementations that hand the
// report to another thread copy it.
class StepSink {
  public:
    virtual ~StepSink() = default;
    virtual void on_step(const StepReport& report) = 0;
};

}  // namespace tinyseek
