#include "core/fp8_accumulator.h"

#include <algorithm>

#include "core/errors.h"

namespace tinyseek {

std::string to_string(AccRounding rounding) {
    return rounding == AccRounding::truncate ? "truncate" : "nearest";
}

AccRounding acc_rounding_from_string(const std::string& name) {
    if (name == "truncate") return AccRounding::truncate;
    if (name == "nearest") return AccRounding::nearest_even;
    throw ConfigError("accumulator rounding: expected truncate or nearest, got '" + name + "'");
}

void Fp8AccumulatorModel::validate() const {
    if (mantissa_bits < 1 || mantissa_bits > 23)
        throw ConfigError("accumulator mantissa_bits: expected 1..23, got " +
                          std::to_string(mantissa_bits));
    if (fused_terms < 1)
        throw ConfigError("accumulator fused_terms: expected at least 1, got " +
                          std::to_string(fused_terms));
    if (promote_every < 0)
        throw ConfigError("accumulator promote_every: expected 0 (never) or more, got " +
                          std::to_string(promote_every));
}

std::vector<int> fp8_promotion_starts(int k, int a_tile_cols, int w_tile_cols, int promote_every) {
    std::vector<int> starts;
    for (int step : {a_tile_cols, w_tile_cols, promote_every})
        if (step > 0)
            for (int s = 0; s < k; s += step) starts.push_back(s);
    starts.push_back(0);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    return starts;
}

}  // namespace tinyseek
