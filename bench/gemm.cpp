// The linear layers' GEMMs (core/sgemm.h) on the tiny model's shapes, one thread (as each
// shard runs them): the AVX-512 kernel against Eigen's, the control it replaced, in one run.
//
//   OMP_NUM_THREADS=1 ./bench_gemm --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true
//
// Arguments: rows n (a shard of a 32 x 128 batch on 2 threads, or one expert's tokens), in,
// out, the product (0 = y = x W^T, 1 = dx += dy W, 2 = dW += dy^T x) and the kernel (0 = the
// one core/sgemm.h chooses, 1 = Eigen). Counters: GFLOPs and its share of one core's FMA peak
// (core/fma_peak.h, measured on one thread).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "core/eigen.h"

#include "core/fma_peak.h"
#include "core/sgemm.h"

namespace tinyseek {
namespace {

std::vector<float> random_values(size_t count) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(count);
    for (float& x : v) x = u(rng);
    return v;
}

double core_peak_flops() {
    static const double peak = measure_fma_peak_flops(1, 0.2);
    return peak;
}

void BM_LinearGemm(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0)), in = static_cast<int>(state.range(1)),
              out = static_cast<int>(state.range(2)), product = static_cast<int>(state.range(3));
    sgemm_force_eigen(state.range(4) == 1);
    Eigen::setNbThreads(1);  // as inside the model's shards: Eigen starts no threads there
    const auto x = random_values(size_t(n) * in), w = random_values(size_t(out) * in),
               dy = random_values(size_t(n) * out);
    std::vector<float> y(size_t(n) * out), dx(size_t(n) * in), dw(size_t(out) * in);
    for (auto _ : state) {
        if (product == 0) sgemm_xwt(y.data(), out, x.data(), in, w.data(), n, in, out, false);
        if (product == 1) sgemm_dy_w(dx.data(), in, dy.data(), out, w.data(), n, in, out, true);
        if (product == 2) sgemm_dyt_x(dw.data(), dy.data(), out, x.data(), n, in, out);
        benchmark::ClobberMemory();
    }
    const double flops = 2.0 * n * in * out * static_cast<double>(state.iterations());
    state.counters["GFLOPs"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsRate);
    state.counters["core_peak_share"] =
        benchmark::Counter(flops / core_peak_flops(), benchmark::Counter::kIsRate);
    state.SetLabel(sgemm_kernel_name());
    sgemm_force_eigen(false);
}

void model_shapes(benchmark::internal::Benchmark* b) {
    // (rows, in, out): the dense MLP's up/gate and down projections, attention's output and
    // query projections, the key/value down projection, one expert's share of the tokens.
    const int shapes[][3] = {{2048, 128, 384}, {2048, 384, 128}, {2048, 128, 128},
                             {2048, 64, 192},  {2048, 128, 48},  {512, 128, 256}};
    for (const auto& s : shapes)
        for (int product = 0; product < 3; ++product)
            for (int kernel = 0; kernel < 2; ++kernel) b->Args({s[0], s[1], s[2], product, kernel});
}
BENCHMARK(BM_LinearGemm)->Apply(model_shapes)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace tinyseek

BENCHMARK_MAIN();
