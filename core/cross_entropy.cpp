#include "core/cross_entropy.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include "core/eigen.h"
#include "core/errors.h"

namespace tinyseek {

template <typename T>
CrossEntropyResult cross_entropy(T* dlogits, T* logprobs, const T* logits, const int* targets,
                                 int n, int V, double grad_scale) {
    CrossEntropyResult result;
    for (int r = 0; r < n; ++r) {
        if (targets[r] == kIgnoreIndex) continue;
        if (targets[r] < 0 || targets[r] >= V)
            throw Error("cross_entropy: target " + std::to_string(targets[r]) + " of row " +
                        std::to_string(r) + " outside [0, " + std::to_string(V) + ")");
        ++result.count;
    }
    double total = 0;
    const T inv_count = result.count ? static_cast<T>(grad_scale / result.count) : T(0);
    using Row = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
    using ConstRow = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;
#pragma omp parallel for reduction(+ : total) schedule(static) if (int64_t(n) * V > 65536)
    for (int r = 0; r < n; ++r) {
        const ConstRow z(logits + static_cast<size_t>(r) * V, V);
        T* dz = dlogits ? dlogits + static_cast<size_t>(r) * V : nullptr;
        const int y = targets[r];
        if (y == kIgnoreIndex) {
            if (dz) std::fill_n(dz, V, T(0));
            if (logprobs) logprobs[r] = 0;
            continue;
        }
        // log p(y) = z_y - m - log sum_j exp(z_j - m)
        const T m = z.maxCoeff();
        T sum;
        if (dz) {
            Row d(dz, V);
            d = (z - m).exp();
            sum = d.sum();
            // d(-log p_y)/dz_j = p_j - [j == y], times grad_scale / count
            d *= inv_count / sum;
            dz[y] -= inv_count;
        } else {
            sum = (z - m).exp().sum();
        }
        const T logp = z[y] - m - std::log(sum);
        total -= static_cast<double>(logp);
        if (logprobs) logprobs[r] = logp;
    }
    result.loss = result.count ? total / result.count : 0.0;
    if (!std::isfinite(result.loss))
        throw NumericError("cross_entropy: loss is " + std::to_string(result.loss) + " over " +
                           std::to_string(result.count) + " targets (NaN/Inf in the logits)");
    return result;
}

std::vector<int> shifted_targets(const int* tokens, const int* lengths, int B, int T, int shift) {
    std::vector<int> targets(static_cast<size_t>(B) * T, kIgnoreIndex);
    for (int b = 0; b < B; ++b) {
        const int L = lengths ? lengths[b] : T;
        for (int t = 0; t + shift < L; ++t)
            targets[static_cast<size_t>(b) * T + t] =
                tokens[static_cast<size_t>(b) * T + t + shift];
    }
    return targets;
}

template CrossEntropyResult cross_entropy<float>(float*, float*, const float*, const int*, int, int,
                                                 double);
template CrossEntropyResult cross_entropy<double>(double*, double*, const double*, const int*, int,
                                                  int, double);

}  // namespace tinyseek
