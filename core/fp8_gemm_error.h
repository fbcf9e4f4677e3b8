// Experiment: the error of an FP8 GEMM's limited accumulator against K, with and without
// promotion to FP32 (DeepSeek-V3 §3.3.2; `tinyseek fp8 gemm-error`, docs/ARCHITECTURE.md
// "FP8"). For each K: random A (M, K) and W (N, K), quantised to E4M3 with one scale per
// tensor (so "no promotion" is something a kernel could do: with per-tile scales it must
// promote at every tile), then y = A W^T three ways from the same FP8 operands:
//   - the simulated tensor-core accumulator, never promoted;
//   - the same, promoted to FP32 every N_C elements (the scales applied there, as V3 does);
//   - a plain FP32 accumulation (fmaf in k order);
// each compared with the FP64 product of the same operands, so only accumulation is measured.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/fp8_accumulator.h"
#include "core/fp8_quantize.h"

namespace tinyseek {

enum class RandomEntries {
    uniform,  // [0, 1): no cancellation, so every output's relative error is meaningful
    normal,   // N(0, 1): outputs near zero make the largest relative errors large
};

std::string to_string(RandomEntries entries);
RandomEntries random_entries_from_string(const std::string& name);  // throws ConfigError

struct Fp8GemmErrorConfig {
    std::vector<int> k_list = {256, 1024, 4096, 16384};
    int m = 64;
    int n = 64;
    RandomEntries entries = RandomEntries::uniform;
    // About one entry in kOutlierEvery (in A and in W) is multiplied by kOutlierFactor.
    bool outliers = false;
    std::uint64_t seed = 0;
    // The tensor-core model; promote_every is N_C of the promoted column.
    Fp8AccumulatorModel model;

    static constexpr int kOutlierEvery = 1000;
    static constexpr float kOutlierFactor = 100.0f;

    // Throws ConfigError naming the field: non-empty k_list of 1..1,048,576, m and n in
    // 1..4096, a valid model.
    void validate() const;
    nlohmann::json to_json() const;
};

// |y - ref| / |ref| over the outputs whose FP64 reference is non-zero.
struct RelErrorStats {
    double max = 0.0;
    double mean = 0.0;
    std::int64_t outputs = 0;
    nlohmann::json to_json() const;
};

struct Fp8GemmErrorRow {
    int k = 0;
    RelErrorStats no_promotion;
    RelErrorStats promoted;
    RelErrorStats fp32;
    Fp8QuantStats quant_a;  // what E4M3 did to the random inputs
    Fp8QuantStats quant_w;
    nlohmann::json to_json() const;
};

struct Fp8GemmErrorResult {
    Fp8GemmErrorConfig config;
    std::vector<Fp8GemmErrorRow> rows;
    double seconds = 0.0;
    nlohmann::json to_json() const;
};

RelErrorStats relative_error_stats(const std::vector<float>& y, const std::vector<double>& ref);

Fp8GemmErrorResult measure_fp8_gemm_error(const Fp8GemmErrorConfig& config);

}  // namespace tinyseek
