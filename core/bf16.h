// BF16 (bfloat16): FP32's sign and 8-bit exponent with 7 of its 23 mantissa bits. DeepSeek-V3
// keeps AdamW's moments in it (core/adamw.h, AdamWConfig::bf16_moments).
#pragma once

#include <bit>
#include <cstdint>

namespace tinyseek {

// The BF16 value nearest x, ties to even, as a float. Rounds FP32's bit pattern at bit 16
// (a carry into the exponent is the next binade, and past the largest finite value gives
// infinity, as IEEE rounding does); NaN stays NaN.
inline float round_to_bf16(float x) {
    std::uint32_t b = std::bit_cast<std::uint32_t>(x);
    if ((b & 0x7fffffffu) > 0x7f800000u) return x;  // NaN
    b = (b + 0x7fffu + ((b >> 16) & 1u)) & 0xffff0000u;
    return std::bit_cast<float>(b);
}

}  // namespace tinyseek
