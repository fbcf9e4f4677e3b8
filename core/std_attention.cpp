#include "core/std_attention.h"

#include <algorithm>
#include <cmath>

#include "core/causal_attention.h"
#include "core/linear.h"
#include "core/mla_attention.h"
#include "core/rope_scaling.h"

namespace tinyseek {

template <typename T>
StdAttention<T>::StdAttention(const ModelConfig& c, const ParamLayout& layout, int layer)
    : C_(c.hidden_size),
      H_(c.num_attention_heads),
      Hkv_(c.attention == AttentionKind::mha ? c.num_attention_heads : c.num_key_value_heads),
      Dn_(c.qk_nope_head_dim),
      R_(c.qk_rope_head_dim),
      Dv_(c.v_head_dim),
      Dqk_(c.qk_head_dim()),
      scale_(attention_softmax_scale(c)) {
    const std::string p = layer_prefix(layer) + "self_attn.";
    w_q_ = layout.at(p + "q_proj.weight").offset;
    w_k_ = layout.at(p + "k_proj.weight").offset;
    w_v_ = layout.at(p + "v_proj.weight").offset;
    w_o_ = layout.at(p + "o_proj.weight").offset;
}

template <typename T>
void StdAttention<T>::lay_out(ArenaPlanner& p, int B, int T_len) {
    const int64_t n = static_cast<int64_t>(B) * T_len;
    q_ = p.take<T>("q", {n, H_ * Dqk_});
    k_ = p.take<T>("k", {n, Hkv_ * Dqk_});
    v_ = p.take<T>("v", {n, Hkv_ * Dv_});
    probs_ = p.take<T>("probs", {B, H_, T_len, T_len});
    attn_ = p.take<T>("attn", {n, H_ * Dv_});
}

template <typename T>
void StdAttention<T>::forward(T* out, const T* x, const T* params, const SequenceBatch<T>& batch) {
    const int n = batch.rows();
    linear_forward(q_.data(), x, params + w_q_, n, C_, H_ * Dqk_, false, batch.fp8);
    linear_forward(k_.data(), x, params + w_k_, n, C_, Hkv_ * Dqk_, false, batch.fp8);
    linear_forward(v_.data(), x, params + w_v_, n, C_, Hkv_ * Dv_, false, batch.fp8);
    rope_forward(q_.data() + Dn_, *batch.rope, batch.positions, n, H_, H_ * Dqk_, Dqk_);
    rope_forward(k_.data() + Dn_, *batch.rope, batch.positions, n, Hkv_, Hkv_ * Dqk_, Dqk_);

    AttentionDims dims{batch.B, batch.T, H_, Hkv_, Dqk_, Dv_, scale_};
    causal_attention_forward<T>(attn_.data(), probs_.data(), {q_.data(), H_ * Dqk_, Dqk_},
                                {k_.data(), Hkv_ * Dqk_, Dqk_}, {v_.data(), Hkv_ * Dv_, Dv_}, dims);
    linear_forward(out, attn_.data(), params + w_o_, n, H_ * Dv_, C_, false, batch.fp8);
}

template <typename T>
void StdAttention<T>::backward(T* dx, const T* dout, const T* x, const T* params, T* grads,
                               const SequenceBatch<T>& batch, Scratch<T>& scratch) {
    const int n = batch.rows();
    const size_t N = n;
    T* dattn = scratch.take(N * H_ * Dv_);
    T* dq = scratch.take(N * H_ * Dqk_);
    T* dk = scratch.take(N * Hkv_ * Dqk_);
    T* dv = scratch.take(N * Hkv_ * Dv_);
    T* dS = scratch.take(static_cast<size_t>(batch.T) * batch.T);

    linear_backward(dattn, grads + w_o_, dout, attn_.data(), params + w_o_, n, H_ * Dv_, C_,
                    batch.fp8, GradWrite::overwrite);
    AttentionDims dims{batch.B, batch.T, H_, Hkv_, Dqk_, Dv_, scale_};
    causal_attention_backward<T>({dq, H_ * Dqk_, Dqk_}, {dk, Hkv_ * Dqk_, Dqk_},
                                 {dv, Hkv_ * Dv_, Dv_}, dattn, probs_.data(),
                                 {q_.data(), H_ * Dqk_, Dqk_}, {k_.data(), Hkv_ * Dqk_, Dqk_},
                                 {v_.data(), Hkv_ * Dv_, Dv_}, dims, dS);
    rope_backward(dq + Dn_, *batch.rope, batch.positions, n, H_, H_ * Dqk_, Dqk_);
    rope_backward(dk + Dn_, *batch.rope, batch.positions, n, Hkv_, Hkv_ * Dqk_, Dqk_);
    linear_backward(dx, grads + w_q_, dq, x, params + w_q_, n, C_, H_ * Dqk_, batch.fp8);
    linear_backward(dx, grads + w_k_, dk, x, params + w_k_, n, C_, Hkv_ * Dqk_, batch.fp8);
    linear_backward(dx, grads + w_v_, dv, x, params + w_v_, n, C_, Hkv_ * Dv_, batch.fp8);
}

template <typename T>
std::unique_ptr<AttentionLayer<T>> make_attention_layer(const ModelConfig& config,
                                                        const ParamLayout& layout, int layer) {
    if (config.attention == AttentionKind::mla)
        return std::make_unique<MlaAttention<T>>(config, layout, layer);
    return std::make_unique<StdAttention<T>>(config, layout, layer);
}

template class StdAttention<float>;
template class StdAttention<double>;
template std::unique_ptr<AttentionLayer<float>> make_attention_layer<float>(const ModelConfig&,
                                                                            const ParamLayout&,
                                                                            int);
template std::unique_ptr<AttentionLayer<double>> make_attention_layer<double>(const ModelConfig&,
                                                                              const ParamLayout&,
                                                                              int);

}  // namespace tinyseek
