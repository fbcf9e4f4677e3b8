// Learning-rate schedule: linear warm-up then cosine decay (Loshchilov & Hutter 2017).
#pragma once

#include <cstdint>

namespace tinyseek {

struct LrSchedule {
    float peak_lr = 1e-3f;
    float min_lr = 1e-4f;
    int64_t warmup_steps = 100;
    int64_t total_steps = 1000;

    // lr at 0-based `step`:
    //   step < warmup:        peak * (step + 1) / warmup
    //   warmup <= step < total: min + (peak - min) * (1 + cos(pi * progress)) / 2,
    //                         progress = (step - warmup) / (total - warmup)
    //   step >= total:        min
    float at(int64_t step) const;
};

}  // namespace tinyseek
