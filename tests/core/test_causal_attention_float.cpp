// The float causal attention (on the AVX-512 GEMM where the machine has it, with its
// triangular products) against the double path, which runs Eigen's triangular products and
// is itself held to finite differences (test_layers_grad) and to the naive reference
// (test_attention_reference). Shapes cross the GEMM's 12-row blocks, 32-column panels and
// 256-deep passes; heads are strided column blocks of wider rows, with grouped KV heads.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/causal_attention.h"
#include "core/sgemm.h"

namespace tinyseek {
namespace {

struct Tensors {
    std::vector<double> q, k, v, dout;
};

struct Outputs {
    std::vector<double> out, probs, dq, dk, dv;
};

constexpr int kB = 2, kH = 4, kHkv = 2, kDqk = 20, kDv = 24;
constexpr int kQStride = kH * kDqk + 3, kKStride = kHkv * kDqk + 5, kVStride = kHkv * kDv + 1;

Tensors random_tensors(int Tn, std::mt19937& rng) {
    std::normal_distribution<double> g(0.0, 1.0);
    const auto fill = [&](size_t count) {
        std::vector<double> x(count);
        for (double& e : x) e = g(rng);
        return x;
    };
    const size_t N = static_cast<size_t>(kB) * Tn;
    return {fill(N * kQStride), fill(N * kKStride), fill(N * kVStride), fill(N * kH * kDv)};
}

template <typename T>
Outputs run(const Tensors& in, int Tn) {
    const auto cast = [](const std::vector<double>& x) {
        return std::vector<T>(x.begin(), x.end());
    };
    const std::vector<T> q = cast(in.q), k = cast(in.k), v = cast(in.v), dout = cast(in.dout);
    const size_t N = static_cast<size_t>(kB) * Tn;
    const AttentionDims d{.B = kB,
                          .T = Tn,
                          .H = kH,
                          .Hkv = kHkv,
                          .Dqk = kDqk,
                          .Dv = kDv,
                          .scale = 1.0 / std::sqrt(double(kDqk))};
    std::vector<T> out(N * kH * kDv), probs(static_cast<size_t>(kB) * kH * Tn * Tn, T(7));
    std::vector<T> dq(N * kQStride), dk(N * kKStride), dv(N * kVStride);
    std::vector<T> scratch(static_cast<size_t>(Tn) * Tn, T(5));  // stale values must not leak
    causal_attention_forward<T>(out.data(), probs.data(), {q.data(), kQStride, kDqk},
                                {k.data(), kKStride, kDqk}, {v.data(), kVStride, kDv}, d);
    causal_attention_backward<T>({dq.data(), kQStride, kDqk}, {dk.data(), kKStride, kDqk},
                                 {dv.data(), kVStride, kDv}, dout.data(), probs.data(),
                                 {q.data(), kQStride, kDqk}, {k.data(), kKStride, kDqk},
                                 {v.data(), kVStride, kDv}, d, scratch.data());
    const auto widen = [](const std::vector<T>& x) {
        return std::vector<double>(x.begin(), x.end());
    };
    return {widen(out), widen(probs), widen(dq), widen(dk), widen(dv)};
}

// Within a float's rounding of sums over up to T terms of unit-sized values.
void expect_close(const std::vector<double>& got, const std::vector<double>& want, int Tn,
                  const char* what) {
    ASSERT_EQ(got.size(), want.size());
    double scale = 1e-30;
    for (double w : want) scale = std::max(scale, std::abs(w));
    for (size_t i = 0; i < got.size(); ++i)
        ASSERT_NEAR(got[i], want[i], 2e-6 * std::sqrt(double(Tn) + 1.0) * scale * 8)
            << what << " T=" << Tn << " at " << i << " with " << sgemm_kernel_name();
}

class FloatAttention : public ::testing::TestWithParam<bool> {
  protected:
    void SetUp() override { sgemm_force_eigen(GetParam()); }
    void TearDown() override { sgemm_force_eigen(false); }
};

TEST_P(FloatAttention, MatchesTheDoublePathForwardAndBackward) {
    std::mt19937 rng(11);
    for (int Tn : {1, 5, 13, 33, 130, 300}) {
        const Tensors in = random_tensors(Tn, rng);
        const Outputs want = run<double>(in, Tn);
        const Outputs got = run<float>(in, Tn);
        expect_close(got.out, want.out, Tn, "out");
        expect_close(got.probs, want.probs, Tn, "probs");
        expect_close(got.dq, want.dq, Tn, "dq");
        expect_close(got.dk, want.dk, Tn, "dk");
        expect_close(got.dv, want.dv, Tn, "dv");
        for (int bh = 0; bh < kB * kH; ++bh)  // P is zero above the diagonal
            for (int i = 0; i < Tn; ++i)
                for (int j = i + 1; j < Tn; ++j)
                    ASSERT_EQ(got.probs[(size_t(bh) * Tn + i) * Tn + j], 0.0);
    }
}

INSTANTIATE_TEST_SUITE_P(NativeAndEigen, FloatAttention, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Eigen" : "Native"; });

}  // namespace
}  // namespace tinyseek
