#include "training/control_arm_budget.h"

#include <algorithm>
#include <cmath>

namespace tinyseek {

ControlArmBudget::ControlArmBudget(double target, std::vector<double> eval_times,
                                   std::int64_t stored_steps)
    : target_(target), eval_times_(std::move(eval_times)), steps_(kUnknown) {
    if (stored_steps != kUnknown) fix(stored_steps);
}

bool ControlArmBudget::calibrate(std::int64_t k, double step_seconds, double clock) {
    if (known()) return false;
    step_seconds_.push_back(step_seconds);
    std::vector<double> sorted = step_seconds_;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted[sorted.size() / 2];
    // Stop at the step that brings the clock closest to the target: once the clock is
    // within half a step of it, one more step would overshoot by more.
    if (clock >= target_ - 0.5 * median) {
        fix(k);
        return true;
    }
    if (k < kCalibrationSteps) return false;
    // The median ignores the first step's allocations and any hiccup; the steps done so far
    // count with the time they really took.
    fix(k + std::max<std::int64_t>(1, std::llround((target_ - clock) / median)));
    return true;
}

void ControlArmBudget::fix(std::int64_t steps) {
    steps_ = std::max<std::int64_t>(1, steps);
    eval_steps_.clear();
    eval_steps_.insert(steps_);
    const std::int64_t first = std::min(kCalibrationSteps, steps_);
    if (!(target_ > 0.0)) return;
    for (double t : eval_times_) {
        const double at = std::ceil(t * static_cast<double>(steps_) / target_);
        eval_steps_.insert(std::clamp(static_cast<std::int64_t>(at), first, steps_));
    }
}

}  // namespace tinyseek
