// The attention sub-layer of a transformer block in the training path: MLA (DeepSeek-V2/V3)
// or the MHA/GQA comparison variants, chosen by ModelConfig::attention.
#pragma once

#include <memory>

#include "core/activation_arena.h"
#include "core/layer_context.h"
#include "core/model_config.h"
#include "core/param_layout.h"

namespace tinyseek {

// What the last forward computed inside attention, for looking at it (the Explore page,
// core/forward_inspection.h): rows n = B*T; per query head [nope (nope_dim) | rope (rope_dim)],
// the rope parts rotated; query head h reads key head h / (heads / kv_heads). MLA keeps
// per-head keys [k_nope_h | k_rope] (kv_heads = heads), the shared k_rope copied into each.
template <typename T>
struct AttentionInternals {
    const T* q = nullptr;      // (n, heads * (nope_dim + rope_dim))
    const T* k = nullptr;      // (n, kv_heads * (nope_dim + rope_dim))
    const T* probs = nullptr;  // (B, heads, T, T) softmax rows, zero above the diagonal
    int heads = 0, kv_heads = 0, nope_dim = 0, rope_dim = 0;
    double scale = 0;  // the softmax scale the scores were multiplied by
};

template <typename T>
class AttentionLayer {
  public:
    virtual ~AttentionLayer() = default;

    // Takes the buffers forward() keeps, for B sequences of T tokens (activation_arena.h).
    virtual void lay_out(ArenaPlanner& p, int B, int seq_len) = 0;

    // out (n, C) = attention over x (n, C), the block's normalised input (n = B*T rows,
    // causal within each sequence). Saves what backward needs; `params` is the flat block.
    virtual void forward(T* out, const T* x, const T* params, const SequenceBatch<T>& batch) = 0;

    // dx (n, C) += dL/dx given dout (n, C) and the x of the last forward; parameter gradients
    // accumulate into `grads` (same layout as params).
    virtual void backward(T* dx, const T* dout, const T* x, const T* params, T* grads,
                          const SequenceBatch<T>& batch, Scratch<T>& scratch) = 0;

    // Buffers of the last forward (valid until the next one).
    virtual AttentionInternals<T> internals() const = 0;
};

// The attention layer of block `layer` for config.attention.
template <typename T>
std::unique_ptr<AttentionLayer<T>> make_attention_layer(const ModelConfig& config,
                                                        const ParamLayout& layout, int layer);

}  // namespace tinyseek
