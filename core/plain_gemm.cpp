#include "core/plain_gemm.h"

#include <cmath>
#include <string>

#include "core/errors.h"

namespace tinyseek {

namespace {

void check_shapes(std::span<const float> a, std::span<const float> w, int m, int n, int k) {
    if (m <= 0 || n <= 0 || k <= 0 || a.size() != std::size_t(m) * k ||
        w.size() != std::size_t(n) * k)
        throw ConfigError("GEMM: operands of " + std::to_string(a.size()) + " and " +
                          std::to_string(w.size()) + " values do not fit m = " + std::to_string(m) +
                          ", n = " + std::to_string(n) + ", k = " + std::to_string(k));
}

template <typename Acc, typename Step>
std::vector<Acc> gemm_in_order(std::span<const float> a, std::span<const float> w, int m, int n,
                               int k, Step step) {
    check_shapes(a, w, m, n, k);
    std::vector<Acc> y(std::size_t(m) * n);
#pragma omp parallel for schedule(static) if (gemm_worth_threads(m, n, k))
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            const float* ai = a.data() + std::size_t(i) * k;
            const float* wj = w.data() + std::size_t(j) * k;
            Acc acc = 0;
            for (int t = 0; t < k; ++t) acc = step(ai[t], wj[t], acc);
            y[std::size_t(i) * n + j] = acc;
        }
    return y;
}

}  // namespace

std::vector<float> gemm_fp32(std::span<const float> a, std::span<const float> w, int m, int n,
                             int k) {
    return gemm_in_order<float>(a, w, m, n, k,
                                [](float x, float y, float acc) { return std::fmaf(x, y, acc); });
}

std::vector<double> gemm_fp64(std::span<const float> a, std::span<const float> w, int m, int n,
                              int k) {
    return gemm_in_order<double>(a, w, m, n, k, [](float x, float y, double acc) {
        return std::fma(double(x), double(y), acc);
    });
}

}  // namespace tinyseek
