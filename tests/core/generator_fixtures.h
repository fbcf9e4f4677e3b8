// Fixtures shared by the generator tests: thread-count guard, random models and prompts.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <omp.h>

#include "core/param_store.h"

namespace tinyseek::testing {

// Most tests run single-threaded: they make hundreds of tiny forward calls, and on a shared
// 2-core machine every OpenMP fork can wait a scheduler slice for a descheduled thread.
// Restores the previous thread count (other suites share this process).
struct Threads {
    explicit Threads(int n) : saved(omp_get_max_threads()) { omp_set_num_threads(n); }
    ~Threads() { omp_set_num_threads(saved); }
    int saved;
};

// Random weights large enough that attention is far from uniform and logits spread out
// (init_params' std 0.02 would make almost any two implementations agree to 1e-4), and
// RMSNorm weights and routing biases away from their 1 / 0 defaults.
inline ParamStore random_model(const ModelConfig& c, uint64_t seed) {
    ParamStore p(c);
    init_params(p, seed, 0.12f);
    std::mt19937_64 rng(seed + 1);
    std::normal_distribution<float> n(0.0f, 0.1f);
    for (const TensorSpec& t : p.layout().tensors()) {
        if (t.shape.size() != 1) continue;
        float* x = p.data().data() + t.offset;
        const bool bias = t.name.find("e_score_correction_bias") != std::string::npos;
        for (size_t i = 0; i < t.numel; ++i) x[i] = (bias ? 0.0f : 1.0f) + n(rng);
    }
    return p;
}

inline std::vector<int> random_tokens(int n, int vocab, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> d(0, vocab - 1);
    std::vector<int> t(n);
    for (int& x : t) x = d(rng);
    return t;
}

}  // namespace tinyseek::testing
