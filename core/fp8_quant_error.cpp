#include "core/fp8_quant_error.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

#include "core/errors.h"

namespace tinyseek {

namespace {

// Quantises one matrix both ways and adds its errors to the row.
void add_matrix(Fp8QuantErrorRow& row, const std::vector<float>& x, int rows, int cols,
                const Fp8QuantErrorConfig& c, bool is_weight) {
    Fp8QuantConfig q;
    q.format = c.format;
    q.tile = c.tile;
    Fp8QuantStats tensor, tile;
    q.granularity = Fp8Granularity::tensor;
    fp8_quantize(x, rows, cols, q, &tensor);
    q.granularity = is_weight ? Fp8Granularity::block : Fp8Granularity::row_tile;
    fp8_quantize(x, rows, cols, q, &tile);
    row.per_tensor.add(tensor);
    row.per_tile.add(tile);
    row.matrices += 1;
    row.elements += std::int64_t(rows) * cols;
}

// One row per group (first-seen order) for the clean matrices, then one per group with
// outliers when asked.
void add_kind(std::vector<Fp8QuantErrorRow>& out, const std::vector<Fp8NamedMatrix>& matrices,
              const Fp8QuantErrorConfig& c, bool is_weight) {
    for (const bool with_outliers : {false, true}) {
        if (with_outliers && c.outliers == 0) continue;
        const std::size_t first = out.size();
        for (std::size_t i = 0; i < matrices.size(); ++i) {
            const Fp8NamedMatrix& m = matrices[i];
            auto it = std::find_if(out.begin() + std::ptrdiff_t(first), out.end(),
                                   [&](const Fp8QuantErrorRow& r) { return r.group == m.group; });
            if (it == out.end()) {
                Fp8QuantErrorRow row;
                row.kind = is_weight ? "weights" : "activations";
                row.group = m.group;
                row.with_outliers = with_outliers;
                out.push_back(row);
                it = out.end() - 1;
            }
            const std::uint64_t seed = c.seed * 0x9E3779B97F4A7C15ULL + i * 2 + (is_weight ? 0 : 1);
            add_matrix(*it,
                       with_outliers ? fp8_inject_outliers(m.values, c.outliers, seed) : m.values,
                       m.rows, m.cols, c, is_weight);
        }
    }
}

}  // namespace

void Fp8QuantErrorConfig::validate() const {
    if (tile != 16 && tile != 32 && tile != 64 && tile != 128)
        throw ConfigError("FP8 quant-error: tile must be 16, 32, 64 or 128, got " +
                          std::to_string(tile));
    if (outliers < 0) throw ConfigError("FP8 quant-error: outliers must be >= 0");
}

nlohmann::json Fp8QuantErrorConfig::to_json() const {
    return {{"format", to_string(format)},
            {"tile", tile},
            {"outliers", outliers},
            {"outlier_factor", kOutlierFactor},
            {"seed", seed}};
}

nlohmann::json Fp8QuantErrorRow::to_json() const {
    return {{"kind", kind},
            {"group", group},
            {"with_outliers", with_outliers},
            {"matrices", matrices},
            {"elements", elements},
            {"per_tensor", per_tensor.to_json()},
            {"per_tile", per_tile.to_json()}};
}

nlohmann::json Fp8QuantErrorResult::to_json() const {
    nlohmann::json j{{"config", config.to_json()}, {"rows", nlohmann::json::array()}};
    for (const Fp8QuantErrorRow& r : rows) j["rows"].push_back(r.to_json());
    return j;
}

std::vector<float> fp8_inject_outliers(std::vector<float> values, int count, std::uint64_t seed) {
    std::vector<std::size_t> index(values.size());
    std::iota(index.begin(), index.end(), std::size_t{0});
    std::mt19937_64 rng(seed);
    const std::size_t n = std::min(values.size(), std::size_t(std::max(count, 0)));
    for (std::size_t i = 0; i < n; ++i) {  // a partial Fisher-Yates shuffle: distinct entries
        const std::size_t j = i + std::size_t(rng() % (values.size() - i));
        std::swap(index[i], index[j]);
        values[index[i]] *= Fp8QuantErrorConfig::kOutlierFactor;
    }
    return values;
}

Fp8QuantErrorResult measure_fp8_quant_error(const std::vector<Fp8NamedMatrix>& weights,
                                            const std::vector<Fp8NamedMatrix>& activations,
                                            const Fp8QuantErrorConfig& config) {
    config.validate();
    Fp8QuantErrorResult r;
    r.config = config;
    add_kind(r.rows, weights, config, true);
    add_kind(r.rows, activations, config, false);
    return r;
}

}  // namespace tinyseek
