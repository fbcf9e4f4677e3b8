// E4M3 and E5M2 encode/decode checked against the format definitions written out here
// independently (sign, exponent and mantissa fields through std::ldexp), every code of both
// formats, and rounding and overflow cases worked out by hand.
#include "core/fp8_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "core/errors.h"

using namespace tinyseek;

namespace {

// The value of a code from the OCP FP8 definition. E4M3: bias 7, S.1111.111 is NaN, no
// infinities. E5M2: bias 15, exponent field 31 is infinity (mantissa 0) or NaN.
double value_from_fields(int code, int exponent_bits, int mantissa_bits, int bias, bool ieee) {
    const int sign = code >> 7;
    const int exponent = (code >> mantissa_bits) & ((1 << exponent_bits) - 1);
    const int mantissa = code & ((1 << mantissa_bits) - 1);
    const int top = (1 << exponent_bits) - 1;
    double v;
    if (ieee && exponent == top)
        v = mantissa == 0 ? std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::quiet_NaN();
    else if (!ieee && exponent == top && mantissa == (1 << mantissa_bits) - 1)
        v = std::numeric_limits<double>::quiet_NaN();
    else if (exponent == 0)
        v = std::ldexp(double(mantissa) / (1 << mantissa_bits), 1 - bias);
    else
        v = std::ldexp(1.0 + double(mantissa) / (1 << mantissa_bits), exponent - bias);
    return sign ? -v : v;
}

void expect_table(Fp8Format f, int exponent_bits, int mantissa_bits, int bias, bool ieee) {
    int nans = 0, infinities = 0;
    for (int code = 0; code < 256; ++code) {
        const double expected = value_from_fields(code, exponent_bits, mantissa_bits, bias, ieee);
        const float got = fp8_decode(static_cast<std::uint8_t>(code), f);
        if (std::isnan(expected)) {
            EXPECT_TRUE(std::isnan(got)) << to_string(f) << " code " << code;
            EXPECT_TRUE(fp8_is_nan(static_cast<std::uint8_t>(code), f));
            ++nans;
            continue;
        }
        if (std::isinf(expected)) ++infinities;
        EXPECT_EQ(double(got), expected) << to_string(f) << " code " << code;
        EXPECT_EQ(std::signbit(got), code >= 128) << to_string(f) << " code " << code;
        EXPECT_EQ(fp8_is_finite(static_cast<std::uint8_t>(code), f), std::isfinite(expected));
    }
    EXPECT_EQ(nans, ieee ? 6 : 2);
    EXPECT_EQ(infinities, ieee ? 2 : 0);
}

}  // namespace

TEST(Fp8Format, E4m3DecodesEveryCodeAsTheDefinitionSays) {
    expect_table(Fp8Format::e4m3, 4, 3, 7, false);
    EXPECT_EQ(fp8_decode(0x7E, Fp8Format::e4m3), 448.0f);
    EXPECT_EQ(fp8_decode(0x08, Fp8Format::e4m3), std::ldexp(1.0f, -6));  // smallest normal
    EXPECT_EQ(fp8_decode(0x01, Fp8Format::e4m3), std::ldexp(1.0f, -9));  // smallest subnormal
    EXPECT_EQ(fp8_spec(Fp8Format::e4m3).max_finite, 448.0f);
}

TEST(Fp8Format, E5m2DecodesEveryCodeAsTheDefinitionSays) {
    expect_table(Fp8Format::e5m2, 5, 2, 15, true);
    EXPECT_EQ(fp8_decode(0x7B, Fp8Format::e5m2), 57344.0f);
    EXPECT_EQ(fp8_decode(0x7C, Fp8Format::e5m2), std::numeric_limits<float>::infinity());
    EXPECT_EQ(fp8_decode(0xFC, Fp8Format::e5m2), -std::numeric_limits<float>::infinity());
    EXPECT_EQ(fp8_decode(0x04, Fp8Format::e5m2), std::ldexp(1.0f, -14));
    EXPECT_EQ(fp8_decode(0x01, Fp8Format::e5m2), std::ldexp(1.0f, -16));
}

TEST(Fp8Format, EveryFiniteCodeRoundTrips) {
    for (Fp8Format f : {Fp8Format::e4m3, Fp8Format::e5m2}) {
        int finite = 0;
        for (int code = 0; code < 256; ++code) {
            const auto c = static_cast<std::uint8_t>(code);
            if (!fp8_is_finite(c, f)) continue;
            ++finite;
            const Fp8Encoded e = fp8_encode(fp8_decode(c, f), f);
            EXPECT_EQ(e.code, c) << to_string(f) << " code " << code;
            EXPECT_FALSE(e.saturated);
            EXPECT_FALSE(e.flushed);
        }
        EXPECT_EQ(finite, f == Fp8Format::e4m3 ? 254 : 248);
    }
}

