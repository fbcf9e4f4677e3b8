// The FP8 training GEMMs (core/fp8_training.h): the fast round trip against the bit-exact
// quantiser of core/fp8_quantize.h (frexp and double arithmetic, checked code by code in
// test_fp8_format.cpp), and the three GEMMs against naive double loops over operands
// quantised by that quantiser.
#include "core/fp8_training.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/fp8_gemm_reference.h"
#include "core/fp8_quantize.h"

using namespace tinyseek;

namespace {

// Values over many binades (so tiles hold outliers and values that land in the subnormal
// range after scaling), zeros, and hand-placed ties and non-finite values.
std::vector<float> awkward_values(int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uniform_int_distribution<int> binade(-30, 12);
    std::vector<float> x(n);
    for (float& v : x) v = normal(rng) * std::ldexp(1.0f, binade(rng) / 3);
    for (int i = 0; i < n; i += 17) x[i] = 0.0f;
    return x;
}

bool same(float a, float b) {
    return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

std::vector<float> reference(const std::vector<float>& x, int rows, int cols, Fp8Format format,
                             Fp8Granularity granularity, int tile) {
    Fp8QuantConfig c;
    c.format = format;
    c.granularity = granularity;
    c.tile = tile;
    return fp8_dequantize(fp8_quantize(x, rows, cols, c));
}

std::vector<float> transpose(const std::vector<float>& x, int rows, int cols) {
    std::vector<float> t(x.size());
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) t[static_cast<size_t>(c) * rows + r] = x[r * cols + c];
    return t;
}

}  // namespace

TEST(Fp8Training, RoundTripEqualsQuantiseThenDequantiseBitForBit) {
    const int rows = 13, cols = 40;  // tiles of 16 are ragged at both edges
    std::vector<float> x = awkward_values(rows * cols, 5);
    x[3] = std::numeric_limits<float>::infinity();
    x[50] = -std::numeric_limits<float>::infinity();
    x[77] = std::numeric_limits<float>::quiet_NaN();
    for (Fp8Format f : {Fp8Format::e4m3, Fp8Format::e5m2}) {
        struct Case {
            Fp8Granularity g;
            int tile, tile_rows, tile_cols;
        };
        for (const Case& k :
             {Case{Fp8Granularity::tensor, 128, rows, cols},
              Case{Fp8Granularity::row_tile, 16, 1, 16}, Case{Fp8Granularity::row_tile, 7, 1, 7},
              Case{Fp8Granularity::block, 16, 16, 16}, Case{Fp8Granularity::block, 5, 5, 5}}) {
            const std::vector<float> want = reference(x, rows, cols, f, k.g, k.tile);
            std::vector<float> got(x.size());
            fp8_round_trip(got.data(), x.data(), rows, cols, k.tile_rows, k.tile_cols, f);
            for (size_t i = 0; i < x.size(); ++i)
                ASSERT_TRUE(same(got[i], want[i]))
                    << to_string(f) << " " << to_string(k.g) << " tile " << k.tile << " at " << i
                    << ": " << x[i] << " -> " << got[i] << ", expected " << want[i];
        }
        // Column tiles (T x 1) are the row tiles of the transpose.
        const std::vector<float> xt = transpose(x, rows, cols);
        const std::vector<float> want =
            transpose(reference(xt, cols, rows, f, Fp8Granularity::row_tile, 4), cols, rows);
        std::vector<float> got(x.size());
        fp8_round_trip(got.data(), x.data(), rows, cols, 4, 1, f);
        for (size_t i = 0; i < x.size(); ++i)
            ASSERT_TRUE(same(got[i], want[i])) << to_string(f) << " column tiles at " << i;
    }
}

TEST(Fp8Training, RoundTripTiesGoToEvenByHand) {
    // amax 448 makes the E4M3 scale exactly 1. Between 1 and 1.125 the tie 1.0625 goes to 1
    // (even mantissa 000); between 1.125 and 1.25 the tie 1.1875 goes to 1.25 (mantissa 010).
    // Subnormals are multiples of 2^-9: 2^-10 ties to 0, 3 * 2^-10 to 2^-8.
    const std::vector<float> x = {
        448.0f, 1.0625f, 1.1875f, -1.0625f, std::ldexp(1.0f, -10), std::ldexp(3.0f, -10)};
    const std::vector<float> want = {448.0f, 1.0f, 1.25f, -1.0f, 0.0f, std::ldexp(1.0f, -8)};
    std::vector<float> got(x.size());
    fp8_round_trip(got.data(), x.data(), 1, 6, 1, 6, Fp8Format::e4m3);
    EXPECT_EQ(got, want);
}

