#include "core/proportion.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tinyseek {

Proportion wilson_interval(long successes, long trials, double z) {
    if (trials <= 0) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return {nan, nan, nan};
    }
    const double n = static_cast<double>(trials);
    const double p = static_cast<double>(successes) / n;
    const double z2 = z * z;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    // The interval always holds p; at p = 0 or 1 one end equals it, which rounding could
    // otherwise put a hair on the wrong side.
    return {p, std::clamp(centre - half, 0.0, p), std::clamp(centre + half, p, 1.0)};
}

}  // namespace tinyseek
