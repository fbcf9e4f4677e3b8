#include "core/mla_attention.h"

#include <algorithm>
#include <cmath>

#include "core/causal_attention.h"
#include "core/linear.h"
#include "core/rmsnorm.h"
#include "core/rope_scaling.h"

namespace tinyseek {

template <typename T>
MlaAttention<T>::MlaAttention(const ModelConfig& c, const ParamLayout& layout, int layer)
    : C_(c.hidden_size),
      H_(c.num_attention_heads),
      Lq_(c.q_lora_rank),
      Dc_(c.kv_lora_rank),
      R_(c.qk_rope_head_dim),
      Dn_(c.qk_nope_head_dim),
      Dv_(c.v_head_dim),
      Dqk_(c.qk_head_dim()),
      eps_(static_cast<T>(c.rms_norm_eps)),
      scale_(attention_softmax_scale(c)) {
    const std::string p = layer_prefix(layer) + "self_attn.";
    if (Lq_ > 0) {
        w_.q_a = layout.at(p + "q_a_proj.weight").offset;
        w_.q_a_norm = layout.at(p + "q_a_layernorm.weight").offset;
        w_.q_b = layout.at(p + "q_b_proj.weight").offset;
    } else {
        w_.q = layout.at(p + "q_proj.weight").offset;
    }
    w_.kv_a = layout.at(p + "kv_a_proj_with_mqa.weight").offset;
    w_.kv_a_norm = layout.at(p + "kv_a_layernorm.weight").offset;
    w_.kv_b = layout.at(p + "kv_b_proj.weight").offset;
    w_.o = layout.at(p + "o_proj.weight").offset;
}

template <typename T>
void MlaAttention<T>::lay_out(ArenaPlanner& p, int B, int T_len) {
    const int64_t n = static_cast<int64_t>(B) * T_len;
    if (Lq_ > 0) {
        qa_ = p.take<T>("q_a", {n, Lq_});
        qa_rstd_ = p.take<T>("q_a_rstd", {n});
        qan_ = p.take<T>("q_a_normed", {n, Lq_});
    }
    q_ = p.take<T>("q", {n, H_ * Dqk_});
    kva_ = p.take<T>("kv_a", {n, Dc_ + R_});
    ckv_rstd_ = p.take<T>("kv_a_rstd", {n});
    ckvn_ = p.take<T>("kv_a_normed", {n, Dc_});
    kv_ = p.take<T>("kv", {n, H_ * (Dn_ + Dv_)});
    k_ = p.take<T>("k", {n, H_ * Dqk_});
    probs_ = p.take<T>("probs", {B, H_, T_len, T_len});
    attn_ = p.take<T>("attn", {n, H_ * Dv_});
}

template <typename T>
void MlaAttention<T>::forward(T* out, const T* x, const T* params, const SequenceBatch<T>& batch) {
    const int n = batch.rows();
    const size_t N = n;
    const int KV = Dc_ + R_;
    const int HD = H_ * (Dn_ + Dv_);
    if (Lq_ > 0) {
        linear_forward(qa_.data(), x, params + w_.q_a, n, C_, Lq_, false, batch.fp8);
        rmsnorm_forward(qan_.data(), qa_rstd_.data(), qa_.data(), params + w_.q_a_norm, n, Lq_,
                        eps_);
        linear_forward(q_.data(), qan_.data(), params + w_.q_b, n, Lq_, H_ * Dqk_, false,
                       batch.fp8);
    } else {
        linear_forward(q_.data(), x, params + w_.q, n, C_, H_ * Dqk_, false, batch.fp8);
    }
    rope_forward(q_.data() + Dn_, *batch.rope, batch.positions, n, H_, H_ * Dqk_, Dqk_);

    linear_forward(kva_.data(), x, params + w_.kv_a, n, C_, KV, false, batch.fp8);
    rmsnorm_forward(ckvn_.data(), ckv_rstd_.data(), kva_.data(), params + w_.kv_a_norm, n, Dc_,
                    eps_, KV);
    linear_forward(kv_.data(), ckvn_.data(), params + w_.kv_b, n, Dc_, HD, false, batch.fp8);
    rope_forward(kva_.data() + Dc_, *batch.rope, batch.positions, n, 1, KV, R_);

    // Per-head keys [k_nope_h | k_rope]: the rope key is shared by every head. Plain loops
    // rather than std::copy: the compiler moves these few floats inline, where two library
    // calls per row and head cost more than the copy (0.7% of a training step in memmove).
    for (size_t r = 0; r < N; ++r) {
        const T* rope = kva_.data() + r * KV + Dc_;
        for (int h = 0; h < H_; ++h) {
            T* kh = k_.data() + (r * H_ + h) * Dqk_;
            const T* nope = kv_.data() + r * HD + static_cast<size_t>(h) * (Dn_ + Dv_);
            for (int d = 0; d < Dn_; ++d) kh[d] = nope[d];
            for (int d = 0; d < R_; ++d) kh[Dn_ + d] = rope[d];
        }
    }

    AttentionDims dims{batch.B, batch.T, H_, H_, Dqk_, Dv_, scale_};
    causal_attention_forward<T>(attn_.data(), probs_.data(), {q_.data(), H_ * Dqk_, Dqk_},
                                {k_.data(), H_ * Dqk_, Dqk_}, {kv_.data() + Dn_, HD, Dn_ + Dv_},
                                dims);
    linear_forward(out, attn_.data(), params + w_.o, n, H_ * Dv_, C_, false, batch.fp8);
}

template <typename T>
void MlaAttention<T>::backward(T* dx, const T* dout, const T* x, const T* params, T* grads,
                               const SequenceBatch<T>& batch, Scratch<T>& scratch) {
    const int n = batch.rows();
    const size_t N = n;
    const int KV = Dc_ + R_;
    const int HD = H_ * (Dn_ + Dv_);
    T* dattn = scratch.take(N * H_ * Dv_);  // (n, H*Dv)
    T* dq = scratch.take(N * H_ * Dqk_);    // (n, H*Dqk)
    T* dk = scratch.take(N * H_ * Dqk_);    // (n, H*Dqk)
    T* dkv = scratch.take(N * HD);          // (n, H*(Dn+Dv))
    T* dkva = scratch.take(N * KV);         // (n, D_c + R)
    T* dckvn = scratch.take(N * Dc_);       // (n, D_c)
    T* dS = scratch.take(static_cast<size_t>(batch.T) * batch.T);

    // out = attn Wo^T
    linear_backward(dattn, grads + w_.o, dout, attn_.data(), params + w_.o, n, H_ * Dv_, C_,
                    batch.fp8, GradWrite::overwrite);

    AttentionDims dims{batch.B, batch.T, H_, H_, Dqk_, Dv_, scale_};
    // dV goes straight into the v columns of dkv; dK is split below.
    causal_attention_backward<T>({dq, H_ * Dqk_, Dqk_}, {dk, H_ * Dqk_, Dqk_},
                                 {dkv + Dn_, HD, Dn_ + Dv_}, dattn, probs_.data(),
                                 {q_.data(), H_ * Dqk_, Dqk_}, {k_.data(), H_ * Dqk_, Dqk_},
                                 {kv_.data() + Dn_, HD, Dn_ + Dv_}, dims, dS);

    // k_h = [k_nope_h | k_rope]: dk_nope_h -> dkv, dk_rope = sum over heads (shared key).
    for (size_t r = 0; r < N; ++r) {
        T* dkr = dkva + r * KV + Dc_;
        for (int i = 0; i < R_; ++i) dkr[i] = T(0);
        for (int h = 0; h < H_; ++h) {  // plain loops, as in forward()
            const T* dkh = dk + (r * H_ + h) * Dqk_;
            T* dnope = dkv + r * HD + static_cast<size_t>(h) * (Dn_ + Dv_);
            for (int d = 0; d < Dn_; ++d) dnope[d] = dkh[d];
            for (int i = 0; i < R_; ++i) dkr[i] += dkh[Dn_ + i];
        }
    }
    rope_backward(dkva + Dc_, *batch.rope, batch.positions, n, 1, KV, R_);

    // kv = ckvn Wkv_b^T, ckvn = rmsnorm(c_KV), [c_KV | k_rope] = x Wkv_a^T
    linear_backward(dckvn, grads + w_.kv_b, dkv, ckvn_.data(), params + w_.kv_b, n, Dc_, HD,
                    batch.fp8, GradWrite::overwrite);
    for (size_t r = 0; r < N; ++r) std::fill(dkva + r * KV, dkva + r * KV + Dc_, T(0));
    rmsnorm_backward(dkva, grads + w_.kv_a_norm, dckvn, kva_.data(), params + w_.kv_a_norm,
                     ckv_rstd_.data(), n, Dc_, KV);
    linear_backward(dx, grads + w_.kv_a, dkva, x, params + w_.kv_a, n, C_, KV, batch.fp8);

    // Query path: undo the rotation, then q_b_proj, q_a_layernorm, q_a_proj (or q_proj).
    rope_backward(dq + Dn_, *batch.rope, batch.positions, n, H_, H_ * Dqk_, Dqk_);
    if (Lq_ > 0) {
        T* dqan = scratch.take(N * Lq_);
        T* dqa = scratch.take(N * Lq_);
        std::fill(dqa, dqa + N * Lq_, T(0));
        linear_backward(dqan, grads + w_.q_b, dq, qan_.data(), params + w_.q_b, n, Lq_, H_ * Dqk_,
                        batch.fp8, GradWrite::overwrite);
        rmsnorm_backward(dqa, grads + w_.q_a_norm, dqan, qa_.data(), params + w_.q_a_norm,
                         qa_rstd_.data(), n, Lq_);
        linear_backward(dx, grads + w_.q_a, dqa, x, params + w_.q_a, n, C_, Lq_, batch.fp8);
    } else {
        linear_backward(dx, grads + w_.q, dq, x, params + w_.q, n, C_, H_ * Dqk_, batch.fp8);
    }
}

template class MlaAttention<float>;
template class MlaAttention<double>;

}  // namespace tinyseek
