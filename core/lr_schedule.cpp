#include "core/lr_schedule.h"

#include <cmath>
#include <numbers>

namespace tinyseek {

float LrSchedule::at(int64_t step) const {
    if (step < warmup_steps)
        return peak_lr * static_cast<float>(step + 1) / static_cast<float>(warmup_steps);
    if (step >= total_steps) return min_lr;
    const double progress =
        static_cast<double>(step - warmup_steps) / static_cast<double>(total_steps - warmup_steps);
    return static_cast<float>(min_lr + (peak_lr - min_lr) * 0.5 *
                                           (1.0 + std::cos(std::numbers::pi * progress)));
}

}  // namespace tinyseek
