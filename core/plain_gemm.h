// Plain products y = A W^T for comparison with the simulated FP8 GEMM (core/fp8_gemm.h):
// straightforward loops in k order, one rounding per step, parallel over rows of A (OpenMP;
// call them outside parallel regions).
#pragma once

#include <span>
#include <vector>

namespace tinyseek {

// Whether an (m, n, k) product is worth an OpenMP team: small ones (hand cases, a tiny model's
// narrow layers) run on the calling thread, since waking a team costs more than the work, and
// far more on a busy machine.
inline bool gemm_worth_threads(int m, int n, int k) {
    return static_cast<long long>(m) * n * k >= (1LL << 16);
}

// y (m, n) = a (m, k) w (n, k)^T with an FP32 accumulator: acc = fmaf(a, w, acc) in k order,
// as an FMA unit does it (one rounding per product-add).
std::vector<float> gemm_fp32(std::span<const float> a, std::span<const float> w, int m, int n,
                             int k);

// The same in double: the reference the errors are measured against.
std::vector<double> gemm_fp64(std::span<const float> a, std::span<const float> w, int m, int n,
                              int k);

}  // namespace tinyseek
