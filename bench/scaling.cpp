// How cost grows with model size and with context length: the trainable presets tiny (~2 M
// parameters), small (~12 M) and medium (~57 M), one family (MLA, MoE with a shared expert,
// MTP depth 1).
//
//   BM_TrainSize/P      training step of preset P (0 tiny, 1 small, 2 medium), 32 x 128 tokens
//   BM_TrainContext/T   training step of small at context T, 4,096 tokens a step (B = 4096 / T)
//   BM_GenerateSize/P     16 sequences, 16-token prompts, 112 new tokens, latent cache
//   BM_GenerateContext/T  small, 16 sequences generating T - 1 tokens after a 1-token prompt
//                         (a token at position t attends to t cached ones: the mean grows
//                         with T)
//   BM_PrefillContext/T   small, 16 prompts of T - 1 tokens and one new token (the prompt
//                         is read in chunks, each attending to everything before it)
//
//   OMP_NUM_THREADS=2 build/bench/bench_scaling --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true --benchmark_format=json > scaling.json
//   python3 scripts/scaling_table.py scaling.json        (the README's table and chart)
//
// Counters: tokens_per_second, GFLOPs and MFU (model FLOPs in PaLM's convention, attention
// included, core/model_flops.h; MFU against the FMA peak measured at start, peak_GFLOPs);
// params_M / active_M; state_MB (weights, gradients and both AdamW moments, 16 B a parameter);
// activations_MB (the step's activation arena as laid out, Model::activation_layout) and
// activation_KB_per_token; for generation gen_tok_per_s, prompt_tok_per_s and kv_cache_MB
// (the latent cache the batch holds at its longest).
#include <benchmark/benchmark.h>

#include <omp.h>

#include <random>
#include <string>
#include <vector>

#include "core/eigen.h"

#include "core/adamw.h"
#include "core/fma_peak.h"
#include "core/generator.h"
#include "core/model.h"
#include "core/model_flops.h"
#include "core/param_count.h"
#include "core/train_step.h"

