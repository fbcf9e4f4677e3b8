// Training throughput of the tiny preset (batch 32 x 128 tokens, forward + backward + AdamW)
// and the Eigen SGEMM peak it is compared with. Arguments: batch, tokens per sequence, the
// precision of the linear layers' GEMMs and, for FP32, their kernel. The precision: 0 = FP32 (the
// control), 1 = FP8 with DeepSeek-V3's 1x128 / 128x128 scales, 2 = FP8 with one scale per tensor, 3
// = FP8 with the simulated limited accumulator promoted every 128 (V3's recipe, bit-exact), 4 = the
// limited accumulator with one scale per tensor, never promoted (core/fp8_training.h). 3 and 4 take
// many seconds per step; time them alone with --benchmark_filter=TrainStep/32/128/3 (or 4). The
// kernel: 0 = core/sgemm.h's choice (its AVX-512 kernel where the machine has AVX-512), 1 = Eigen's
// GEMM, the control.
//
//   OMP_NUM_THREADS=2 ./bench_train_step --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true          (one command line)
//
// Counters: tokens_per_second (training tokens/s), GFLOPs (model FLOP/s of the step in PaLM's
// convention, core/model_flops.h), MFU (that as a share of the FMA peak measured at start,
// peak_GFLOPs, core/fma_peak.h), and GFLOPs of the SGEMM references.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <omp.h>

#include "core/eigen.h"

#include "core/adamw.h"
#include "core/fma_peak.h"
#include "core/grad_norm.h"
#include "core/model.h"
#include "core/model_flops.h"
#include "core/sgemm.h"
#include "core/train_step.h"

