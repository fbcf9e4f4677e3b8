// DeepSeekMoE feed-forward layer (DeepSeek-V3 §2.1.2):
//   out = shared(x) + sum_{k} w_k expert_{e_k}(x)
// with the shared experts fused into one SwiGLU of width n_shared * moe_intermediate_size and
// (e_k, w_k) from the router (moe_router.h). Tokens are GROUPED PER EXPERT: the assignments
// are sorted by expert, so each expert runs one GEMM chain over its own rows and idle experts
// cost nothing; the per-expert load falls out of the grouping.
//
// Balancing (ModelConfig::balance_mode):
//   aux_free      the router bias is moved between steps (routing_stats.h); no loss term here.
//   aux_loss      sequence-wise balance loss (V3 eq. 17-20), per sequence of L valid tokens:
//                   f_i = E / (K L) * #{t : s_{i,t} in TopK_j(s_{j,t}, K)},
//                   s'_{i,t} = s_{i,t} / sum_j s_{j,t},   P_i = (1/L) sum_t s'_{i,t},
//                   L_bal = alpha * sum_i f_i P_i,
//                 averaged over the sequences of the batch; its gradient flows through P (f is
//                 a count) into the affinities and the gate weight. f counts the top-K of the
//                 UNBIASED affinities over all experts, as the equation says, not the experts
//                 the biased (or node-limited) choice routed to.
//   aux_free_seq  both, DeepSeek-V3's recipe: the bias update and the loss with its tiny
//                 alpha (seq_balance_alpha = 1e-4).
//   none          nothing (shows routing collapse).
// Padding rows (t >= lengths[b]) are not routed: they get only the shared experts, and count
// neither in the load nor in the balance loss.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/activation_arena.h"
#include "core/layer_context.h"
#include "core/mlp.h"
#include "core/moe_router.h"

namespace tinyseek {

template <typename T>
class MoeLayer {
  public:
    MoeLayer(const ModelConfig& config, const ParamLayout& layout, int layer);

    // Takes the buffers forward() keeps, for B sequences of T tokens (activation_arena.h).
    // The grouped rows are sized for the most a batch can route: every row to K experts.
    void lay_out(ArenaPlanner& p, int B, int seq_len);
    // out (n, C) = MoE(x), x (n, C) the block's normalised input. Saves activations.
    void forward(T* out, const T* x, const T* params, const SequenceBatch<T>& batch);
    // dx (n, C) += dL/dx; parameter gradients accumulate into grads. Includes the gradient
    // of the balance loss (weight 1: it is a term of the total loss) when it is on.
    void backward(T* dx, const T* dout, const T* x, const T* params, T* grads,
                  const SequenceBatch<T>& batch, Scratch<T>& scratch);

    // Of the last forward:
    T aux_loss() const { return aux_loss_; }  // 0 unless the balance loss is on
    const std::vector<int64_t>& expert_load() const { return load_; }           // (E) routed tokens
    const std::vector<double>& gate_weight_sum() const { return weight_sum_; }  // (E)
    const int* chosen_experts() const { return expert_.data(); }  // (n, K), -1 = not routed
    const T* gate_weights() const { return weight_.data(); }      // (n, K)
    const T* scores() const { return score_.data(); }             // (n, E) unbiased affinities s
    const T* logits() const { return logit_.data(); }             // (n, E) gate logits x Wg^T
    const RouterConfig& router() const { return router_; }
    int layer() const { return layer_; }
    size_t bias_offset() const { return w_bias_; }  // e_score_correction_bias in the block

  private:
    // The phases of forward(), in order.
    void route(const T* x, const T* params, const SequenceBatch<T>& batch);
    void group_by_expert(int n);
    void run_experts(const T* x, const T* params, const Fp8TrainingRecipe* fp8);
    void combine(T* out, const T* x, const T* params, int n, const Fp8TrainingRecipe* fp8);
    T balance_loss(const SequenceBatch<T>& batch);

    RouterConfig router_;
    int layer_, C_, E_, K_, F_;
    size_t w_gate_ = 0, w_bias_ = 0;
    std::vector<SwigluMlpWeights> experts_;
    bool has_shared_ = false;
    SwigluMlpWeights shared_;
    bool use_aux_loss_ = false;
    T alpha_ = 0;

    // Saved activations (n rows, M = routed assignments <= n * K), in the shard's arena.
    std::span<T> logit_, score_;         // (n, E)
    std::span<int> expert_;              // (n, K)
    std::span<T> weight_;                // (n, K)
    std::span<int> offset_;              // (E + 1) first grouped row of each expert
    std::span<int> cursor_;              // (E) next free grouped row while grouping
    std::span<int> slot_;                // (n, K) grouped row of assignment (r, k), -1 if none
    std::span<int> row_of_;              // (M) token row of each grouped row
    std::span<T> xg_, gu_, h_, y_;       // (M, C), (M, 2F), (M, F), (M, C)
    std::span<T> shared_gu_, shared_h_;  // (n, 2S), (n, S)
    std::span<T> aux_f_;                 // (B, E) f_i per sequence
    // Routing statistics of the last forward.
    std::vector<int64_t> load_;       // (E)
    std::vector<double> weight_sum_;  // (E)
    T aux_loss_ = 0;
};

}  // namespace tinyseek
