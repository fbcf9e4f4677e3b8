// AdamW (Loshchilov & Hutter 2019) with decoupled weight decay (clipping: core/grad_norm.h).
//   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2
//   p -= lr * ( m_hat / (sqrt(v_hat) + eps) + wd * p ),  m_hat = m / (1 - b1^t), v_hat likewise
// Weight decay only on tensors with TensorSpec::weight_decay (matrices); tensors that are not
// trainable (the router bias, moved by balancing) are skipped entirely.
#pragma once

#include <cstdint>

#include "core/param_store.h"

namespace tinyseek {

struct AdamWConfig {
    float beta1 = 0.9f;
    float beta2 = 0.95f;
    float eps = 1e-8f;
    float weight_decay = 0.1f;
    // Keep m and v in BF16, as DeepSeek-V3 does (§3.3.3): each is rounded to BF16
    // (core/bf16.h) when updated, before the parameter update reads it.
    bool bf16_moments = false;
};

class AdamW {
  public:
    AdamW(const ModelConfig& config, const AdamWConfig& hyper = {});

    // One update with learning rate lr from grads times grad_scale (a gradient clip's,
    // core/grad_norm.h; the gradients themselves are not changed). Throws Error when the stores'
    // layouts differ from the optimizer's.
    void step(ParamStore& params, const ParamStore& grads, float lr, float grad_scale = 1.0f);

    const AdamWConfig& hyper() const { return hyper_; }
    void set_bf16_moments(bool on) { hyper_.bf16_moments = on; }
    // Optimizer state, for checkpoints: first and second moments in the parameter layout and
    // the number of steps taken (bias correction uses it).
    ParamStore& m() { return m_; }
    ParamStore& v() { return v_; }
    const ParamStore& m() const { return m_; }
    const ParamStore& v() const { return v_; }
    int64_t step_count() const { return t_; }
    void set_step_count(int64_t t) { t_ = t; }
    // Moments zero and step 0, as a fresh optimizer has them (a new training stage).
    void reset();

  private:
    AdamWConfig hyper_;
    ParamStore m_, v_;
    int64_t t_ = 0;
};

}  // namespace tinyseek
