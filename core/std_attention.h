// Standard multi-head (MHA) and grouped-query (GQA) attention, the comparison variants of
// ModelConfig::attention, full-sequence causal form for training:
//   q = q_proj x (H heads), k = k_proj x, v = v_proj x (H_kv heads; H_kv = H for MHA)
//   each head is [nope (qk_nope_head_dim) | rope (qk_rope_head_dim)]: RoPE on the last
//   qk_rope_head_dim dims of every query and key head (partial rotary, adjacent pairs)
//   query head h attends with KV head h / (H / H_kv); scale 1/sqrt(Dn + R) (times YaRN's
//   mscale^2, core/rope_scaling.h); then o_proj.
#pragma once

#include <cstddef>
#include <span>

#include "core/attention_layer.h"

namespace tinyseek {

template <typename T>
class StdAttention final : public AttentionLayer<T> {
  public:
    StdAttention(const ModelConfig& config, const ParamLayout& layout, int layer);

    void lay_out(ArenaPlanner& p, int B, int seq_len) override;
    void forward(T* out, const T* x, const T* params, const SequenceBatch<T>& batch) override;
    void backward(T* dx, const T* dout, const T* x, const T* params, T* grads,
                  const SequenceBatch<T>& batch, Scratch<T>& scratch) override;
    AttentionInternals<T> internals() const override {
        return {q_.data(), k_.data(), probs_.data(), H_, Hkv_, Dn_, R_, scale_};
    }

  private:
    size_t w_q_ = 0, w_k_ = 0, w_v_ = 0, w_o_ = 0;
    int C_, H_, Hkv_, Dn_, R_, Dv_, Dqk_;
    double scale_;  // softmax scale (attention_softmax_scale)

    // Saved activations of the last forward (n = B*T rows), in the shard's arena.
    std::span<T> q_;      // (n, H*Dqk)    rope parts rotated
    std::span<T> k_;      // (n, Hkv*Dqk)  rope parts rotated
    std::span<T> v_;      // (n, Hkv*Dv)
    std::span<T> probs_;  // (B, H, T, T)
    std::span<T> attn_;   // (n, H*Dv)
};

}  // namespace tinyseek
