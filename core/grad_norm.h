// The global L2 norm of the trainable gradients and clipping by it (docs/ARCHITECTURE.md
// "Forward and backward").
//
// The norm is one sum in a fixed order that depends on the OpenMP thread count only: each
// thread sums its contiguous share of every trainable tensor in eight interleaved double lanes,
// and the shares are added tensor by tensor, in thread order. The model's backward, which sums
// its workers' gradient blocks anyway (core/model.h), measures the same sum in the same pass
// (reduce_gradient_blocks), and AdamW applies the clip's scale as it reads each gradient
// (AdamW::step): a step reads and writes its gradients twice less than a separate norm and
// scaling pass would.
#pragma once

#include <optional>
#include <span>

#include "core/param_layout.h"
#include "core/param_store.h"

namespace tinyseek {

// g += blocks[0] + blocks[1] + ... element by element (in that order; no blocks: g unchanged),
// on every OpenMP thread; returns the sum of squares of the result's trainable tensors in the
// order above (NaN or Inf when a gradient is not finite).
template <typename T>
double reduce_gradient_blocks(const ParamLayout& layout, T* g, std::span<const T* const> blocks);

// The sum of squares of the trainable gradients in that order, without changing them.
double gradient_square_sum(const ParamStore& grads);

struct GradientClip {
    float norm = 0;   // before clipping
    float scale = 1;  // max_norm / norm when the norm exceeds max_norm > 0, else 1
};

// The clip for `grads`, from square_sum when the caller measured it (reduce_gradient_blocks),
// else measured here. Throws NumericError when the norm is NaN or Inf, naming the first tensor
// with a non-finite gradient.
GradientClip gradient_clip(const ParamStore& grads, float max_norm,
                           std::optional<double> square_sum = std::nullopt);

// gradient_clip, then every trainable gradient times its scale. Returns the norm before
// clipping.
float clip_grad_norm(ParamStore& grads, float max_norm);

}  // namespace tinyseek
