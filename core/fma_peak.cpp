#include "core/fma_peak.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>

#include <omp.h>

namespace tinyseek {

namespace {

// 16 floats: one AVX-512 register; the compiler splits it where registers are narrower.
typedef float Packet __attribute__((vector_size(64)));
constexpr int kPacketFloats = 16;
// Independent accumulators: enough to cover the FMA latency (4 cycles) on two FMA pipes.
constexpr int kChains = 12;
constexpr long kInnerIterations = 1 << 14;

// kInnerIterations x kChains packed FMAs; returns a value that depends on all of them.
float fma_burst(float seed) {
    Packet acc[kChains];
    for (int j = 0; j < kChains; ++j) acc[j] = Packet{} + seed * float(j + 1);
    const Packet a = Packet{} + 0.999999f, b = Packet{} + 1e-7f;
    for (long i = 0; i < kInnerIterations; ++i)
        for (int j = 0; j < kChains; ++j) acc[j] = acc[j] * a + b;
    Packet sum = acc[0];
    for (int j = 1; j < kChains; ++j) sum += acc[j];
    float s = 0;
    for (int k = 0; k < kPacketFloats; ++k) s += sum[k];
    return s;
}

}  // namespace

double measure_fma_peak_flops(int threads, double seconds) {
    using Clock = std::chrono::steady_clock;
    const double flops_per_burst = 2.0 * kInnerIterations * kChains * kPacketFloats;
    double best = 0;
    volatile float sink = 0;
    // Three rounds; the best one is the peak (a round may share its cores with other work).
    for (int round = 0; round < 3; ++round) {
        long bursts = 0;
        const auto t0 = Clock::now();
#pragma omp parallel num_threads(threads) reduction(+ : bursts)
        {
            float local = 0;
            while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds / 3) {
                local += fma_burst(1e-3f * float(omp_get_thread_num() + 1));
                ++bursts;
            }
            sink = sink + local;
        }
        const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
        best = std::max(best, bursts * flops_per_burst / elapsed);
    }
    return best;
}

double fma_peak_flops() {
    static std::mutex mutex;
    static std::map<int, double> peak_by_threads;
    const int threads = std::max(1, omp_get_max_threads());
    const std::lock_guard<std::mutex> lock(mutex);
    auto [it, fresh] = peak_by_threads.try_emplace(threads, 0.0);
    if (fresh) it->second = measure_fma_peak_flops(threads, 0.05);
    return it->second;
}

}  // namespace tinyseek
