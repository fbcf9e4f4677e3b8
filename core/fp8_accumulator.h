// The simulated accumulator of an FP8 GEMM (docs/ARCHITECTURE.md "FP8").
//
// DeepSeek-V3 §3.3.2 ("Increasing Accumulation Precision"): the H800's FP8 tensor cores keep
// about 14 bits of the running sum; V3 therefore copies the partial sum to FP32 registers on
// the CUDA cores every N_C = 128 elements of K (4 WGMMA instructions) and multiplies the
// per-tile scales in there. The tensor-core arithmetic follows the bit-accurate model of
// Hopper's FP8 wgmma (k = 32) by Xie et al. 2025 (MMA-Sim, arXiv 2511.10909), which agrees
// with the finding that masking the 10 lowest of FP32's 23 mantissa bits of an H100 FP8
// result changes nothing (e8m13). One tensor-core step adds `fused_terms` products to the
// partial sum c at once:
//
//   1. every summand is written significand x 2^exponent: c normalised; a product
//      a * b with the operands' own significands and exponents, ea + eb (not renormalised);
//   2. all are aligned to the largest exponent e_max and cut to `mantissa_bits` fractional
//      bits there, i.e. to multiples of 2^(e_max - mantissa_bits) (truncation drops the rest);
//   3. the aligned summands are added exactly, and the sum is cut to `mantissa_bits`
//      bits after its leading bit (1 + mantissa_bits significant bits, e8m13 by default).
//
// With `nearest_even` both cuts round to nearest, ties to even, instead of truncating.
// Promotion: acc32 = fmaf(scale_a * scale_w, partial, acc32), partial = 0, every
// `promote_every` elements of K and wherever an operand's scale tile ends along K (the scale
// changes there, so no kernel can carry the partial sum across); 0 promotes only there.
#pragma once

#include <string>
#include <vector>

namespace tinyseek {

enum class AccRounding { truncate, nearest_even };

std::string to_string(AccRounding rounding);
// "truncate" or "nearest"; throws ConfigError otherwise.
AccRounding acc_rounding_from_string(const std::string& name);

struct Fp8AccumulatorModel {
    int mantissa_bits = 13;  // e8m13: Hopper FP8 wgmma (MMA-Sim); V3's "about 14 bits"
    AccRounding rounding = AccRounding::truncate;
    int fused_terms = 32;     // products per tensor-core step (wgmma FP8: k = 32)
    int promote_every = 128;  // N_C; 0 = only where a scale tile ends

    // Throws ConfigError naming the field: mantissa_bits in 1..23 (the partial sum lives in
    // a float), fused_terms >= 1, promote_every >= 0.
    void validate() const;
};

// Where the partial sum is promoted along K: the sorted chunk starts, beginning with 0, for
// operands whose scale tiles are `a_tile_cols` and `w_tile_cols` wide along K.
std::vector<int> fp8_promotion_starts(int k, int a_tile_cols, int w_tile_cols, int promote_every);

}  // namespace tinyseek
