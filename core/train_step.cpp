#include "core/train_step.h"

#include <cmath>
#include <string>

#include "core/cross_entropy.h"
#include "core/errors.h"

namespace tinyseek {

LmStepResult LmTrainStep::run(Model& model, ParamStore& params, ParamStore& grads, AdamW& optimizer,
                              const int* tokens, int B, int T, const int* lengths, float lr,
                              float max_grad_norm) {
    const ModelConfig& c = model.config();
    const auto out = model.forward(params, tokens, B, T, lengths);
    const size_t NV = static_cast<size_t>(B) * T * c.vocab_size;
    LmStepResult r;

    dlogits_.resize(NV);
    const std::vector<int> targets = shifted_targets(tokens, lengths, B, T, 1);
    const CrossEntropyResult main = cross_entropy(dlogits_.data(), static_cast<float*>(nullptr),
                                                  out.logits, targets.data(), out.rows, out.vocab);
    r.main_loss = main.loss;
    r.tokens = main.count;

    const float* dmtp = nullptr;
    if (out.mtp_logits) {
        dmtp_.resize(NV);
        const std::vector<int> mtp_targets = shifted_targets(tokens, lengths, B, T, 2);
        const CrossEntropyResult mtp =
            cross_entropy(dmtp_.data(), static_cast<float*>(nullptr), out.mtp_logits,
                          mtp_targets.data(), out.rows, out.vocab, c.mtp_loss_weight);
        r.mtp_loss = mtp.loss;
        dmtp = dmtp_.data();
    }
    r.aux_loss = out.aux_loss;
    if (!std::isfinite(r.aux_loss))
        throw NumericError("MoE balance loss is " + std::to_string(r.aux_loss));
    r.loss = r.main_loss + c.mtp_loss_weight * r.mtp_loss + r.aux_loss;
    r.routing = model.routing_stats(params);

    float* g = grads.data().data();
    const int64_t total = static_cast<int64_t>(grads.data().size());
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < total; ++i) g[i] = 0.0f;  // grads.set_zero(), on all threads
    model.backward(params, dlogits_.data(), dmtp, grads);
    r.grad_norm = clip_grad_norm(grads, max_grad_norm);
    optimizer.step(params, grads, lr);
    apply_aux_free_update(params, r.routing);
    return r;
}

}  // namespace tinyseek
