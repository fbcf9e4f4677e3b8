#include "core/fp8_training.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/aligned.h"
#include "core/eigen.h"
#include "core/errors.h"
#include "core/fp8_gemm.h"
#include "core/fp8_quantize.h"

namespace tinyseek {

namespace {

// What rounding a value (already divided by its scale) to an FP8 format needs.
struct Rounding {
    int dropped_bits;  // of float's 23 mantissa bits
    float min_normal;  // below it the format's spacing is the subnormal unit
    float subnormal_unit, inverse_unit;
    float max_finite;

    explicit Rounding(Fp8Format format) {
        const Fp8Spec& s = fp8_spec(format);
        dropped_bits = 23 - s.mantissa_bits;
        min_normal = std::ldexp(1.0f, s.min_exponent());
        subnormal_unit = std::ldexp(1.0f, s.min_exponent() - s.mantissa_bits);
        inverse_unit = 1.0f / subnormal_unit;
        max_finite = s.max_finite;
    }

    // The FP8 value nearest v (ties to even), saturated at the largest finite value; NaN
    // stays NaN. Branch-free, so a loop of it vectorises. Normal range: round float's bit
    // pattern at the format's last mantissa bit (a carry into the exponent is the next
    // binade, as it should be). Subnormal range: a multiple of the unit, a power of two, so
    // scaling by it is exact; adding and subtracting 1.5 * 2^23 rounds to an integer, to even.
    float operator()(float v) const {
        const float a = std::fabs(v);
        std::uint32_t b = std::bit_cast<std::uint32_t>(a);
        const std::uint32_t half = (1u << (dropped_bits - 1)) - 1u;
        b = (b + half + ((b >> dropped_bits) & 1u)) & ~((1u << dropped_bits) - 1u);
        const float normal = std::bit_cast<float>(b);
        constexpr float kRound = 12582912.0f;  // 1.5 * 2^23
        const float subnormal = ((a * inverse_unit + kRound) - kRound) * subnormal_unit;
        float q = a >= min_normal ? normal : subnormal;  // NaN takes `subnormal`, a NaN
        q = q > max_finite ? max_finite : q;
        return std::copysign(q, v);
    }
};

// The largest finite |x_i| (0 if none), as fp8_quantize takes it. Eigen's max vectorises;
// when it meets an infinity or a NaN, the plain loop decides.
float finite_amax(const float* x, int n) {
    const float m = Eigen::Map<const Eigen::ArrayXf>(x, n).abs().maxCoeff();
    if (m <= std::numeric_limits<float>::max()) return m;
    float f = 0.0f;
    for (int i = 0; i < n; ++i) {
        const float v = std::fabs(x[i]);
        if (v <= std::numeric_limits<float>::max()) f = std::max(f, v);
    }
    return f;
}

// dst_i = round(x_i / s) * s: x / scale in FP32 and the conversion, as fp8_quantize, then
// decode(code) * scale as fp8_dequantize. The copy of `r` and the restrict pointers let the
// loop vectorise.
void round_tile(float* __restrict dst, const float* __restrict x, float s, int n,
                const Rounding& r) {
    const Rounding round = r;
    for (int i = 0; i < n; ++i) dst[i] = round(x[i] / s) * s;
}

// The same with a scale per element (the column tiles of a row).
void round_row(float* __restrict dst, const float* __restrict x, const float* __restrict s, int n,
               const Rounding& r) {
    const Rounding round = r;
    for (int i = 0; i < n; ++i) dst[i] = round(x[i] / s[i]) * s[i];
}

// A per-thread operand buffer: the linear layers run per shard and per expert inside
// OpenMP regions, each thread on its own rows.
float* thread_buffer(int slot, std::size_t floats) {
    thread_local AlignedVector<float> buffers[4];
    AlignedVector<float>& b = buffers[slot];
    if (b.size() < floats) b.resize(floats);
    return b.data();
}

// Operand of a GEMM in FP8: `x` (rows, cols) round-tripped with (tile_rows x tile_cols)
// tiles, or one tile when the recipe asks for per-tensor scales.
const float* quantised(int slot, const Fp8TrainingRecipe& recipe, const float* x, int rows,
                       int cols, int tile_rows, int tile_cols, Fp8Format format) {
    float* out = thread_buffer(slot, static_cast<std::size_t>(rows) * cols);
    if (recipe.per_tensor) tile_rows = rows, tile_cols = cols;
    fp8_round_trip(out, x, rows, cols, std::max(1, tile_rows), std::max(1, tile_cols), format);
    return out;
}

// True for `second`, false for `first`; ConfigError naming `what` for anything else.
bool one_of(const nlohmann::json& value, const char* first, const char* second,
            const std::string& what) {
    const std::string s = value.get<std::string>();
    if (s != first && s != second)
        throw ConfigError(what + " must be \"" + first + "\" or \"" + second + "\", got \"" + s +
                          "\"");
    return s == second;
}

// The limited accumulator's product (core/fp8_gemm.h) of A (rows, k) and B (n, k), both
// quantised with the recipe's tiles along k (A: 1 x T; B: T x T, or 1 x T when
// `b_row_tiles`), or one scale each per tensor: (rows, n).
std::vector<float> limited_product(const Fp8TrainingRecipe& recipe, const float* a,
                                   Fp8Format a_format, int rows, const float* b, bool b_row_tiles,
                                   int n, int k) {
    Fp8QuantConfig qa;
    qa.format = a_format;
    qa.tile = recipe.tile;
    qa.granularity = recipe.per_tensor ? Fp8Granularity::tensor : Fp8Granularity::row_tile;
    Fp8QuantConfig qb = qa;
    qb.format = Fp8Format::e4m3;
    if (!recipe.per_tensor && !b_row_tiles) qb.granularity = Fp8Granularity::block;
    Fp8AccumulatorModel model;
    model.promote_every = recipe.promote_every;
    const std::size_t a_size = static_cast<std::size_t>(rows) * k;
    const std::size_t b_size = static_cast<std::size_t>(n) * k;
    return fp8_gemm(fp8_quantize({a, a_size}, rows, k, qa), fp8_quantize({b, b_size}, n, k, qb),
                    model);
}

// (rows, cols) row-major into (cols, rows).
const float* transposed(int slot, const float* x, int rows, int cols) {
    float* out = thread_buffer(slot, static_cast<std::size_t>(rows) * cols);
    MatMap<float>(out, cols, rows) = ConstMatMap<float>(x, rows, cols).transpose();
    return out;
}

void add_into(float* dst, const std::vector<float>& v, bool accumulate) {
    for (std::size_t i = 0; i < v.size(); ++i) dst[i] = accumulate ? dst[i] + v[i] : v[i];
}

// The three GEMMs through the simulated register: forward y = x W^T (sum over in),
// dx = dy W (sum over out: B = W^T with the same T x T blocks), dW = dy^T x (sum over the n
// tokens: A = dy^T and B = x^T, both in 1 x T tiles = T tokens of one channel).
void limited_forward(const Fp8TrainingRecipe& r, float* y, const float* x, const float* w, int n,
                     int in, int out, bool accumulate) {
    add_into(y, limited_product(r, x, Fp8Format::e4m3, n, w, false, out, in), accumulate);
}

void limited_backward(const Fp8TrainingRecipe& r, float* dx, float* dw, const float* dy,
                      const float* x, const float* w, int n, int in, int out) {
    if (dx)
        add_into(
            dx, limited_product(r, dy, r.grad_format, n, transposed(0, w, out, in), false, in, out),
            true);
    if (dw)
        add_into(dw,
                 limited_product(r, transposed(1, dy, n, out), r.grad_format, out,
                                 transposed(2, x, n, in), true, in, n),
                 true);
}

}  // namespace

void Fp8TrainingRecipe::validate() const {
    if (tile < 1) throw ConfigError("fp8: tile must be >= 1, got " + std::to_string(tile));
    if (promote_every < 0)
        throw ConfigError("fp8: promote_every must be >= 0, got " + std::to_string(promote_every));
}

nlohmann::json Fp8TrainingRecipe::to_json() const {
    return {{"tile", tile},
            {"scaling", per_tensor ? "tensor" : "tiles"},
            {"grad_format", to_string(grad_format)},
            {"accumulator", limited_accumulator ? "limited" : "fp32"},
            {"promote_every", promote_every},
            {"moments", bf16_moments ? "bf16" : "fp32"}};
}

Fp8TrainingRecipe Fp8TrainingRecipe::from_json(const nlohmann::json& j, const std::string& where) {
    if (!j.is_object()) throw ConfigError(where + ": fp8 must be an object");
    Fp8TrainingRecipe r;
    for (const auto& [key, value] : j.items()) {
        if (key == "tile" && value.is_number_integer()) {
            const auto t = value.get<std::int64_t>();
            if (t < 1 || t > 65536)
                throw ConfigError(where + ": fp8.tile must be 1..65536, got " + std::to_string(t));
            r.tile = static_cast<int>(t);
        } else if (key == "scaling" && value.is_string()) {
            const std::string s = value.get<std::string>();
            if (s != "tiles" && s != "tensor")
                throw ConfigError(where + ": fp8.scaling must be \"tiles\" or \"tensor\", got \"" +
                                  s + "\"");
            r.per_tensor = s == "tensor";
        } else if (key == "grad_format" && value.is_string()) {
            r.grad_format = fp8_format_from_string(value.get<std::string>());
        } else if (key == "accumulator" && value.is_string()) {
            r.limited_accumulator = one_of(value, "fp32", "limited", where + ": fp8.accumulator");
        } else if (key == "promote_every" && value.is_number_integer()) {
            const auto n = value.get<std::int64_t>();
            if (n < 0 || n > 65536)
                throw ConfigError(where + ": fp8.promote_every must be 0..65536, got " +
                                  std::to_string(n));
            r.promote_every = static_cast<int>(n);
        } else if (key == "moments" && value.is_string()) {
            r.bf16_moments = one_of(value, "fp32", "bf16", where + ": fp8.moments");
        } else {
            throw ConfigError(where + ": fp8: unknown key or wrong type: '" + key + "'");
        }
    }
    return r;
}

void fp8_round_trip(float* dst, const float* x, int rows, int cols, int tile_rows, int tile_cols,
                    Fp8Format format) {
    const int grid_cols = (cols + tile_cols - 1) / tile_cols;
    const int grid_rows = (rows + tile_rows - 1) / tile_rows;
    // Row-major passes, so column tiles (T x 1) read memory in order too: each tile's
    // largest finite magnitude, then every element with its tile's scale.
    thread_local std::vector<float> grid;
    grid.assign(static_cast<std::size_t>(grid_rows) * grid_cols, 0.0f);
    for (int r = 0; r < rows; ++r) {
        float* amax = grid.data() + static_cast<std::size_t>(r / tile_rows) * grid_cols;
        const float* row = x + static_cast<std::size_t>(r) * cols;
        if (tile_cols == 1) {
            for (int c = 0; c < cols; ++c) {
                const float v = std::fabs(row[c]);
                amax[c] = v <= std::numeric_limits<float>::max() && v > amax[c] ? v : amax[c];
            }
            continue;
        }
        for (int t = 0; t < grid_cols; ++t) {
            const int c0 = t * tile_cols, c1 = std::min(cols, c0 + tile_cols);
            amax[t] = std::max(amax[t], finite_amax(row + c0, c1 - c0));
        }
    }
    for (float& g : grid) g = fp8_tile_scale(g, format, /*power_of_two=*/false);
    const Rounding round(format);
    for (int r = 0; r < rows; ++r) {
        const float* scale = grid.data() + static_cast<std::size_t>(r / tile_rows) * grid_cols;
        const std::size_t base = static_cast<std::size_t>(r) * cols;
        if (tile_cols == 1) {
            round_row(dst + base, x + base, scale, cols, round);
            continue;
        }
        for (int t = 0; t < grid_cols; ++t) {
            const int c0 = t * tile_cols, c1 = std::min(cols, c0 + tile_cols);
            round_tile(dst + base + c0, x + base + c0, scale[t], c1 - c0, round);
        }
    }
}

void fp8_linear_forward(const Fp8TrainingRecipe& recipe, float* y, const float* x, const float* w,
                        int n, int in, int out, bool accumulate) {
    if (n == 0) return;
    if (recipe.limited_accumulator) return limited_forward(recipe, y, x, w, n, in, out, accumulate);
    const int T = recipe.tile;
    const float* xq = quantised(0, recipe, x, n, in, 1, T, Fp8Format::e4m3);
    const float* wq = quantised(1, recipe, w, out, in, T, T, Fp8Format::e4m3);
    MatMap<float> Y(y, n, out);
    const auto product =
        ConstMatMap<float>(xq, n, in) * ConstMatMap<float>(wq, out, in).transpose();
    if (accumulate)
        Y.noalias() += product;
    else
        Y.noalias() = product;
}

void fp8_linear_backward(const Fp8TrainingRecipe& recipe, float* dx, float* dw, const float* dy,
                         const float* x, const float* w, int n, int in, int out) {
    if (n == 0) return;
    if (recipe.limited_accumulator) return limited_backward(recipe, dx, dw, dy, x, w, n, in, out);
    const int T = recipe.tile;
    if (dx) {  // dx = dy W, summed over `out`
        const float* dyq = quantised(0, recipe, dy, n, out, 1, T, recipe.grad_format);
        const float* wq = quantised(1, recipe, w, out, in, T, T, Fp8Format::e4m3);
        MatMap<float>(dx, n, in).noalias() +=
            ConstMatMap<float>(dyq, n, out) * ConstMatMap<float>(wq, out, in);
    }
    if (dw) {  // dW = dy^T x, summed over the n rows
        const float* dyq = quantised(2, recipe, dy, n, out, T, 1, recipe.grad_format);
        const float* xq = quantised(3, recipe, x, n, in, T, 1, Fp8Format::e4m3);
        MatMap<float>(dw, out, in).noalias() +=
            ConstMatMap<float>(dyq, n, out).transpose() * ConstMatMap<float>(xq, n, in);
    }
}

}  // namespace tinyseek
