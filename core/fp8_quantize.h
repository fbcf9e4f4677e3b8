// Scaled FP8 quantisation of a matrix (docs/ARCHITECTURE.md "FP8"), DeepSeek-V3 §3.3.2:
// the matrix is cut into scale tiles, each tile gets one FP32 scale from its own largest
// magnitude, scale = amax / (the format's largest finite value), and every element is stored
// as the code of x / scale. The value an element stands for is decode(code) * scale.
//
//   per tensor  one tile (the usual practice before V3, sensitive to outliers);
//   1 x T       per row, T columns (V3's activations: per token per 128 channels);
//   T x T       blocks (V3's weights: 128 x 128).
//
// Tiles at the right and bottom edges may be smaller (ragged) when T does not divide the shape.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/fp8_format.h"

namespace tinyseek {

enum class Fp8Granularity { tensor, row_tile, block };

std::string to_string(Fp8Granularity granularity);
// "tensor", "row_tile" or "block"; throws ConfigError otherwise.
Fp8Granularity fp8_granularity_from_string(const std::string& name);

struct Fp8QuantConfig {
    Fp8Format format = Fp8Format::e4m3;
    Fp8Granularity granularity = Fp8Granularity::tensor;
    int tile = 128;  // T of 1 x T and T x T
    // Round each scale up to a power of two, so that x / scale is exact and no element
    // saturates.
    bool power_of_two_scales = false;
    Fp8Overflow overflow = Fp8Overflow::saturate;
};

// A quantised (rows, cols) matrix: row-major codes and one scale per tile.
struct Fp8Matrix {
    int rows = 0;
    int cols = 0;
    Fp8Format format = Fp8Format::e4m3;
    int tile_rows = 0;  // a tile's shape; per tensor: (rows, cols)
    int tile_cols = 0;
    std::vector<std::uint8_t> codes;  // (rows, cols)
    std::vector<float> scales;        // (grid_rows, grid_cols)

    int grid_rows() const { return (rows + tile_rows - 1) / tile_rows; }
    int grid_cols() const { return (cols + tile_cols - 1) / tile_cols; }
    float scale_at(int r, int c) const {
        return scales[static_cast<std::size_t>(r / tile_rows) * grid_cols() + c / tile_cols];
    }
    std::uint8_t code_at(int r, int c) const {
        return codes[static_cast<std::size_t>(r) * cols + c];
    }
};

// What quantisation did to the values, over all elements (or one tile).
struct Fp8QuantStats {
    std::int64_t elements = 0;
    std::int64_t nonzero = 0;    // finite non-zero inputs: the relative errors are over these
    std::int64_t flushed = 0;    // non-zero inputs stored as zero
    std::int64_t saturated = 0;  // inputs beyond the range, stored as the largest value
    double max_rel_error = 0.0;  // |decode * scale - x| / |x|
    double sum_rel_error = 0.0;

    double mean_rel_error() const { return nonzero ? sum_rel_error / double(nonzero) : 0.0; }
    double flushed_share() const { return nonzero ? double(flushed) / double(nonzero) : 0.0; }
    double saturated_share() const { return elements ? double(saturated) / double(elements) : 0.0; }
    void add(const Fp8QuantStats& other);
    // {max_rel_error, mean_rel_error, flushed_share, saturated_share}
    nlohmann::json to_json() const;
};

// The scale of a tile whose largest finite magnitude is `amax`: amax / max_finite (1 for an
// all-zero tile), never below the smallest normal float (so x / scale stays finite), rounded
// up to a power of two when asked.
float fp8_tile_scale(float amax, Fp8Format format, bool power_of_two);

// x (rows, cols) row-major. Throws ConfigError on a bad shape or tile size.
Fp8Matrix fp8_quantize(std::span<const float> x, int rows, int cols, const Fp8QuantConfig& config,
                       Fp8QuantStats* stats = nullptr);

// With scales chosen elsewhere (a scale from an earlier step, a hand-made case): `scales` has
// the shape of the tile grid of (tile_rows, tile_cols) tiles; each must be positive and finite.
Fp8Matrix fp8_quantize_with_scales(std::span<const float> x, int rows, int cols, Fp8Format format,
                                   int tile_rows, int tile_cols, std::vector<float> scales,
                                   Fp8Overflow overflow = Fp8Overflow::saturate,
                                   Fp8QuantStats* stats = nullptr);

// decode(code) * scale per element, (rows, cols).
std::vector<float> fp8_dequantize(const Fp8Matrix& m);

// The errors of each tile of m against the original x, (grid_rows, grid_cols): shows where
// an outlier's damage stays.
std::vector<Fp8QuantStats> fp8_tile_stats(const Fp8Matrix& m, std::span<const float> x);

}  // namespace tinyseek
