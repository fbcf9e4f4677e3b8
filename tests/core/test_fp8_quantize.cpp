// Scaled FP8 quantisation: hand-computed scales and codes, ragged tiles, saturation with given
// scales, and an outlier whose damage per-tile scaling confines to its own tile.
#include "core/fp8_quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/errors.h"

using namespace tinyseek;

TEST(Fp8Quantize, PowerOfTwoScaleQuantisesExactly) {
    // amax 4: 4 / 448 = 0.0089 lies between 2^-7 and 2^-6, so the scale rounds up to 2^-6 and
    // x / scale = 64 x: 64, -128, 32, 256 are all E4M3 values.
    const std::vector<float> x = {1.0f, -2.0f, 0.5f, 4.0f};
    Fp8QuantConfig c;
    c.power_of_two_scales = true;
    Fp8QuantStats s;
    const Fp8Matrix m = fp8_quantize(x, 1, 4, c, &s);
    ASSERT_EQ(m.scales.size(), 1u);
    EXPECT_EQ(m.scales[0], std::ldexp(1.0f, -6));
    EXPECT_EQ(fp8_dequantize(m), x);
    EXPECT_EQ(fp8_decode(m.codes[3], Fp8Format::e4m3), 256.0f);
    EXPECT_EQ(s.max_rel_error, 0.0);
    EXPECT_EQ(s.nonzero, 4);
    EXPECT_EQ(s.saturated, 0);
}

TEST(Fp8Quantize, AmaxScaleAndRoundingErrorByHand) {
    // amax 448 gives scale 1 exactly: 1.0625 ties to 1.0 (error 0.0625 / 1.0625), 3 is exact,
    // 2^-11 is below half the smallest subnormal (2^-10) and flushes.
    const std::vector<float> x = {448.0f, 1.0625f, 3.0f, std::ldexp(1.0f, -11), 0.0f};
    Fp8QuantStats s;
    const Fp8Matrix m = fp8_quantize(x, 1, 5, Fp8QuantConfig{}, &s);
    EXPECT_EQ(m.scales[0], 1.0f);
    const std::vector<float> back = fp8_dequantize(m);
    EXPECT_EQ(back, (std::vector<float>{448.0f, 1.0f, 3.0f, 0.0f, 0.0f}));
    EXPECT_EQ(s.elements, 5);
    EXPECT_EQ(s.nonzero, 4);
    EXPECT_EQ(s.flushed, 1);
    EXPECT_DOUBLE_EQ(s.max_rel_error, 1.0);  // the flushed element
    EXPECT_DOUBLE_EQ(s.mean_rel_error(), (0.0625 / 1.0625 + 1.0) / 4.0);
    EXPECT_DOUBLE_EQ(s.flushed_share(), 0.25);
}

TEST(Fp8Quantize, RaggedTilesGetTheirOwnScales) {
    // 3 x 5, values r * 5 + c + 1 (so each tile's amax is its bottom-right element).
    std::vector<float> x(15);
    for (int i = 0; i < 15; ++i) x[i] = float(i + 1);
    const auto scale = [](float amax) { return amax / 448.0f; };

    Fp8QuantConfig rows;
    rows.granularity = Fp8Granularity::row_tile;
    rows.tile = 2;
    const Fp8Matrix r = fp8_quantize(x, 3, 5, rows);
    ASSERT_EQ(r.grid_rows(), 3);
    ASSERT_EQ(r.grid_cols(), 3);  // widths 2, 2, 1
    EXPECT_EQ(r.scales, (std::vector<float>{scale(2), scale(4), scale(5), scale(7), scale(9),
                                            scale(10), scale(12), scale(14), scale(15)}));

    Fp8QuantConfig blocks;
    blocks.granularity = Fp8Granularity::block;
    blocks.tile = 2;
    const Fp8Matrix b = fp8_quantize(x, 3, 5, blocks);
    ASSERT_EQ(b.grid_rows(), 2);  // heights 2, 1
    ASSERT_EQ(b.grid_cols(), 3);
    EXPECT_EQ(b.scales,
              (std::vector<float>{scale(7), scale(9), scale(10), scale(12), scale(14), scale(15)}));
    EXPECT_EQ(b.scale_at(2, 4), scale(15));
    // Every element's largest value in its tile maps to 448.
    EXPECT_EQ(fp8_decode(b.code_at(1, 4), Fp8Format::e4m3), 448.0f);
    EXPECT_EQ(fp8_decode(r.code_at(2, 4), Fp8Format::e4m3), 448.0f);
}