TEST(Fp8Training, GemmsMultiplyTheQuantisedOperands) {
    const int n = 9, in = 40, out = 24;
    Fp8TrainingRecipe recipe;
    recipe.tile = 16;
    recipe.grad_format = Fp8Format::e5m2;
    const std::vector<float> x = awkward_values(n * in, 1), w = awkward_values(out * in, 2),
                             dy = awkward_values(n * out, 3);
    // The operands as the recipe cuts them, from the bit-exact quantiser.
    const std::vector<float> xq =
        reference(x, n, in, Fp8Format::e4m3, Fp8Granularity::row_tile, 16);
    const std::vector<float> wq = reference(w, out, in, Fp8Format::e4m3, Fp8Granularity::block, 16);
    const std::vector<float> dyq =
        reference(dy, n, out, Fp8Format::e5m2, Fp8Granularity::row_tile, 16);
    const std::vector<float> dyq_cols = transpose(
        reference(transpose(dy, n, out), out, n, Fp8Format::e5m2, Fp8Granularity::row_tile, 16),
        out, n);
    const std::vector<float> xq_cols = transpose(
        reference(transpose(x, n, in), in, n, Fp8Format::e4m3, Fp8Granularity::row_tile, 16), in,
        n);

    std::vector<float> y(n * out), dx(n * in, 0.0f), dw(out * in, 0.0f);
    fp8_linear_forward(recipe, y.data(), x.data(), w.data(), n, in, out, false);
    fp8_linear_backward(recipe, dx.data(), dw.data(), dy.data(), x.data(), w.data(), n, in, out);
    // got (rows, cols) against sum_k term(i, j, k) in double, to 1e-5 of sum_k |term|.
    auto expect_sums = [](const char* what, const std::vector<float>& got, int rows, int cols,
                          int inner, auto term) {
        for (int i = 0; i < rows; ++i)
            for (int j = 0; j < cols; ++j) {
                double s = 0, mag = 0;
                for (int k = 0; k < inner; ++k) {
                    s += term(i, j, k);
                    mag += std::fabs(term(i, j, k));
                }
                ASSERT_LE(std::fabs(got[i * cols + j] - s), 1e-5 * mag + 1e-30)
                    << what << " " << i << "," << j;
            }
    };
    expect_sums("y", y, n, out, in,
                [&](int r, int o, int k) { return double(xq[r * in + k]) * wq[o * in + k]; });
    expect_sums("dx", dx, n, in, out,
                [&](int r, int k, int o) { return double(dyq[r * out + o]) * wq[o * in + k]; });
    expect_sums("dw", dw, out, in, n, [&](int o, int k, int r) {
        return double(dyq_cols[r * out + o]) * xq_cols[r * in + k];
    });
}

// The limited accumulator: each GEMM equals the naive simulator of core/fp8_gemm_reference.h
// (plain loops from the accumulator's definition) on operands quantised here, bit for bit.
void expect_limited_equals_reference(const Fp8TrainingRecipe& recipe) {
    const int n = 37, in = 48, out = 40;
    const std::vector<float> x = awkward_values(n * in, 4), w = awkward_values(out * in, 5),
                             dy = awkward_values(n * out, 6);
    auto quant = [&](const std::vector<float>& v, int rows, int cols, Fp8Format format,
                     Fp8Granularity granularity) {
        Fp8QuantConfig c;
        c.format = format;
        c.tile = recipe.tile;
        c.granularity = recipe.per_tensor ? Fp8Granularity::tensor : granularity;
        return fp8_quantize(v, rows, cols, c);
    };
    Fp8AccumulatorModel model;
    model.promote_every = recipe.promote_every;
    const auto e4m3 = Fp8Format::e4m3;
    const std::vector<float> y_ref =
        fp8_gemm_reference(quant(x, n, in, e4m3, Fp8Granularity::row_tile),
                           quant(w, out, in, e4m3, Fp8Granularity::block), model);
    const std::vector<float> dx_ref = fp8_gemm_reference(
        quant(dy, n, out, recipe.grad_format, Fp8Granularity::row_tile),
        quant(transpose(w, out, in), in, out, e4m3, Fp8Granularity::block), model);
    const std::vector<float> dw_ref = fp8_gemm_reference(
        quant(transpose(dy, n, out), out, n, recipe.grad_format, Fp8Granularity::row_tile),
        quant(transpose(x, n, in), in, n, e4m3, Fp8Granularity::row_tile), model);

    std::vector<float> y(n * out, 1.0f), dx(n * in, 0.0f), dw(out * in, 0.0f);
    fp8_linear_forward(recipe, y.data(), x.data(), w.data(), n, in, out, /*accumulate=*/true);
    fp8_linear_backward(recipe, dx.data(), dw.data(), dy.data(), x.data(), w.data(), n, in, out);
    for (int i = 0; i < n * out; ++i) ASSERT_TRUE(same(y[i], 1.0f + y_ref[i])) << "y " << i;
    for (int i = 0; i < n * in; ++i) ASSERT_TRUE(same(dx[i], dx_ref[i])) << "dx " << i;
    for (int i = 0; i < out * in; ++i) ASSERT_TRUE(same(dw[i], dw_ref[i])) << "dw " << i;
}

