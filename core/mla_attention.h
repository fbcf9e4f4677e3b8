// Multi-head latent attention (DeepSeek-V2 §2.1, V3 §2.1.1), full-sequence causal form used
// for training. With x the block's normalised input (n, C):
//   queries   q = q_b_proj(q_a_layernorm(q_a_proj x))     (or q_proj x when q_lora_rank = 0)
//             per head [q_nope (Dn) | q_rope (R)], RoPE on q_rope
//   latent    [c_KV (D_c) | k_rope (R)] = kv_a_proj_with_mqa x, RoPE on k_rope (one per token,
//             shared by all heads: the "decoupled" key)
//   keys/vals per head [k_nope (Dn) | v (Dv)] = kv_b_proj(kv_a_layernorm(c_KV))
//   attention with k_h = [k_nope_h | k_rope], scale 1/sqrt(Dn + R) (times YaRN's mscale^2,
//   core/rope_scaling.h), then o_proj.
// Only c_KV and k_rope would be cached at inference (mla_decode.h); training recomputes
// everything per step.
#pragma once

#include <cstddef>
#include <span>

#include "core/attention_layer.h"

namespace tinyseek {

template <typename T>
class MlaAttention final : public AttentionLayer<T> {
  public:
    MlaAttention(const ModelConfig& config, const ParamLayout& layout, int layer);

    void lay_out(ArenaPlanner& p, int B, int seq_len) override;
    void forward(T* out, const T* x, const T* params, const SequenceBatch<T>& batch) override;
    void backward(T* dx, const T* dout, const T* x, const T* params, T* grads,
                  const SequenceBatch<T>& batch, Scratch<T>& scratch) override;
    AttentionInternals<T> internals() const override {
        return {q_.data(), k_.data(), probs_.data(), H_, H_, Dn_, R_, scale_};
    }

  private:
    struct Offsets {
        size_t q_a = 0, q_a_norm = 0, q_b = 0;  // q_lora_rank > 0
        size_t q = 0;                           // q_lora_rank == 0
        size_t kv_a = 0, kv_a_norm = 0, kv_b = 0, o = 0;
    };
    Offsets w_;
    int C_, H_, Lq_, Dc_, R_, Dn_, Dv_, Dqk_;
    T eps_;
    double scale_;  // softmax scale (attention_softmax_scale)

    // Saved activations of the last forward (n = B*T rows), in the shard's arena.
    std::span<T> qa_;        // (n, Lq)         q_a_proj x
    std::span<T> qa_rstd_;   // (n)
    std::span<T> qan_;       // (n, Lq)         q_a_layernorm(qa)
    std::span<T> q_;         // (n, H*Dqk)      queries, rope part rotated
    std::span<T> kva_;       // (n, D_c + R)    [c_KV | k_rope], k_rope rotated
    std::span<T> ckv_rstd_;  // (n)
    std::span<T> ckvn_;      // (n, D_c)        kv_a_layernorm(c_KV)
    std::span<T> kv_;        // (n, H*(Dn+Dv))  per head [k_nope | v]
    std::span<T> k_;         // (n, H*Dqk)      per head [k_nope | k_rope]
    std::span<T> probs_;     // (B, H, T, T)
    std::span<T> attn_;      // (n, H*Dv)       attention output before o_proj
};

}  // namespace tinyseek
