// The simulated FP8 GEMM written as plain loops from the definition in
// core/fp8_accumulator.h, in double with frexp/ldexp on the decoded values: the independent
// reference the fast path (core/fp8_gemm.h) is tested against, bit for bit. Slow; tests only.
#pragma once

#include <vector>

#include "core/fp8_accumulator.h"
#include "core/fp8_quantize.h"

namespace tinyseek {

// One summand of a tensor-core step: significand * 2^exponent.
struct Fp8Term {
    double significand = 0.0;
    int exponent = 0;
};

// A decoded FP8 value as the hardware sees it: significand in [1, 2) and its exponent, or a
// subnormal's significand below 1 at the format's smallest exponent.
Fp8Term fp8_operand_term(float value, Fp8Format format);

// One tensor-core step of the model: c plus the products, as core/fp8_accumulator.h defines it.
double fp8_fused_step_reference(double c, const std::vector<Fp8Term>& products, int mantissa_bits,
                                AccRounding rounding);

// Same contract as fp8_gemm, single-threaded.
std::vector<float> fp8_gemm_reference(const Fp8Matrix& a, const Fp8Matrix& w,
                                      const Fp8AccumulatorModel& model);

}  // namespace tinyseek
