#include "core/fp8_gemm_error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>

#include "core/errors.h"
#include "core/fp8_gemm.h"
#include "core/plain_gemm.h"

namespace tinyseek {

namespace {

constexpr int kMaxK = 1 << 20;
constexpr int kMaxSide = 4096;

// The random source of one matrix: std::mt19937_64's sequence is fixed by the standard; the
// distributions are ours (the standard ones differ between libraries).
class MatrixRng {
  public:
    MatrixRng(std::uint64_t seed, int k, int which)
        : rng_(seed * 0x9E3779B97F4A7C15ULL + std::uint64_t(k) * 0xBF58476D1CE4E5B9ULL +
               std::uint64_t(which)) {}
    double uniform() { return double(rng_() >> 11) * 0x1.0p-53; }  // [0, 1)
    double normal() {                                              // Box-Muller
        const double u1 = 1.0 - uniform(), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

  private:
    std::mt19937_64 rng_;
};

std::vector<float> random_matrix(const Fp8GemmErrorConfig& c, int rows, int k, int which) {
    MatrixRng rng(c.seed, k, which);
    std::vector<float> x(std::size_t(rows) * k);
    for (float& v : x) {
        v = float(c.entries == RandomEntries::uniform ? rng.uniform() : rng.normal());
        // Drawn either way, so --outliers changes the chosen entries and nothing else.
        const bool outlier = rng.uniform() * Fp8GemmErrorConfig::kOutlierEvery < 1.0;
        if (c.outliers && outlier) v *= Fp8GemmErrorConfig::kOutlierFactor;
    }
    return x;
}

Fp8GemmErrorRow measure_k(const Fp8GemmErrorConfig& c, int k) {
    Fp8GemmErrorRow row;
    row.k = k;
    const Fp8QuantConfig per_tensor;  // E4M3, one scale per tensor
    const Fp8Matrix a = fp8_quantize(random_matrix(c, c.m, k, 0), c.m, k, per_tensor, &row.quant_a);
    const Fp8Matrix w = fp8_quantize(random_matrix(c, c.n, k, 1), c.n, k, per_tensor, &row.quant_w);
    const float scale = a.scales[0] * w.scales[0];

    // The FP8 values themselves (exact in float); the scales multiply the result.
    std::vector<float> av(a.codes.size()), wv(w.codes.size());
    for (std::size_t i = 0; i < av.size(); ++i) av[i] = fp8_decode(a.codes[i], a.format);
    for (std::size_t i = 0; i < wv.size(); ++i) wv[i] = fp8_decode(w.codes[i], w.format);
    std::vector<double> ref = gemm_fp64(av, wv, c.m, c.n, k);
    for (double& r : ref) r *= double(a.scales[0]) * double(w.scales[0]);
    std::vector<float> fp32 = gemm_fp32(av, wv, c.m, c.n, k);
    for (float& y : fp32) y *= scale;
    row.fp32 = relative_error_stats(fp32, ref);

    Fp8AccumulatorModel never = c.model;
    never.promote_every = 0;
    row.no_promotion = relative_error_stats(fp8_gemm(a, w, never), ref);
    row.promoted = relative_error_stats(fp8_gemm(a, w, c.model), ref);
    return row;
}

}  // namespace

std::string to_string(RandomEntries entries) {
    return entries == RandomEntries::uniform ? "uniform" : "normal";
}

RandomEntries random_entries_from_string(const std::string& name) {
    if (name == "uniform") return RandomEntries::uniform;
    if (name == "normal") return RandomEntries::normal;
    throw ConfigError("random entries: expected uniform or normal, got '" + name + "'");
}

void Fp8GemmErrorConfig::validate() const {
    if (k_list.empty()) throw ConfigError("k_list: expected at least one K");
    for (int k : k_list)
        if (k < 1 || k > kMaxK)
            throw ConfigError("k_list: expected values in 1.." + std::to_string(kMaxK) + ", got " +
                              std::to_string(k));
    if (m < 1 || m > kMaxSide || n < 1 || n > kMaxSide)
        throw ConfigError("m, n: expected 1.." + std::to_string(kMaxSide) + ", got " +
                          std::to_string(m) + ", " + std::to_string(n));
    model.validate();
}

nlohmann::json Fp8GemmErrorConfig::to_json() const {
    return {{"k_list", k_list},
            {"m", m},
            {"n", n},
            {"entries", to_string(entries)},
            {"outliers", outliers},
            {"outlier_every", kOutlierEvery},
            {"outlier_factor", kOutlierFactor},
            {"seed", seed},
            {"format", "e4m3"},
            {"scaling", "tensor"},
            {"acc_mantissa_bits", model.mantissa_bits},
            {"acc_rounding", to_string(model.rounding)},
            {"fused_terms", model.fused_terms},
            {"promote_every", model.promote_every}};
}

nlohmann::json RelErrorStats::to_json() const {
    return {{"max_rel_error", max}, {"mean_rel_error", mean}, {"outputs", outputs}};
}

nlohmann::json Fp8GemmErrorRow::to_json() const {
    return {{"k", k},
            {"no_promotion", no_promotion.to_json()},
            {"promoted", promoted.to_json()},
            {"fp32", fp32.to_json()},
            {"quant_a", quant_a.to_json()},
            {"quant_w", quant_w.to_json()}};
}

nlohmann::json Fp8GemmErrorResult::to_json() const {
    nlohmann::json r = nlohmann::json::array();
    for (const Fp8GemmErrorRow& row : rows) r.push_back(row.to_json());
    return {{"config", config.to_json()}, {"rows", r}, {"seconds", seconds}};
}

RelErrorStats relative_error_stats(const std::vector<float>& y, const std::vector<double>& ref) {
    RelErrorStats s;
    double sum = 0.0;
    for (std::size_t i = 0; i < y.size() && i < ref.size(); ++i) {
        if (ref[i] == 0.0) continue;
        const double e = std::fabs(double(y[i]) - ref[i]) / std::fabs(ref[i]);
        s.max = std::max(s.max, e);
        sum += e;
        ++s.outputs;
    }
    s.mean = s.outputs ? sum / double(s.outputs) : 0.0;
    return s;
}

Fp8GemmErrorResult measure_fp8_gemm_error(const Fp8GemmErrorConfig& config) {
    config.validate();
    const auto start = std::chrono::steady_clock::now();
    Fp8GemmErrorResult result;
    result.config = config;
    for (int k : config.k_list) result.rows.push_back(measure_k(config, k));
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace tinyseek
