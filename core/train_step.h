// The language-model training step every trainer uses (docs/ARCHITECTURE.md "Training"):
//
//   forward -> losses and their gradients w.r.t. the logits -> update_from_logit_grads():
//   zero the gradients -> backward -> clip the global norm -> AdamW -> aux-loss-free bias update
//
// LmTrainStep is the whole step for next-token training (SFT and pre-training style): the
// next-token cross-entropy + lambda * the MTP cross-entropy (+ the balance loss in aux_loss
// and aux_free_seq modes). GRPO computes its own logit gradients (training/grpo_loss.h) and then
// takes the same update_from_logit_grads(), so both share one zero -> backward -> clip -> AdamW ->
// balance path.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/adamw.h"
#include "core/aligned.h"
#include "core/model.h"

namespace tinyseek {

// Gradients whose global L2 norm exceeds this are scaled down to it before AdamW.
inline constexpr float kMaxGradNorm = 1.0f;

// Called after the gradients are final and before the parameters change; may throw (e.g.
// Cancelled) to leave parameters and optimizer state untouched.
using BeforeUpdate = std::function<void()>;

// The update after a forward: grads = 0, backward from dlogits (and dmtp_logits, the MTP head's,
// or null), clip to max_grad_norm (NumericError on NaN/Inf, before anything changes),
// before_update(), AdamW at `lr`, then the aux-loss-free bias update from `routing` (the
// forward's routing statistics). Returns the gradient norm before clipping.
float update_from_logit_grads(Model& model, ParamStore& params, ParamStore& grads, AdamW& optimizer,
                              const float* dlogits, const float* dmtp_logits,
                              const RoutingStats& routing, float lr,
                              const BeforeUpdate& before_update = {},
                              float max_grad_norm = kMaxGradNorm);

// The same update from gradients already in `grads` (clip, before_update(), AdamW, bias
// update): after update_from_logit_grads' backward, or for a step with nothing to
// differentiate (zero gradients: AdamW's moments decay, weight decay applies).
float update_from_grads(Model& model, ParamStore& params, ParamStore& grads, AdamW& optimizer,
                        const RoutingStats& routing, float lr,
                        const BeforeUpdate& before_update = {}, float max_grad_norm = kMaxGradNorm);

// B right-padded sequences of T tokens for one next-token step.
struct LmBatch {
    const int* tokens = nullptr;  // (B, T)
    int B = 0;
    int T = 0;
    const int* lengths = nullptr;      // (B) valid tokens per sequence; null = all T
    const int* targets = nullptr;      // (B*T) next-token targets; null = every next token
    const int* mtp_targets = nullptr;  // (B*T) targets two ahead (MTP); null = every one
};

struct LmStepResult {
    double loss = 0;       // total: main + mtp_loss_weight * mtp + aux
    double main_loss = 0;  // mean next-token cross-entropy
    double mtp_loss = 0;   // mean cross-entropy of the MTP head (token t+2)
    double aux_loss = 0;   // balance loss (aux_loss, aux_free_seq modes)
    float grad_norm = 0;   // before clipping
    int64_t tokens = 0;    // counted next-token targets
    RoutingStats routing;  // of this step's forward (bias as used, before the update)
};

class LmTrainStep {
  public:
    // Runs one step. Throws NumericError on NaN/Inf in the loss or gradients, before the
    // parameters are touched.
    LmStepResult run(Model& model, ParamStore& params, ParamStore& grads, AdamW& optimizer,
                     const LmBatch& batch, float lr, const BeforeUpdate& before_update = {},
                     float max_grad_norm = kMaxGradNorm);

  private:
    AlignedVector<float> dlogits_, dmtp_;  // (B*T, V)
    std::vector<int> default_targets_, default_mtp_targets_;
};

}  // namespace tinyseek
