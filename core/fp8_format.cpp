#include "core/fp8_format.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "core/errors.h"

namespace tinyseek {

namespace {

constexpr Fp8Spec kE4m3{"e4m3", 4, 3, 7, 448.0f, false};
constexpr Fp8Spec kE5m2{"e5m2", 5, 2, 15, 57344.0f, true};

constexpr std::uint8_t kSignBit = 0x80;
constexpr std::uint8_t kNanCode = 0x7F;  // a NaN in both formats (all exponent and mantissa bits)

// v >= 0 rounded to an integer, ties to even. Exact for the small values the encoder passes.
double round_half_even(double v) {
    const double f = std::floor(v);
    const double d = v - f;
    if (d > 0.5) return f + 1.0;
    if (d < 0.5) return f;
    return std::fmod(f, 2.0) == 0.0 ? f : f + 1.0;
}

std::uint8_t largest_finite_code(Fp8Format format) {
    // E4M3: S.1111.110 (S.1111.111 is NaN); E5M2: S.11110.11 (exponent 31 is inf/NaN).
    return format == Fp8Format::e4m3 ? 0x7E : 0x7B;
}

std::uint8_t overflow_code(Fp8Format format, Fp8Overflow overflow) {
    if (overflow == Fp8Overflow::saturate) return largest_finite_code(format);
    return format == Fp8Format::e5m2 ? 0x7C : kNanCode;  // E5M2 infinity, E4M3 NaN
}

// Decodes from the bit fields: the table behind fp8_decode.
float decode_fields(std::uint8_t code, const Fp8Spec& s) {
    const int m = s.mantissa_bits;
    const int exponent_field = (code & 0x7F) >> m;
    const int mantissa = code & ((1 << m) - 1);
    const int top_exponent = (1 << s.exponent_bits) - 1;
    const bool negative = (code & kSignBit) != 0;
    float v = 0.0f;
    if (s.has_infinity && exponent_field == top_exponent) {
        v = mantissa == 0 ? std::numeric_limits<float>::infinity()
                          : std::numeric_limits<float>::quiet_NaN();
    } else if (!s.has_infinity && exponent_field == top_exponent && mantissa == (1 << m) - 1) {
        v = std::numeric_limits<float>::quiet_NaN();
    } else if (exponent_field == 0) {
        v = std::ldexp(static_cast<float>(mantissa), s.min_exponent() - m);
    } else {
        v = std::ldexp(static_cast<float>((1 << m) + mantissa), exponent_field - s.bias - m);
    }
    return negative ? -v : v;
}

using DecodeTable = std::array<float, 256>;

DecodeTable build_table(const Fp8Spec& s) {
    DecodeTable t{};
    for (int c = 0; c < 256; ++c) t[c] = decode_fields(static_cast<std::uint8_t>(c), s);
    return t;
}

}  // namespace

const Fp8Spec& fp8_spec(Fp8Format format) {
    return format == Fp8Format::e4m3 ? kE4m3 : kE5m2;
}

std::string to_string(Fp8Format format) {
    return fp8_spec(format).name;
}

Fp8Format fp8_format_from_string(const std::string& name) {
    if (name == "e4m3") return Fp8Format::e4m3;
    if (name == "e5m2") return Fp8Format::e5m2;
    throw ConfigError("FP8 format: expected e4m3 or e5m2, got '" + name + "'");
}

Fp8Encoded fp8_encode(float x, Fp8Format format, Fp8Overflow overflow) {
    const Fp8Spec& s = fp8_spec(format);
    const std::uint8_t sign = std::signbit(x) ? kSignBit : 0;
    Fp8Encoded out;
    if (std::isnan(x)) {
        out.code = kNanCode | sign;
        return out;
    }
    if (std::isinf(x)) {
        out.code = overflow_code(format, overflow) | sign;
        out.saturated = true;
        return out;
    }
    const double a = std::fabs(static_cast<double>(x));
    if (a == 0.0) {
        out.code = sign;
        return out;
    }
    // Exponent of the leading bit, at least the subnormal exponent; then the value in units
    // of the last mantissa bit at that exponent, rounded (exact: a is a float, the unit a
    // power of two).
    int e2 = 0;
    std::frexp(a, &e2);
    int e = std::max(e2 - 1, s.min_exponent());
    const int m = s.mantissa_bits;
    double q = round_half_even(std::ldexp(a, m - e));
    if (q == std::ldexp(1.0, m + 1)) {  // rounded up to the next binade
        q = std::ldexp(1.0, m);
        ++e;
    }
    if (std::ldexp(q, e - m) > s.max_finite) {
        out.code = overflow_code(format, overflow) | sign;
        out.saturated = true;
        return out;
    }
    if (q == 0.0) {
        out.code = sign;
        out.flushed = true;
        return out;
    }
    const int iq = static_cast<int>(q);
    const bool subnormal = iq < (1 << m);  // only at the smallest exponent
    const int exponent_field = subnormal ? 0 : e + s.bias;
    const int mantissa = subnormal ? iq : iq - (1 << m);
    out.code = static_cast<std::uint8_t>(sign | (exponent_field << m) | mantissa);
    return out;
}

float fp8_decode(std::uint8_t code, Fp8Format format) {
    static const DecodeTable e4m3 = build_table(kE4m3);
    static const DecodeTable e5m2 = build_table(kE5m2);
    return format == Fp8Format::e4m3 ? e4m3[code] : e5m2[code];
}

bool fp8_is_nan(std::uint8_t code, Fp8Format format) {
    return std::isnan(fp8_decode(code, format));
}

bool fp8_is_finite(std::uint8_t code, Fp8Format format) {
    return std::isfinite(fp8_decode(code, format));
}

}  // namespace tinyseek
