// The GRPO objective (Shao et al. 2024, DeepSeekMath §4.1; the variants of TRL's GRPOTrainer),
// as plain math over flattened completion tokens, templated on the scalar so tests can check
// it in double against a direct computation.
//
// Advantages (one group = the G completions of one prompt, consecutive in the batch):
//   A_i = (r_i - mean(r)) / (std(r) + 1e-4)       scale_rewards = true   (GRPO)
//   A_i =  r_i - mean(r)                          scale_rewards = false  (Dr. GRPO)
// std is the SAMPLE standard deviation (divisor G - 1), as TRL's torch.std; a group whose
// rewards are all equal gets A = 0 and contributes to the loss only through the KL term.
//
// Per completion token t with log-probabilities logp (policy), old (the policy that sampled,
// detached) and ref (the frozen reference):
//   ratio = exp(logp - old)
//   L_t   = -min(ratio * A, clip(ratio, 1 - eps, 1 + eps_high) * A) + beta * k3
//   k3    = exp(ref - logp) - (ref - logp) - 1   (Schulman's unbiased, always >= 0 estimator
//                                                 of KL(pi || ref); exactly 0 when equal)
// The clipped branch is "active" when it is the minimum and outside the range, i.e.
// (A > 0 and ratio > 1 + eps_high) or (A < 0 and ratio < 1 - eps): then the surrogate is
// constant in logp. clip_ratio reports the fraction of tokens where that happens (TRL's
// clip_ratio/region_mean).
//   dL_t/dlogp = -A * ratio * [branch not active] + beta * (1 - exp(ref - logp))
// Averaging (LossAveraging):
//   token:    L = sum over all completion tokens / their number        (DAPO / TRL "bnpo")
//   sequence: L = mean over completions of (sum over its tokens / its length)  (GRPO)
#pragma once

#include <cstdint>
#include <vector>

#include "training/train_config.h"

namespace tinyseek {

inline constexpr double kAdvantageEps = 1e-4;

// Sample standard deviation of each group of `group_size` consecutive values (0 for G = 1).
template <typename T>
std::vector<T> group_std(const std::vector<T>& rewards, int group_size);

// Advantages as above. Throws Error when rewards.size() is not a multiple of group_size.
template <typename T>
std::vector<T> group_advantages(const std::vector<T>& rewards, int group_size, bool scale_rewards);

struct GrpoLossParams {
    double beta = 0.04;
    double epsilon = 0.2;       // lower clip: ratio >= 1 - epsilon
    double epsilon_high = 0.2;  // upper clip: ratio <= 1 + epsilon_high
    LossAveraging averaging = LossAveraging::token;
};

template <typename T>
struct GrpoLossResult {
    T loss = 0;
    std::vector<T> dlogp;     // (N) dL/dlogp per completion token
    double mean_kl = 0;       // mean k3 over all completion tokens
    double clip_ratio = 0;    // fraction of tokens whose clipped branch is active
    std::int64_t tokens = 0;  // N
};

// logp, old_logp, ref_logp: (N) completion tokens of S sequences flattened; sequence s owns
// tokens [offsets[s], offsets[s+1]) (offsets has S + 1 entries, offsets[0] = 0); advantages
// (S). ref_logp may be null only when beta == 0. A sequence without tokens adds nothing
// (sequence averaging divides by the number of sequences that have tokens).
template <typename T>
GrpoLossResult<T> grpo_loss(const T* logp, const T* old_logp, const T* ref_logp,
                            const std::vector<int>& offsets, const T* advantages,
                            const GrpoLossParams& params);

// Per row r of logits (n, V) with targets (n) in [0, V) or kIgnoreIndex, at temperature tau
// (inv_temperature = 1 / tau; TRL scales the training logits by the sampling temperature so
// the ratio is taken against the distribution that was sampled):
//   logp[r]    = log softmax(z_r / tau)[target_r]
//   entropy[r] = -sum_v p_v log p_v,  p = softmax(z_r / tau)
// both 0 on ignored rows; entropy may be null.
template <typename T>
void token_logprobs(T* logp, T* entropy, const T* logits, const int* targets, int n, int V,
                    T inv_temperature = T(1));

// Chain rule from per-row dL/dlogp to the logits. OVERWRITES dlogits (n, V):
//   dlogits[r] = dlogp[r] / tau * (onehot(target_r) - softmax(z_r / tau)),  0 on ignored rows
// (d log softmax(z/tau)[y] / dz_v = ([v == y] - p_v) / tau).
template <typename T>
void logprob_logits_grad(T* dlogits, const T* logits, const int* targets, const T* dlogp, int n,
                         int V, T inv_temperature = T(1));

}  // namespace tinyseek
