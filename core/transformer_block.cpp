#include "core/transformer_block.h"

#include <algorithm>

#include "core/rmsnorm.h"

namespace tinyseek {

template <typename T>
TransformerBlock<T>::TransformerBlock(const ModelConfig& c, const ParamLayout& layout, int layer)
    : prefix_(layer_prefix(layer)), C_(c.hidden_size), eps_(static_cast<T>(c.rms_norm_eps)) {
    const std::string& p = prefix_;
    w_in_norm_ = layout.at(p + "input_layernorm.weight").offset;
    w_post_norm_ = layout.at(p + "post_attention_layernorm.weight").offset;
    attn_ = make_attention_layer<T>(c, layout, layer);
    if (c.is_moe_layer(layer))
        moe_ = std::make_unique<MoeLayer<T>>(c, layout, layer);
    else
        dense_ = SwigluMlpWeights::resolve(layout, p + "mlp.");
}

template <typename T>
void TransformerBlock<T>::lay_out(ArenaPlanner& p, int B, int T_len) {
    const int64_t n = static_cast<int64_t>(B) * T_len;
    p.set_scope(prefix_);
    xn1_ = p.take<T>("input_layernorm", {n, C_});
    rstd1_ = p.take<T>("input_layernorm_rstd", {n});
    h_ = p.take<T>("attn_residual", {n, C_});
    xn2_ = p.take<T>("post_attention_layernorm", {n, C_});
    rstd2_ = p.take<T>("post_attention_layernorm_rstd", {n});
    p.set_scope(prefix_ + "self_attn.");
    attn_->lay_out(p, B, T_len);
    p.set_scope(prefix_ + "mlp.");
    if (moe_) {
        moe_->lay_out(p, B, T_len);
    } else {
        dense_gu_ = p.take<T>("gate_up", {n, 2 * dense_.f});
        dense_h_ = p.take<T>("act", {n, dense_.f});
    }
}

template <typename T>
void TransformerBlock<T>::forward(T* y, const T* x, const T* params,
                                  const SequenceBatch<T>& batch) {
    const int n = batch.rows();
    const size_t NC = static_cast<size_t>(n) * C_;
    rmsnorm_forward(xn1_.data(), rstd1_.data(), x, params + w_in_norm_, n, C_, eps_);
    attn_->forward(h_.data(), xn1_.data(), params, batch);
    for (size_t i = 0; i < NC; ++i) h_[i] += x[i];
    rmsnorm_forward(xn2_.data(), rstd2_.data(), h_.data(), params + w_post_norm_, n, C_, eps_);
    if (moe_) {
        moe_->forward(y, xn2_.data(), params, batch);
    } else {
        swiglu_mlp_forward(y, dense_gu_.data(), dense_h_.data(), xn2_.data(),
                           params + dense_.gate_up, params + dense_.down, n, C_, dense_.f,
                           batch.fp8);
    }
    for (size_t i = 0; i < NC; ++i) y[i] += h_[i];
}

template <typename T>
void TransformerBlock<T>::backward(T* d, const T* x, const T* params, T* grads,
                                   const SequenceBatch<T>& batch, Scratch<T>& scratch) {
    scratch.reset();
    const int n = batch.rows();
    const size_t NC = static_cast<size_t>(n) * C_;
    // y = h + ffn(xn2): dL/dh = dy + rmsnorm_backward(ffn_backward(dy)).
    T* dxn = scratch.take(NC);
    std::fill_n(dxn, NC, T(0));
    if (moe_) {
        moe_->backward(dxn, d, xn2_.data(), params, grads, batch, scratch);
    } else {
        T* tmp = scratch.take(static_cast<size_t>(n) * 3 * dense_.f);
        swiglu_mlp_backward(dxn, grads + dense_.gate_up, grads + dense_.down, d, xn2_.data(),
                            dense_gu_.data(), dense_h_.data(), params + dense_.gate_up,
                            params + dense_.down, n, C_, dense_.f, tmp, batch.fp8);
    }
    rmsnorm_backward(d, grads + w_post_norm_, dxn, h_.data(), params + w_post_norm_, rstd2_.data(),
                     n, C_);
    // h = x + attn(xn1): dL/dx = dL/dh + rmsnorm_backward(attn_backward(dL/dh)).
    std::fill_n(dxn, NC, T(0));
    attn_->backward(dxn, d, xn1_.data(), params, grads, batch, scratch);
    rmsnorm_backward(d, grads + w_in_norm_, dxn, x, params + w_in_norm_, rstd1_.data(), n, C_);
}

template class TransformerBlock<float>;
template class TransformerBlock<double>;

}  // namespace tinyseek
