// One language-modelling training step (SFT / pre-training style), assembled from the core
// pieces: forward, next-token cross-entropy + lambda * MTP cross-entropy (+ the balance loss
// in aux_loss mode), backward, global grad-norm clipping, AdamW, then the aux-loss-free bias
// update. GRPO builds its own step from the same pieces with its own dlogits.
#pragma once

#include <cstdint>
#include <vector>

#include "core/adamw.h"
#include "core/model.h"

namespace tinyseek {

struct LmStepResult {
    double loss = 0;       // total: main + mtp_loss_weight * mtp + aux
    double main_loss = 0;  // mean next-token cross-entropy
    double mtp_loss = 0;   // mean cross-entropy of the MTP head (token t+2)
    double aux_loss = 0;   // balance loss (aux_loss mode)
    float grad_norm = 0;   // before clipping
    int64_t tokens = 0;    // counted next-token targets
    RoutingStats routing;  // of this step's forward (bias as used, before the update)
};

class LmTrainStep {
  public:
    // Runs one step on B right-padded sequences of T tokens (lengths may be null). Throws
    // NumericError on NaN/Inf in the loss or gradients, before parameters are touched.
    LmStepResult run(Model& model, ParamStore& params, ParamStore& grads, AdamW& optimizer,
                     const int* tokens, int B, int T, const int* lengths, float lr,
                     float max_grad_norm = 1.0f);

  private:
    std::vector<float> dlogits_, dmtp_;
};

}  // namespace tinyseek
