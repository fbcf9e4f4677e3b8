// Training throughput of the tiny preset (batch 32 x 128 tokens, forward + backward + AdamW)
// and the Eigen SGEMM peak it is compared with.
//
//   OMP_NUM_THREADS=2 ./bench_train_step --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true          (one command line)
//
// Counters: tokens_per_second (training tokens/s), GFLOPs (achieved GEMM GFLOP/s of the step,
// counting the matrix products of forward and backward), and GFLOPs of the SGEMM references.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include <omp.h>

#include "core/eigen.h"

#include "core/adamw.h"
#include "core/model.h"
#include "core/train_step.h"

namespace tinyseek {
namespace {

// FLOPs of the matrix products of one training step: every projection y = x W^T costs
// 2 n in out forward and twice that backward (dx = dy W, dW = dy^T x); causal attention
// computes the lower triangle of Q K^T and P V (T(T+1)/2 entries), again 3x with backward.
double step_gemm_flops(const ModelConfig& c, int B, int T) {
    const double n = double(B) * T, C = c.hidden_size, H = c.num_attention_heads;
    const double Dqk = c.qk_head_dim(), Dv = c.v_head_dim;
    auto proj = [&](double rows, double in, double out) { return 3 * 2 * rows * in * out; };
    double attn = 0;
    if (c.attention == AttentionKind::mla) {
        attn += c.q_lora_rank > 0 ? proj(n, C, c.q_lora_rank) + proj(n, c.q_lora_rank, H * Dqk)
                                  : proj(n, C, H * Dqk);
        attn += proj(n, C, c.kv_lora_rank + c.qk_rope_head_dim);
        attn += proj(n, c.kv_lora_rank, H * (c.qk_nope_head_dim + Dv));
    } else {
        const double Hkv = c.attention == AttentionKind::mha ? H : c.num_key_value_heads;
        attn += proj(n, C, H * Dqk) + proj(n, C, Hkv * Dqk) + proj(n, C, Hkv * Dv);
    }
    attn += proj(n, H * Dv, C);
    attn += 3 * 2 * B * H * (double(T) * (T + 1) / 2) * (Dqk + Dv);
    const double dense = proj(n, C, 2.0 * c.intermediate_size) + proj(n, c.intermediate_size, C);
    const double F = c.moe_intermediate_size, S = c.n_shared_experts * F;
    const double routed = n * c.num_experts_per_tok;
    const double moe = proj(n, C, c.n_routed_experts) + proj(routed, C, 2 * F) +
                       proj(routed, F, C) + (S > 0 ? proj(n, C, 2 * S) + proj(n, S, C) : 0);
    double total = 0;
    for (int l = 0; l < c.num_blocks(); ++l) total += attn + (c.is_moe_layer(l) ? moe : dense);
    total += proj(n, C, c.vocab_size);  // lm_head
    if (c.num_nextn_predict_layers > 0) total += proj(n, 2 * C, C) + proj(n, C, c.vocab_size);
    return total;
}

void BM_TrainStep(benchmark::State& state) {
    const ModelConfig c = ModelConfig::preset("tiny");
    const int B = static_cast<int>(state.range(0)), T = static_cast<int>(state.range(1));
    Model model(c);
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
    state.counters["GFLOPs"] =
        benchmark::Counter(iters * step_gemm_flops(c, B, T) * 1e-9, benchmark::Counter::kIsRate);
    state.counters["threads"] = omp_get_max_threads();
    state.counters["loss"] = loss;
}
BENCHMARK(BM_TrainStep)->Args({32, 128})->Unit(benchmark::kMillisecond)->UseRealTime();

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
}
BENCHMARK(BM_Forward)->Unit(benchmark::kMillisecond)->UseRealTime();

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