namespace tinyseek {
namespace {

const char* const kPresets[] = {"tiny", "small", "medium"};
constexpr int kTokensPerStep = 4096;

std::vector<int> randomTokens(const ModelConfig& c, std::size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::vector<int> tokens(n);
    for (int& t : tokens) t = static_cast<int>(rng() % c.vocab_size);
    return tokens;
}

double activationBytes(const Model& model, int B, int T) {
    const Model::ActivationLayout layout = model.activation_layout(B, T);
    double shard = 0.0, outputs = 0.0;
    for (const ActivationSlot& s : layout.shard) shard += static_cast<double>(s.bytes);
    for (const ActivationSlot& s : layout.outputs) outputs += static_cast<double>(s.bytes);
    return layout.shards * shard + outputs;
}

void trainStep(benchmark::State& state, const ModelConfig& c, int B, int T) {
    Model model(c);
    ParamStore params(c), grads(c);
    init_params(params, 42);
    AdamW opt(c);
    LmTrainStep step;
    const std::vector<int> tokens = randomTokens(c, static_cast<std::size_t>(B) * T, 1);
    const LmBatch batch{.tokens = tokens.data(), .B = B, .T = T, .lengths = nullptr};
    // Warm-up: the first step allocates the buffers, the second still runs about 1.5x a later
    // one (measured: 1,296, 236, then ~158 ms for tiny); with few timed steps it would count.
    for (int i = 0; i < 2; ++i) step.run(model, params, grads, opt, batch, 1e-3f);
    for (auto _ : state)
        benchmark::DoNotOptimize(step.run(model, params, grads, opt, batch, 1e-3f).loss);
    const double iters = static_cast<double>(state.iterations());
    const double flops = model_flops_per_token(c, T).training * B * T;
    const ParamCounts counts = count_params(c);
    state.counters["tokens_per_second"] =
        benchmark::Counter(iters * B * T, benchmark::Counter::kIsRate);
    state.counters["GFLOPs"] =
        benchmark::Counter(iters * flops * 1e-9, benchmark::Counter::kIsRate);
    state.counters["MFU"] =
        benchmark::Counter(iters * flops / fma_peak_flops(), benchmark::Counter::kIsRate);
    state.counters["peak_GFLOPs"] = fma_peak_flops() * 1e-9;
    state.counters["params_M"] = static_cast<double>(counts.total) * 1e-6;
    state.counters["active_M"] = static_cast<double>(counts.active_per_token) * 1e-6;
    state.counters["state_MB"] = 16.0 * static_cast<double>(counts.total) / (1 << 20);
    const double activations = activationBytes(model, B, T);
    state.counters["activations_MB"] = activations / (1 << 20);
    state.counters["activation_KB_per_token"] = activations / (B * T) / 1024.0;
    state.counters["T"] = T;
    state.counters["threads"] = omp_get_max_threads();
}

void BM_TrainSize(benchmark::State& state) {
    trainStep(state, ModelConfig::preset(kPresets[state.range(0)]), 32, 128);
}
BENCHMARK(BM_TrainSize)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TrainContext(benchmark::State& state) {
    const int T = static_cast<int>(state.range(0));
    trainStep(state, ModelConfig::preset("small"), kTokensPerStep / T, T);
}
BENCHMARK(BM_TrainContext)
    ->RangeMultiplier(2)
    ->Range(32, 1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// 16 sequences of `promptLength` random tokens, `newTokens` more each (no stop token, so
// every iteration does the same work), latent cache.
void generate(benchmark::State& state, const ModelConfig& c, int promptLength, int newTokens) {
    constexpr int kSequences = 16;
    ParamStore params(c);
    init_params(params, 1);
    std::vector<std::vector<int>> prompts;
    for (int s = 0; s < kSequences; ++s)
        prompts.push_back(randomTokens(c, static_cast<std::size_t>(promptLength), 10 + s));
    GenerationOptions opt;
    opt.max_new_tokens = newTokens;
    opt.sampling.temperature = 1.0f;
    opt.seed = 3;
    Generator gen(params, CacheMode::latent);
    gen.generate(prompts, opt);  // warm-up: sizes the cache and workspaces once
    std::int64_t generated = 0;
    for (auto _ : state) {
        const GenerationResult r = gen.generate(prompts, opt);
        generated += r.generated_tokens;
        benchmark::DoNotOptimize(r.sequences.data());
    }
    const double iters = static_cast<double>(state.iterations());
    state.counters["gen_tok_per_s"] =
        benchmark::Counter(static_cast<double>(generated), benchmark::Counter::kIsRate);
    state.counters["prompt_tok_per_s"] =
        benchmark::Counter(iters * kSequences * promptLength, benchmark::Counter::kIsRate);
    const double perToken = static_cast<double>(KvCache::bytes_per_token(c, CacheMode::latent));
    const int context = promptLength + newTokens;
    state.counters["kv_bytes_per_token"] = perToken;
    state.counters["kv_cache_MB"] = perToken * kSequences * context / (1 << 20);
    state.counters["params_M"] = static_cast<double>(count_params(c).total) * 1e-6;
    state.counters["T"] = context;
}

void BM_GenerateSize(benchmark::State& state) {
    generate(state, ModelConfig::preset(kPresets[state.range(0)]), 16, 112);
}
BENCHMARK(BM_GenerateSize)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GenerateContext(benchmark::State& state) {
    generate(state, ModelConfig::preset("small"), 1, static_cast<int>(state.range(0)) - 1);
}
BENCHMARK(BM_GenerateContext)
    ->RangeMultiplier(2)
    ->Range(64, 1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_PrefillContext(benchmark::State& state) {
    generate(state, ModelConfig::preset("small"), static_cast<int>(state.range(0)) - 1, 1);
}
BENCHMARK(BM_PrefillContext)
    ->RangeMultiplier(2)
    ->Range(64, 1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace tinyseek

BENCHMARK_MAIN();