TEST(Fp8Quantize, PerTileScalingConfinesAnOutlier) {
    // 4 x 64 values in [0.5, 1), one outlier of 1e6 at (1, 5). Per tensor, the scale 1e6 / 448
    // pushes every other value below half the smallest E4M3 subnormal: all of them flush.
    const int rows = 4, cols = 64;
    std::vector<float> clean(rows * cols);
    for (int i = 0; i < rows * cols; ++i) clean[i] = 0.5f + float((i * 37) % 64) / 128.0f;
    std::vector<float> x = clean;
    x[1 * cols + 5] = 1e6f;

    Fp8QuantStats tensor_stats;
    fp8_quantize(x, rows, cols, Fp8QuantConfig{}, &tensor_stats);
    EXPECT_EQ(tensor_stats.flushed, rows * cols - 1);
    EXPECT_DOUBLE_EQ(tensor_stats.max_rel_error, 1.0);

    Fp8QuantConfig tiles;
    tiles.granularity = Fp8Granularity::row_tile;
    tiles.tile = 32;
    const Fp8Matrix m = fp8_quantize(x, rows, cols, tiles);
    const Fp8Matrix reference = fp8_quantize(clean, rows, cols, tiles);
    const std::vector<Fp8QuantStats> per_tile = fp8_tile_stats(m, x);
    ASSERT_EQ(per_tile.size(), 8u);
    for (int t = 0; t < 8; ++t) {
        if (t == 2) continue;  // row 1, columns 0..31: the outlier's tile
        EXPECT_EQ(per_tile[t].flushed, 0) << "tile " << t;
        EXPECT_LE(per_tile[t].max_rel_error, 1.0 / 16) << "tile " << t;  // half an E4M3 step
    }
    EXPECT_EQ(per_tile[2].flushed, 31);
    // Outside the outlier's tile, the codes are those of the matrix without the outlier.
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            if (r != 1 || c >= 32) {
                EXPECT_EQ(m.code_at(r, c), reference.code_at(r, c));
            }
}

TEST(Fp8Quantize, GivenScalesSaturateAndCount) {
    // A scale from elsewhere (e.g. an earlier step's amax) can be too small for new values.
    const std::vector<float> x = {1.0f, 500.0f, -1000.0f, 448.0f};
    Fp8QuantStats s;
    const Fp8Matrix m =
        fp8_quantize_with_scales(x, 1, 4, Fp8Format::e4m3, 1, 4, {1.0f}, Fp8Overflow::saturate, &s);
    EXPECT_EQ(fp8_dequantize(m), (std::vector<float>{1.0f, 448.0f, -448.0f, 448.0f}));
    EXPECT_EQ(s.saturated, 2);
    EXPECT_DOUBLE_EQ(s.saturated_share(), 0.5);
    EXPECT_DOUBLE_EQ(s.max_rel_error, (1000.0 - 448.0) / 1000.0);

    const Fp8Matrix nan = fp8_quantize_with_scales(x, 1, 4, Fp8Format::e4m3, 1, 4, {1.0f},
                                                   Fp8Overflow::non_saturating);
    EXPECT_TRUE(fp8_is_nan(nan.codes[1], Fp8Format::e4m3));
    const Fp8Matrix inf = fp8_quantize_with_scales(std::vector<float>{1e6f}, 1, 1, Fp8Format::e5m2,
                                                   1, 1, {1.0f}, Fp8Overflow::non_saturating);
    EXPECT_EQ(fp8_decode(inf.codes[0], Fp8Format::e5m2), std::numeric_limits<float>::infinity());
}

TEST(Fp8Quantize, TileScaleEdgeCases) {
    EXPECT_EQ(fp8_tile_scale(0.0f, Fp8Format::e4m3, false), 1.0f);  // an all-zero tile
    EXPECT_EQ(fp8_tile_scale(448.0f * 1.5f, Fp8Format::e4m3, true), 2.0f);
    EXPECT_EQ(fp8_tile_scale(448.0f * 2.0f, Fp8Format::e4m3, true), 2.0f);
    EXPECT_EQ(fp8_tile_scale(57344.0f, Fp8Format::e5m2, false), 1.0f);
    // A tile of denormal-size floats: the scale stays a normal float.
    EXPECT_EQ(fp8_tile_scale(1e-44f, Fp8Format::e4m3, false), std::numeric_limits<float>::min());
}

TEST(Fp8Quantize, BadShapesTilesAndScalesAreRefused) {
    const std::vector<float> x(6, 1.0f);
    EXPECT_THROW(fp8_quantize(x, 0, 6, Fp8QuantConfig{}), ConfigError);
    EXPECT_THROW(fp8_quantize(x, 2, 4, Fp8QuantConfig{}), ConfigError);  // 6 values, not 8
    Fp8QuantConfig zero_tile;
    zero_tile.granularity = Fp8Granularity::block;
    zero_tile.tile = 0;
    EXPECT_THROW(fp8_quantize(x, 2, 3, zero_tile), ConfigError);
    EXPECT_THROW(fp8_quantize_with_scales(x, 2, 3, Fp8Format::e4m3, 1, 2, {1.0f}), ConfigError);
    EXPECT_THROW(fp8_quantize_with_scales(x, 1, 6, Fp8Format::e4m3, 1, 6, {-1.0f}), ConfigError);
    EXPECT_THROW(fp8_quantize_with_scales(x, 1, 6, Fp8Format::e4m3, 1, 6,
                                          {std::numeric_limits<float>::infinity()}),
                 ConfigError);
    EXPECT_THROW(fp8_granularity_from_string("per_row"), ConfigError);
    EXPECT_EQ(fp8_granularity_from_string("block"), Fp8Granularity::block);
}
