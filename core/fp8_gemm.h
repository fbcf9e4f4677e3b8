// The FP8 GEMM of DeepSeek-V3's training recipe, simulated bit-exactly on the CPU
// (docs/ARCHITECTURE.md "FP8"): y = A W^T from quantised operands, products of FP8 values
// summed in the tensor core's limited accumulator and promoted to FP32 with the tile scales
// (core/fp8_accumulator.h). core/fp8_gemm_reference.h is the same contract written as plain
// loops from the definition; tests hold the two equal bit for bit.
#pragma once

#include <vector>

#include "core/fp8_accumulator.h"
#include "core/fp8_quantize.h"

namespace tinyseek {

// y (M, N) = A (M, K) W (N, K)^T, row-major, FP32 result. A and W may differ in format and
// tiling. An output whose row of A or row of W holds a NaN or infinity is the double sum of
// the decoded products (so NaN and infinity propagate as in FP32). Parallel over rows of A
// (OpenMP): call it outside parallel regions. Throws ConfigError on mismatched K or a bad
// model.
// Throws ConfigError when A and W differ in K or the model is invalid.
void fp8_gemm_check(const Fp8Matrix& a, const Fp8Matrix& w, const Fp8AccumulatorModel& model);

std::vector<float> fp8_gemm(const Fp8Matrix& a, const Fp8Matrix& w,
                            const Fp8AccumulatorModel& model);

}  // namespace tinyseek
