// A proportion (accepted drafts of drafted, correct answers of asked) with its confidence
// interval. Plain C++ with no core dependencies, so Qt code may include it directly.
#pragma once

namespace tinyseek {

// successes / trials with its Wilson score interval (Wilson 1927) at z standard deviations
// (1.96: 95 %), which stays inside [0, 1] and is honest for a handful of trials, where the
// normal approximation p +- z sqrt(p(1-p)/n) is not; NaN everywhere when trials <= 0.
struct Proportion {
    double rate = 0.0;
    double low = 0.0;
    double high = 0.0;
};
Proportion wilson_interval(long successes, long trials, double z = 1.959964);

}  // namespace tinyseek
