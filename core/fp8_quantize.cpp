#include "core/fp8_quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "core/errors.h"

namespace tinyseek {

namespace {

void check_shape(std::span<const float> x, int rows, int cols, int tile_rows, int tile_cols) {
    if (rows <= 0 || cols <= 0)
        throw ConfigError("FP8 quantisation: matrix shape must be positive, got " +
                          std::to_string(rows) + " x " + std::to_string(cols));
    if (x.size() != static_cast<std::size_t>(rows) * cols)
        throw ConfigError("FP8 quantisation: " + std::to_string(x.size()) +
                          " values do not make a " + std::to_string(rows) + " x " +
                          std::to_string(cols) + " matrix");
    if (tile_rows <= 0 || tile_cols <= 0)
        throw ConfigError("FP8 quantisation: tile shape must be positive, got " +
                          std::to_string(tile_rows) + " x " + std::to_string(tile_cols));
}

// An empty matrix of that shape and tiling.
Fp8Matrix empty_matrix(int rows, int cols, Fp8Format format, int tile_rows, int tile_cols) {
    Fp8Matrix m;
    m.rows = rows;
    m.cols = cols;
    m.format = format;
    m.tile_rows = tile_rows;
    m.tile_cols = tile_cols;
    return m;
}

// One element's share of the statistics: x the input, `enc` what x / scale encoded to.
void record(Fp8QuantStats& s, float x, const Fp8Encoded& enc, float scale, Fp8Format format) {
    ++s.elements;
    if (enc.saturated) ++s.saturated;
    if (!std::isfinite(x) || x == 0.0f) return;
    ++s.nonzero;
    if (enc.flushed) ++s.flushed;
    const float decoded = fp8_decode(enc.code, format);
    if (!std::isfinite(decoded)) return;  // a non-saturating overflow: counted as saturated
    // decode * scale is exact in double (4 + 24 significant bits).
    const double err =
        std::fabs(double(decoded) * double(scale) - double(x)) / std::fabs(double(x));
    s.max_rel_error = std::max(s.max_rel_error, err);
    s.sum_rel_error += err;
}

// The tile shape a granularity gives a (rows, cols) matrix.
void tile_shape(const Fp8QuantConfig& c, int rows, int cols, int& tile_rows, int& tile_cols) {
    if (c.granularity != Fp8Granularity::tensor && c.tile <= 0)
        throw ConfigError("FP8 quantisation: tile size must be positive, got " +
                          std::to_string(c.tile));
    switch (c.granularity) {
        case Fp8Granularity::tensor:
            tile_rows = rows;
            tile_cols = cols;
            return;
        case Fp8Granularity::row_tile:
            tile_rows = 1;
            tile_cols = c.tile;
            return;
        case Fp8Granularity::block:
            tile_rows = c.tile;
            tile_cols = c.tile;
            return;
    }
}

// Calls f(r, c) for every element of tile (tr, tc), ragged edges clipped.
template <typename F>
void for_tile(const Fp8Matrix& m, int tr, int tc, F&& f) {
    const int r1 = std::min(m.rows, (tr + 1) * m.tile_rows);
    const int c1 = std::min(m.cols, (tc + 1) * m.tile_cols);
    for (int r = tr * m.tile_rows; r < r1; ++r)
        for (int c = tc * m.tile_cols; c < c1; ++c) f(r, c);
}

}  // namespace

std::string to_string(Fp8Granularity granularity) {
    switch (granularity) {
        case Fp8Granularity::tensor:
            return "tensor";
        case Fp8Granularity::row_tile:
            return "row_tile";
        case Fp8Granularity::block:
            return "block";
    }
    return "tensor";
}

Fp8Granularity fp8_granularity_from_string(const std::string& name) {
    if (name == "tensor") return Fp8Granularity::tensor;
    if (name == "row_tile") return Fp8Granularity::row_tile;
    if (name == "block") return Fp8Granularity::block;
    throw ConfigError("FP8 scale granularity: expected tensor, row_tile or block, got '" + name +
                      "'");
}

void Fp8QuantStats::add(const Fp8QuantStats& o) {
    elements += o.elements;
    nonzero += o.nonzero;
    flushed += o.flushed;
    saturated += o.saturated;
    max_rel_error = std::max(max_rel_error, o.max_rel_error);
    sum_rel_error += o.sum_rel_error;
}

nlohmann::json Fp8QuantStats::to_json() const {
    return {{"max_rel_error", max_rel_error},
            {"mean_rel_error", mean_rel_error()},
            {"flushed_share", flushed_share()},
            {"saturated_share", saturated_share()}};
}

float fp8_tile_scale(float amax, Fp8Format format, bool power_of_two) {
    if (!(amax > 0.0f) || !std::isfinite(amax)) return 1.0f;
    float scale = std::max(amax / fp8_spec(format).max_finite, std::numeric_limits<float>::min());
    if (power_of_two) {
        int e = 0;
        const float f = std::frexp(scale, &e);  // scale = f * 2^e, f in [0.5, 1)
        scale = std::ldexp(1.0f, f == 0.5f ? e - 1 : e);
    }
    return scale;
}

Fp8Matrix fp8_quantize(std::span<const float> x, int rows, int cols, const Fp8QuantConfig& config,
                       Fp8QuantStats* stats) {
    int tile_rows = 0, tile_cols = 0;
    tile_shape(config, rows, cols, tile_rows, tile_cols);
    check_shape(x, rows, cols, tile_rows, tile_cols);
    const Fp8Matrix shape = empty_matrix(rows, cols, config.format, tile_rows, tile_cols);
    std::vector<float> scales(static_cast<std::size_t>(shape.grid_rows()) * shape.grid_cols());
    for (int tr = 0; tr < shape.grid_rows(); ++tr)
        for (int tc = 0; tc < shape.grid_cols(); ++tc) {
            float amax = 0.0f;  // over finite values: an inf or NaN is encoded as itself
            for_tile(shape, tr, tc, [&](int r, int c) {
                const float v = std::fabs(x[static_cast<std::size_t>(r) * cols + c]);
                if (std::isfinite(v)) amax = std::max(amax, v);
            });
            scales[static_cast<std::size_t>(tr) * shape.grid_cols() + tc] =
                fp8_tile_scale(amax, config.format, config.power_of_two_scales);
        }
    return fp8_quantize_with_scales(x, rows, cols, config.format, tile_rows, tile_cols,
                                    std::move(scales), config.overflow, stats);
}

Fp8Matrix fp8_quantize_with_scales(std::span<const float> x, int rows, int cols, Fp8Format format,
                                   int tile_rows, int tile_cols, std::vector<float> scales,
                                   Fp8Overflow overflow, Fp8QuantStats* stats) {
    check_shape(x, rows, cols, tile_rows, tile_cols);
    Fp8Matrix m = empty_matrix(rows, cols, format, tile_rows, tile_cols);
    if (scales.size() != static_cast<std::size_t>(m.grid_rows()) * m.grid_cols())
        throw ConfigError("FP8 quantisation: " + std::to_string(scales.size()) +
                          " scales for a tile grid of " + std::to_string(m.grid_rows()) + " x " +
                          std::to_string(m.grid_cols()));
    for (float s : scales)
        if (!(s > 0.0f) || !std::isfinite(s))
            throw ConfigError("FP8 quantisation: scales must be positive and finite, got " +
                              std::to_string(s));
    m.scales = std::move(scales);
    m.codes.resize(x.size());
    Fp8QuantStats local;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const std::size_t i = static_cast<std::size_t>(r) * cols + c;
            const float scale = m.scale_at(r, c);
            // x / scale in FP32, then the conversion, as a GPU kernel does it.
            const Fp8Encoded enc = fp8_encode(x[i] / scale, format, overflow);
            m.codes[i] = enc.code;
            record(local, x[i], enc, scale, format);
        }
    if (stats) *stats = local;
    return m;
}

std::vector<float> fp8_dequantize(const Fp8Matrix& m) {
    std::vector<float> out(m.codes.size());
    for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c)
            out[static_cast<std::size_t>(r) * m.cols + c] =
                fp8_decode(m.code_at(r, c), m.format) * m.scale_at(r, c);
    return out;
}

std::vector<Fp8QuantStats> fp8_tile_stats(const Fp8Matrix& m, std::span<const float> x) {
    check_shape(x, m.rows, m.cols, m.tile_rows, m.tile_cols);
    std::vector<Fp8QuantStats> out(static_cast<std::size_t>(m.grid_rows()) * m.grid_cols());
    for (int tr = 0; tr < m.grid_rows(); ++tr)
        for (int tc = 0; tc < m.grid_cols(); ++tc)
            for_tile(m, tr, tc, [&](int r, int c) {
                const float v = x[static_cast<std::size_t>(r) * m.cols + c];
                const float scale = m.scale_at(r, c);
                Fp8Encoded enc = fp8_encode(v / scale, m.format);
                enc.code = m.code_at(r, c);
                record(out[static_cast<std::size_t>(tr) * m.grid_cols() + tc], v, enc, scale,
                       m.format);
            });
    return out;
}

}  // namespace tinyseek