TEST(Fp8Format, TiesRoundToEven) {
    const auto e4 = [](float x) { return fp8_encode(x, Fp8Format::e4m3).code; };
    const auto e5 = [](float x) { return fp8_encode(x, Fp8Format::e5m2).code; };
    // E4M3 steps of 1/8 between 1 and 2: 1 + 1/16 lies between 1.0 (mantissa 000, even) and
    // 1.125 (001); 1 + 3/16 between 1.125 (001) and 1.25 (010, even).
    EXPECT_EQ(e4(1.0625f), 0x38);
    EXPECT_EQ(e4(1.1875f), 0x3A);
    EXPECT_EQ(e4(1.0625f + 1e-6f), 0x39);  // just above the tie
    // 1 + 15/16 lies between 1.875 (111) and 2.0: the tie carries into the next exponent.
    EXPECT_EQ(e4(1.9375f), 0x40);
    EXPECT_EQ(fp8_decode(0x40, Fp8Format::e4m3), 2.0f);
    // Subnormals, steps of 2^-9: 2^-10 ties between 0 and 2^-9 and flushes to (even) zero;
    // 3 * 2^-10 ties between 1 and 2 units and goes to 2.
    const Fp8Encoded half = fp8_encode(std::ldexp(1.0f, -10), Fp8Format::e4m3);
    EXPECT_EQ(half.code, 0x00);
    EXPECT_TRUE(half.flushed);
    EXPECT_EQ(e4(-std::ldexp(1.0f, -10)), 0x80);  // signed zero
    EXPECT_EQ(e4(3.0f * std::ldexp(1.0f, -10)), 0x02);
    EXPECT_EQ(e4(std::ldexp(1.0f + 1.0f / 1024, -10)), 0x01);
    // E5M2 steps of 1/4: 1.125 between 1.0 (00) and 1.25 (01); 1.375 between 1.25 and 1.5 (10).
    EXPECT_EQ(e5(1.125f), 0x3C);
    EXPECT_EQ(e5(1.375f), 0x3E);
    EXPECT_EQ(e5(-1.375f), 0xBE);
}

TEST(Fp8Format, E4m3SaturatesAndFlagsOverflow) {
    const auto enc = [](float x, Fp8Overflow o = Fp8Overflow::saturate) {
        return fp8_encode(x, Fp8Format::e4m3, o);
    };
    EXPECT_EQ(enc(448.0f).code, 0x7E);
    EXPECT_FALSE(enc(448.0f).saturated);
    // 464 ties between 448 (mantissa 110, even) and 480 (not a value): rounding gives 448,
    // which is in range; anything above rounds beyond it and saturates.
    EXPECT_EQ(enc(464.0f).code, 0x7E);
    EXPECT_FALSE(enc(464.0f).saturated);
    EXPECT_EQ(enc(465.0f).code, 0x7E);
    EXPECT_TRUE(enc(465.0f).saturated);
    EXPECT_EQ(enc(-1e6f).code, 0xFE);
    EXPECT_TRUE(enc(-1e6f).saturated);
    EXPECT_EQ(enc(std::numeric_limits<float>::infinity()).code, 0x7E);
    EXPECT_TRUE(enc(std::numeric_limits<float>::infinity()).saturated);
    // No infinity in E4M3: the non-saturating conversion gives NaN.
    EXPECT_TRUE(fp8_is_nan(enc(465.0f, Fp8Overflow::non_saturating).code, Fp8Format::e4m3));
    EXPECT_TRUE(enc(465.0f, Fp8Overflow::non_saturating).saturated);
    EXPECT_TRUE(fp8_is_nan(enc(std::numeric_limits<float>::quiet_NaN()).code, Fp8Format::e4m3));
    EXPECT_EQ(enc(-0.0f).code, 0x80);
    EXPECT_FALSE(enc(-0.0f).flushed);
}

TEST(Fp8Format, E5m2OverflowsToInfinityOrSaturates) {
    const auto enc = [](float x, Fp8Overflow o = Fp8Overflow::saturate) {
        return fp8_encode(x, Fp8Format::e5m2, o);
    };
    EXPECT_EQ(enc(57344.0f).code, 0x7B);
    // 61440 ties between 57344 (mantissa 11, odd) and 65536 (00, even): IEEE rounding goes
    // up, beyond the largest finite value.
    EXPECT_EQ(enc(61439.0f).code, 0x7B);
    EXPECT_FALSE(enc(61439.0f).saturated);
    EXPECT_EQ(enc(61440.0f).code, 0x7B);
    EXPECT_TRUE(enc(61440.0f).saturated);
    EXPECT_EQ(enc(61440.0f, Fp8Overflow::non_saturating).code, 0x7C);
    EXPECT_EQ(enc(-1e9f, Fp8Overflow::non_saturating).code, 0xFC);
    EXPECT_EQ(enc(-std::numeric_limits<float>::infinity(), Fp8Overflow::non_saturating).code, 0xFC);
    EXPECT_EQ(enc(-std::numeric_limits<float>::infinity()).code, 0xFB);
    EXPECT_TRUE(fp8_is_nan(enc(std::numeric_limits<float>::quiet_NaN()).code, Fp8Format::e5m2));
}

TEST(Fp8Format, FormatNamesParseAndBadNamesAreRefused) {
    EXPECT_EQ(fp8_format_from_string("e4m3"), Fp8Format::e4m3);
    EXPECT_EQ(fp8_format_from_string("e5m2"), Fp8Format::e5m2);
    EXPECT_THROW(fp8_format_from_string("E4M3"), ConfigError);
    EXPECT_EQ(to_string(Fp8Format::e5m2), "e5m2");
}
