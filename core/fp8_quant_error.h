// Experiment: how the granularity of FP8 scales decides the quantisation error of a model's
// real weights and activations (DeepSeek-V3 §3.3.2; `tinyseek fp8 quant-error`,
// docs/ARCHITECTURE.md "FP8"). Each matrix is quantised twice with scales from its own
// largest magnitudes:
//   per tensor  one scale for the whole matrix;
//   per tile    weights: T x T blocks; activations: 1 x T tiles of a row (V3's choices);
// and again after N entries of each matrix were multiplied by 1000 (outliers), the case where
// a per-tensor scale pushes every small value towards zero and a per-tile scale confines the
// damage to the tiles holding an outlier. Errors are summed per group of matrices.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/fp8_quant_inputs.h"
#include "core/fp8_quantize.h"

namespace tinyseek {

struct Fp8QuantErrorConfig {
    Fp8Format format = Fp8Format::e4m3;
    int tile = 128;    // T: 16, 32, 64 or 128
    int outliers = 0;  // entries per matrix multiplied by kOutlierFactor in the outlier rows
    std::uint64_t seed = 0;

    static constexpr float kOutlierFactor = 1000.0f;

    // Throws ConfigError naming the field.
    void validate() const;
    nlohmann::json to_json() const;
};

struct Fp8QuantErrorRow {
    std::string kind;   // "weights" or "activations"
    std::string group;  // weight group or captured activation
    bool with_outliers = false;
    int matrices = 0;
    std::int64_t elements = 0;
    Fp8QuantStats per_tensor;
    Fp8QuantStats per_tile;  // T x T for weights, 1 x T for activations
    nlohmann::json to_json() const;
};

struct Fp8QuantErrorResult {
    Fp8QuantErrorConfig config;
    std::vector<Fp8QuantErrorRow> rows;  // groups in first-seen order; outlier rows follow
    nlohmann::json to_json() const;
};

// A copy of `values` with `count` distinct entries (at most all of them, chosen by `seed`)
// multiplied by Fp8QuantErrorConfig::kOutlierFactor.
std::vector<float> fp8_inject_outliers(std::vector<float> values, int count, std::uint64_t seed);

Fp8QuantErrorResult measure_fp8_quant_error(const std::vector<Fp8NamedMatrix>& weights,
                                            const std::vector<Fp8NamedMatrix>& activations,
                                            const Fp8QuantErrorConfig& config);

}  // namespace tinyseek