namespace tinyseek {
namespace {

void BM_TrainStep(benchmark::State& state) {
    sgemm_force_eigen(state.range(3) == 1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const int B = static_cast<int>(state.range(0)), T = static_cast<int>(state.range(1));
    Model model(c);
    if (state.range(2) > 0) {
        Fp8TrainingRecipe recipe;
        recipe.per_tensor = state.range(2) == 2 || state.range(2) == 4;
        recipe.limited_accumulator = state.range(2) >= 3;
        if (state.range(2) == 4) recipe.promote_every = 0;
        model.set_fp8(recipe);
    }
    ParamStore params(c), grads(c);
    init_params(params, 42);
    AdamW opt(c);
    LmTrainStep step;
    std::mt19937_64 rng(1);
    std::vector<int> tokens(static_cast<size_t>(B) * T);
    for (int& t : tokens) t = static_cast<int>(rng() % c.vocab_size);
    for (int i = 0; i < 2; ++i)  // warm-up: buffers are allocated on the first steps
        step.run(model, params, grads, opt,
                 LmBatch{.tokens = tokens.data(), .B = B, .T = T, .lengths = nullptr}, 1e-3f);
    double loss = 0;
    for (auto _ : state) {
        loss = step.run(model, params, grads, opt,
                        LmBatch{.tokens = tokens.data(), .B = B, .T = T, .lengths = nullptr}, 1e-3f)
                   .loss;
        benchmark::DoNotOptimize(loss);
    }
    const double iters = static_cast<double>(state.iterations());
    state.counters["tokens_per_second"] =
        benchmark::Counter(iters * B * T, benchmark::Counter::kIsRate);
    const double step_flops = model_flops_per_token(c, T).training * B * T;
    state.counters["GFLOPs"] =
        benchmark::Counter(iters * step_flops * 1e-9, benchmark::Counter::kIsRate);
    // MFU: model FLOPs per second as a share of the measured FMA peak (core/fma_peak.h).
    state.counters["MFU"] =
        benchmark::Counter(iters * step_flops / fma_peak_flops(), benchmark::Counter::kIsRate);
    state.counters["peak_GFLOPs"] = fma_peak_flops() * 1e-9;
    state.counters["threads"] = omp_get_max_threads();
    state.counters["loss"] = loss;
    state.SetLabel(std::string("gemm=") + sgemm_kernel_name());
    sgemm_force_eigen(false);
}
BENCHMARK(BM_TrainStep)
    ->Args({32, 128, 0, 0})
    ->Args({32, 128, 0, 1})
    ->Args({32, 128, 1, 0})
    ->Args({32, 128, 2, 0})
    ->Args({32, 128, 3, 0})
    ->Args({32, 128, 4, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Batches of sequences of different lengths, as SFT on judge traces and GRPO's rollouts give:
// 16 sequences of 100..230 tokens (uniform), padded to the longest; eight such batches in
// turn. Argument: the model's shard count (0 = its own choice, core/model.h). tokens_per_second
// counts the sequences' tokens, not the padding.
void BM_TrainStepRagged(benchmark::State& state) {
    const ModelConfig c = ModelConfig::preset("tiny");
    constexpr int kB = 16, kBatches = 8;
    Model model(c);
    model.set_num_shards(static_cast<int>(state.range(0)));
    ParamStore params(c), grads(c);
    init_params(params, 42);
    AdamW opt(c);
    LmTrainStep step;
    std::mt19937_64 rng(3);
    struct Batch {
        std::vector<int> tokens, lengths;
        int T = 0;
        int64_t valid = 0;
    };
    std::vector<Batch> batches(kBatches);
    for (Batch& b : batches) {
        for (int i = 0; i < kB; ++i) b.lengths.push_back(100 + static_cast<int>(rng() % 131));
        b.T = *std::max_element(b.lengths.begin(), b.lengths.end());
        for (int len : b.lengths) b.valid += len;
        b.tokens.resize(static_cast<size_t>(kB) * b.T);
        for (int& t : b.tokens) t = static_cast<int>(rng() % c.vocab_size);
    }
    auto run = [&](const Batch& b) {
        return step.run(
            model, params, grads, opt,
            LmBatch{.tokens = b.tokens.data(), .B = kB, .T = b.T, .lengths = b.lengths.data()},
            1e-3f);
    };
    for (const Batch& b : batches) run(b);  // warm-up: every shape's buffers
    int64_t i = 0, tokens = 0;
    for (auto _ : state) {
        const Batch& b = batches[i++ % kBatches];
        benchmark::DoNotOptimize(run(b).loss);
        tokens += b.valid;
    }
    state.counters["tokens_per_second"] =
        benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
    state.counters["threads"] = omp_get_max_threads();
}
BENCHMARK(BM_TrainStepRagged)->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Forward only (evaluation path, no MTP).
void BM_Forward(benchmark::State& state) {
    const ModelConfig c = ModelConfig::preset("tiny");
    const int B = 32, T = 128;
    Model model(c);
    ParamStore params(c);
    init_params(params, 42);
    std::vector<int> tokens(static_cast<size_t>(B) * T, 5);
    model.forward(params, tokens.data(), B, T, nullptr, false);
    for (auto _ : state) {
        auto out = model.forward(params, tokens.data(), B, T, nullptr, false);
        benchmark::DoNotOptimize(out.logits);
    }
    state.counters["tokens_per_second"] =
        benchmark::Counter(double(state.iterations()) * B * T, benchmark::Counter::kIsRate);
    state.counters["GFLOPs"] = benchmark::Counter(
        double(state.iterations()) * B * T * model_flops_per_token(c, T, false).forward * 1e-9,
        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Forward)->Unit(benchmark::kMillisecond)->UseRealTime();

// Gradient clipping over the tiny preset's gradients, 2 threads: argument 0 = the norm only
// (the bound above it), 1 = the norm and then every gradient scaled (the bound below it). The
// gradients are restored between iterations, untimed.
void BM_ClipGradNorm(benchmark::State& state) {
    omp_set_num_threads(2);
    const ModelConfig c = ModelConfig::preset("tiny");
    ParamStore grads(c);
    init_params(grads, 7);
    const AlignedVector<float> saved = grads.data();
    for (auto _ : state) {
        benchmark::DoNotOptimize(clip_grad_norm(grads, state.range(0) ? 1e-3f : 1e30f));
        state.PauseTiming();
        grads.data() = saved;
        state.ResumeTiming();
    }
    state.counters["floats"] = static_cast<double>(saved.size());
}
BENCHMARK(BM_ClipGradNorm)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Eigen SGEMM n^3 with Eigen's own OpenMP threading: the machine's practical GEMM peak.
void BM_EigenSgemm(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    Mat<float> a = Mat<float>::Random(n, n), b = Mat<float>::Random(n, n), c(n, n);
    for (auto _ : state) {
        c.noalias() = a * b;
        benchmark::DoNotOptimize(c.data());
    }
    state.counters["GFLOPs"] = benchmark::Counter(
        double(state.iterations()) * 2.0 * n * n * n * 1e-9, benchmark::Counter::kIsRate);
    state.counters["threads"] = Eigen::nbThreads();
}
BENCHMARK(BM_EigenSgemm)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();

// The model's most common shape: (N/threads, 128) x (128, 384), one single-threaded Eigen GEMM
// per OpenMP thread, as the model's shards run them.
void BM_ModelShapeSgemm(benchmark::State& state) {
    const int threads = omp_get_max_threads();
    const int rows = 4096 / threads, in = 128, out = 384;
    std::vector<Mat<float>> x(threads), w(threads), y(threads);
    for (int t = 0; t < threads; ++t) {
        x[t] = Mat<float>::Random(rows, in);
        w[t] = Mat<float>::Random(out, in);
        y[t] = Mat<float>(rows, out);
    }
    for (auto _ : state) {
#pragma omp parallel num_threads(threads)
        {
            const int t = omp_get_thread_num();
            y[t].noalias() = x[t] * w[t].transpose();
        }
        benchmark::ClobberMemory();
    }
    state.counters["GFLOPs"] = benchmark::Counter(
        double(state.iterations()) * 2.0 * 4096 * in * out * 1e-9, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ModelShapeSgemm)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace tinyseek

BENCHMARK_MAIN();
