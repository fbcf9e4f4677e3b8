// One DeepSeek-V3 decoder block (pre-norm residual):
//   h = x + attn(input_layernorm(x))
//   y = h + ffn(post_attention_layernorm(h))
// where ffn is the dense SwiGLU MLP for layers < first_k_dense_replace and DeepSeekMoE after
// (the MTP block, at index num_hidden_layers, is an MoE block too).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "core/attention_layer.h"
#include "core/mlp.h"
#include "core/moe_layer.h"

namespace tinyseek {

template <typename T>
class TransformerBlock {
  public:
    TransformerBlock(const ModelConfig& config, const ParamLayout& layout, int layer);

    // Takes the buffers forward() keeps, the attention's and the MLP's included, for B
    // sequences of T tokens (activation_arena.h); names them after the block's tensors.
    void lay_out(ArenaPlanner& p, int B, int seq_len);
    // y (n, C) = block(x (n, C)); saves activations (x itself must stay alive for backward).
    void forward(T* y, const T* x, const T* params, const SequenceBatch<T>& batch);
    // In place: `d` (n, C) holds dL/dy on entry and dL/dx on return. Parameter gradients
    // accumulate into grads. Resets `scratch` (its memory is only used inside this call).
    void backward(T* d, const T* x, const T* params, T* grads, const SequenceBatch<T>& batch,
                  Scratch<T>& scratch);

    const AttentionLayer<T>& attention() const { return *attn_; }
    MoeLayer<T>* moe() { return moe_.get(); }  // null for a dense block
    const MoeLayer<T>* moe() const { return moe_.get(); }

  private:
    std::string prefix_;  // "model.layers.{l}."
    int C_;
    T eps_;
    size_t w_in_norm_ = 0, w_post_norm_ = 0;
    std::unique_ptr<AttentionLayer<T>> attn_;
    std::unique_ptr<MoeLayer<T>> moe_;
    SwigluMlpWeights dense_;

    // Saved activations of the last forward (n = B*T rows), in the shard's arena.
    std::span<T> xn1_, rstd1_;         // (n, C), (n)  input_layernorm(x)
    std::span<T> h_;                   // (n, C)       after the attention residual
    std::span<T> xn2_, rstd2_;         // (n, C), (n)  post_attention_layernorm(h)
    std::span<T> dense_gu_, dense_h_;  // (n, 2F), (n, F)
};

}  // namespace tinyseek
