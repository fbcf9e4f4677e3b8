// The two FP8 formats of the OCP 8-bit floating point specification (Micikevicius et al. 2022,
// "FP8 Formats for Deep Learning"), bit-exact on the CPU (docs/ARCHITECTURE.md "FP8"):
//
//   E4M3: 1 sign, 4 exponent bits (bias 7), 3 mantissa bits. No infinities: S.1111.111 is
//         the only NaN, so the largest finite value is 1.75 * 2^8 = 448.
//   E5M2: 1 sign, 5 exponent bits (bias 15), 2 mantissa bits, IEEE 754 conventions: exponent
//         field 31 holds the infinities (mantissa 0) and NaNs; largest finite 1.75 * 2^15 = 57344.
//
// Both have subnormals (exponent field 0: mantissa / 2^m * 2^(1 - bias)). Encoding rounds to
// nearest, ties to even, as the hardware's conversion (cvt.rn.satfinite) does.
#pragma once

#include <cstdint>
#include <string>

namespace tinyseek {

enum class Fp8Format { e4m3, e5m2 };

struct Fp8Spec {
    const char* name;  // "e4m3", "e5m2"
    int exponent_bits;
    int mantissa_bits;
    int bias;
    float max_finite;  // 448 or 57344
    bool has_infinity;
    // Exponent of the smallest normal value (also the scale of the subnormals).
    int min_exponent() const { return 1 - bias; }
};

const Fp8Spec& fp8_spec(Fp8Format format);
std::string to_string(Fp8Format format);
// "e4m3" or "e5m2"; throws ConfigError naming the value otherwise.
Fp8Format fp8_format_from_string(const std::string& name);

// What a value beyond the largest finite one becomes.
enum class Fp8Overflow {
    saturate,        // the largest finite value of its sign (the quantisers' default)
    non_saturating,  // E5M2: infinity; E4M3 has none, so NaN (the OCP specification's rule)
};

struct Fp8Encoded {
    std::uint8_t code = 0;
    // |x| lies beyond the format's range: rounding to nearest with an unbounded exponent
    // would give a value above the largest finite one (infinite inputs count too).
    bool saturated = false;
    // x is non-zero but rounds to (signed) zero.
    bool flushed = false;
};

// Round to nearest, ties to even, with subnormals; NaN stays NaN, -0 stays -0.
Fp8Encoded fp8_encode(float x, Fp8Format format, Fp8Overflow overflow = Fp8Overflow::saturate);

// The value of a code (exact in float): a table lookup.
float fp8_decode(std::uint8_t code, Fp8Format format);

bool fp8_is_nan(std::uint8_t code, Fp8Format format);
// NaN or infinity.
bool fp8_is_finite(std::uint8_t code, Fp8Format format);

}  // namespace tinyseek
