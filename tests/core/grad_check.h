// Finite-difference gradient checks in double precision (shared by the core tests).
//
// A GradProblem owns named double tensors (inputs and parameters), a forward that maps them to
// an output vector, and a backward that, given dL/doutput, ACCUMULATES dL/dtensor into grads
// of the same shapes (as every backward in core/ does). The loss is a fixed random projection
// of the output, L = sum_i p_i y_i, so every output element contributes.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace tinyseek::testing {

using Tensors = std::map<std::string, std::vector<double>>;

struct GradProblem {
    Tensors values;
    std::function<std::vector<double>(const Tensors& values)> forward;
    std::function<void(const Tensors& values, const std::vector<double>& dout, Tensors& grads)>
        backward;
    // The last `unit_tail` outputs enter the loss with weight 1 instead of a random one: terms
    // whose gradient the backward adds by itself (the MoE balance loss).
    int unit_tail = 0;
};

struct GradReport {
    std::string worst_tensor;
    // max over checked elements of |a - n| / max(|a|, |n|, floor), floor = 1e-3 * the largest
    // |analytic gradient| of that tensor (tiny entries are judged at the tensor's scale)
    double worst_error = 0;
    int checked = 0;
};

inline std::vector<double> random_vector(size_t n, std::mt19937_64& rng, double std = 1.0) {
    std::normal_distribution<double> normal(0.0, std);
    std::vector<double> v(n);
    for (double& x : v) x = normal(rng);
    return v;
}

// Compares the analytic gradient with central differences (step h) on up to
// `max_per_tensor` randomly chosen elements of every tensor.
inline GradReport check_gradients(GradProblem& problem, uint64_t seed, int max_per_tensor = 64,
                                  double h = 1e-5) {
    std::mt19937_64 rng(seed);
    const std::vector<double> y0 = problem.forward(problem.values);
    std::vector<double> proj = random_vector(y0.size(), rng);
    for (int i = 0; i < problem.unit_tail; ++i) proj[proj.size() - 1 - i] = 1.0;
    auto loss = [&]() {
        const std::vector<double> y = problem.forward(problem.values);
        double l = 0;
        for (size_t i = 0; i < y.size(); ++i) l += proj[i] * y[i];
        return l;
    };
    Tensors grads;
    for (const auto& [name, v] : problem.values) grads[name].assign(v.size(), 0.0);
    problem.backward(problem.values, proj, grads);

    GradReport report;
    for (auto& [name, v] : problem.values) {
        double floor = 1e-10;
        for (double g : grads[name]) floor = std::max(floor, 1e-3 * std::abs(g));
        std::vector<size_t> idx(v.size());
        for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
        std::shuffle(idx.begin(), idx.end(), rng);
        if (static_cast<int>(idx.size()) > max_per_tensor) idx.resize(max_per_tensor);
        for (size_t i : idx) {
            const double saved = v[i];
            v[i] = saved + h;
            const double lp = loss();
            v[i] = saved - h;
            const double lm = loss();
            v[i] = saved;
            const double numeric = (lp - lm) / (2 * h);
            const double analytic = grads[name][i];
            const double err = std::abs(analytic - numeric) /
                               std::max({floor, std::abs(analytic), std::abs(numeric)});
            ++report.checked;
            if (err > report.worst_error) {
                report.worst_error = err;
                report.worst_tensor = name + "[" + std::to_string(i) + "] analytic " +
                                      std::to_string(analytic) + " numeric " +
                                      std::to_string(numeric);
            }
        }
    }
    return report;
}

}  // namespace tinyseek::testing