TEST(Fp8Training, LimitedAccumulatorEqualsTheReferenceSimulator) {
    Fp8TrainingRecipe tiles;
    tiles.tile = 16;
    tiles.grad_format = Fp8Format::e5m2;
    tiles.limited_accumulator = true;
    expect_limited_equals_reference(tiles);
    Fp8TrainingRecipe never;  // per tensor, never promoted: the ablation of V3's fix
    never.per_tensor = true;
    never.limited_accumulator = true;
    never.promote_every = 0;
    expect_limited_equals_reference(never);
}

TEST(Fp8Training, PerTensorScalingUsesOneScalePerOperand) {
    const int n = 6, in = 32, out = 8;
    Fp8TrainingRecipe tiles, tensor;
    tiles.tile = tensor.tile = 8;
    tensor.per_tensor = true;
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> x(n * in), w(out * in);
    for (float& v : x) v = normal(rng);
    for (float& v : w) v = normal(rng);
    x[5] = 1e5f;  // one outlier: per tensor it pushes every other row's values to subnormals
    const std::vector<float> xq = reference(x, n, in, Fp8Format::e4m3, Fp8Granularity::tensor, 128);
    const std::vector<float> wq =
        reference(w, out, in, Fp8Format::e4m3, Fp8Granularity::tensor, 128);
    std::vector<float> y(n * out), y_tiles(n * out);
    fp8_linear_forward(tensor, y.data(), x.data(), w.data(), n, in, out, false);
    fp8_linear_forward(tiles, y_tiles.data(), x.data(), w.data(), n, in, out, false);
    double err_tensor = 0, err_tiles = 0;
    for (int r = 1; r < n; ++r)  // rows without the outlier
        for (int o = 0; o < out; ++o) {
            double s = 0, exact = 0;
            for (int k = 0; k < in; ++k) {
                s += double(xq[r * in + k]) * wq[o * in + k];
                exact += double(x[r * in + k]) * w[o * in + k];
            }
            EXPECT_NEAR(y[r * out + o], s, 1e-5 * (std::fabs(s) + 1e-3));
            err_tensor += std::fabs(y[r * out + o] - exact);
            err_tiles += std::fabs(y_tiles[r * out + o] - exact);
        }
    EXPECT_GT(err_tensor, 2 * err_tiles);  // measured: 24.2 against 6.1
}

TEST(Fp8Training, RecipeJsonRoundTripsAndRefusesNonsense) {
    Fp8TrainingRecipe r;
    r.tile = 32;
    r.per_tensor = true;
    r.grad_format = Fp8Format::e5m2;
    r.limited_accumulator = true;
    r.promote_every = 0;
    r.bf16_moments = true;
    EXPECT_EQ(Fp8TrainingRecipe::from_json(r.to_json(), "test"), r);
    EXPECT_EQ(r.to_json()["accumulator"], "limited");
    EXPECT_EQ(r.to_json()["moments"], "bf16");
    EXPECT_THROW(Fp8TrainingRecipe::from_json({{"accumulator", "fp16"}}, "test"), ConfigError);
    EXPECT_THROW(Fp8TrainingRecipe::from_json({{"promote_every", -1}}, "test"), ConfigError);
    EXPECT_THROW(Fp8TrainingRecipe::from_json({{"moments", "fp8"}}, "test"), ConfigError);
    EXPECT_THROW(Fp8TrainingRecipe::from_json({{"tile", 0}}, "test"), ConfigError);
    EXPECT_THROW(Fp8TrainingRecipe::from_json({{"scaling", "rows"}}, "test"), ConfigError);
    EXPECT_THROW(Fp8TrainingRecipe::from_json({{"grad_format", "e3m4"}}, "test"), ConfigError);
    EXPECT_THROW(Fp8TrainingRecipe::from_json({{"tiles", 16}}, "test"), ConfigError);
}
