// DeepSeekMoE routing (DeepSeek-V3 §2.1.2, inference/model.py `Gate`).
//
// For one token with gate logits z = x Wg^T (E):
//   s = sigmoid(z)                       affinities (softmax(z) for scoring_func "softmax", V2)
//   chosen = top-k of (s + b)            b = e_score_correction_bias, used ONLY for choosing
//   w_k = s_{chosen_k}                   weights from the UNBIASED affinities
//   w  /= sum_k w_k                      (norm_topk_prob)
//   w  *= routed_scaling_factor
// Why the bias is only used for choosing: aux-loss-free balancing nudges b to steer load
// away from overloaded experts, but the expert's contribution to the output must still be
// its true affinity, otherwise balancing would distort the function the model computes.
// With n_group > 1 (V3's node-limited routing) only experts in the topk_group best groups
// may be chosen; a group scores the sum of its two best biased scores (noaux_tc) or its best
// one (group_limited_greedy). topk_method "greedy" ignores groups.
#pragma once

#include "core/model_config.h"

namespace tinyseek {

struct RouterConfig {
    static constexpr int kMaxExperts = 256;  // DeepSeek-V3's n_routed_experts

    int n_experts = 8;
    int top_k = 2;
    bool softmax_scores = false;  // scoring_func == "softmax"
    bool norm_topk_prob = true;
    int n_group = 1;
    int topk_group = 1;
    bool group_limited = false;    // choose within the best topk_group groups
    bool group_score_top2 = true;  // group score = sum of its top-2 (noaux_tc) or max
    float routed_scaling_factor = 1.0f;

    // Throws ConfigError when n_routed_experts is outside [1, kMaxExperts].
    static RouterConfig from(const ModelConfig& config);
};

// Routes one token: expert (K) and weight (K) of the chosen experts, ordered by biased score
// (highest first, ties to the lower index); score (E) receives the unbiased affinities.
template <typename T>
void route_token(int* expert, T* weight, T* score, const T* logit, const T* bias,
                 const RouterConfig& config);

// index (k) = the k largest of v (n), highest first, ties to the lower index; n <=
// kMaxExperts. With v = the unbiased affinities it is the TopK of DeepSeek-V3's balance loss.
template <typename T>
void top_k(int* index, const T* v, int n, int k);

// route_token over n rows: expert (n, K), weight (n, K), score (n, E), logit (n, E).
template <typename T>
void route_tokens(int* expert, T* weight, T* score, const T* logit, const T* bias,
                  const RouterConfig& config, int n);

// Backward of route_tokens: dlogit (n, E) is overwritten with dL/dz given dL/dweight (n, K)
// and optionally an extra dL/dscore (n, E) (the balance loss acts on all affinities).
// Rows whose expert[0] is -1 were not routed (padding) and get only the dscore term.
// The top-k choice is piecewise constant, so no gradient flows through the selection.
template <typename T>
void route_tokens_backward(T* dlogit, const T* dweight, const T* dscore, const T* score,
                           const int* expert, const RouterConfig& config, int n);

}  // namespace tinyseek
