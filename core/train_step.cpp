#include "core/train_step.h"

#include <cmath>
#include <string>

#include "core/cross_entropy.h"
#include "core/errors.h"
#include "core/grad_norm.h"

namespace tinyseek {

float update_from_logit_grads(Model& model, ParamStore& params, ParamStore& grads, AdamW& optimizer,
                              const float* dlogits, const float* dmtp_logits,
                              const RoutingStats& routing, float lr,
                              const BeforeUpdate& before_update, float max_grad_norm) {
    grads.set_zero();
    model.backward(params, dlogits, dmtp_logits, grads);
    return update_from_grads(model, params, grads, optimizer, routing, lr, before_update,
                             max_grad_norm);
}

float update_from_grads(Model& model, ParamStore& params, ParamStore& grads, AdamW& optimizer,
                        const RoutingStats& routing, float lr, const BeforeUpdate& before_update,
                        float max_grad_norm) {
    // NaN/Inf -> throws; the norm as the backward measured it while summing its workers.
    const GradientClip clip = gradient_clip(grads, max_grad_norm, model.grad_square_sum());
    if (before_update) before_update();
    // The FP8 recipe keeps AdamW's moments in BF16 when it asks to (core/fp8_training.h).
    optimizer.set_bf16_moments(model.fp8() && model.fp8()->bf16_moments);
    optimizer.step(params, grads, lr, clip.scale);
    apply_aux_free_update(params, routing);
    return clip.norm;
}

LmStepResult LmTrainStep::run(Model& model, ParamStore& params, ParamStore& grads, AdamW& optimizer,
                              const LmBatch& batch, float lr, const BeforeUpdate& before_update,
                              float max_grad_norm) {
    const ModelConfig& c = model.config();
    const auto out = model.forward(params, batch.tokens, batch.B, batch.T, batch.lengths);
    const size_t NV = static_cast<size_t>(out.rows) * out.vocab;
    LmStepResult r;

    const int* targets = batch.targets;
    if (!targets) {
        default_targets_ = shifted_targets(batch.tokens, batch.lengths, batch.B, batch.T, 1);
        targets = default_targets_.data();
    }
    dlogits_.resize(NV);
    const CrossEntropyResult main = cross_entropy(dlogits_.data(), static_cast<float*>(nullptr),
                                                  out.logits, targets, out.rows, out.vocab);
    r.main_loss = main.loss;
    r.tokens = main.count;

    // The MTP loss with its weight lambda folded into the gradient (DeepSeek-V3 §2.2:
    // L = L_main + lambda * L_MTP).
    const float* dmtp = nullptr;
    if (out.mtp_logits) {
        const int* mtp_targets = batch.mtp_targets;
        if (!mtp_targets) {
            default_mtp_targets_ =
                shifted_targets(batch.tokens, batch.lengths, batch.B, batch.T, 2);
            mtp_targets = default_mtp_targets_.data();
        }
        dmtp_.resize(NV);
        const CrossEntropyResult mtp =
            cross_entropy(dmtp_.data(), static_cast<float*>(nullptr), out.mtp_logits, mtp_targets,
                          out.rows, out.vocab, c.mtp_loss_weight);
        r.mtp_loss = mtp.loss;
        dmtp = dmtp_.data();
    }
    r.aux_loss = out.aux_loss;
    if (!std::isfinite(r.aux_loss))
        throw NumericError("MoE balance loss is " + std::to_string(r.aux_loss));
    r.loss = r.main_loss + c.mtp_loss_weight * r.mtp_loss + r.aux_loss;
    r.routing = model.routing_stats(params);
    r.grad_norm = update_from_logit_grads(model, params, grads, optimizer, dlogits_.data(), dmtp,
                                          r.routing, lr, before_update, max_grad_norm);
    return r;
}

}  // namespace tinyseek
