// Generation throughput of the tiny preset: 64 sequences with 16
// prompt tokens each, 48 new tokens each, temperature 1, latent and expanded caches, on
// 2 OpenMP threads. The counter `gen_tok_per_s` counts generated tokens only (the prefill of
// the 1,024 prompt tokens is inside the timed region but not in the count).
//
// No stop tokens, so every iteration does the same work (64 x 48 = 3,072 tokens); with stop
// tokens a random-init model would stop sequences at random points.
//
//   build/bench/bench_generate --benchmark_repetitions=5
// On a machine shared with other jobs, OMP_WAIT_POLICY=passive avoids threads spinning at
// barriers while their partner is descheduled (see the note in core/decode_gemm.h).
#include <benchmark/benchmark.h>

#include <omp.h>

#include <random>

#include "core/generator.h"

using namespace tinyseek;

namespace {

void run(benchmark::State& state, CacheMode mode) {
    omp_set_num_threads(static_cast<int>(state.range(3)));
    const ModelConfig c = ModelConfig::preset("tiny");
    ParamStore params(c);
    init_params(params, 1);
    const int sequences = static_cast<int>(state.range(0));
    const int prompt_len = static_cast<int>(state.range(1));
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> token(0, c.vocab_size - 1);
    std::vector<std::vector<int>> prompts(sequences, std::vector<int>(prompt_len));
    for (auto& p : prompts)
        for (int& t : p) t = token(rng);
    GenerationOptions opt;
    opt.max_new_tokens = static_cast<int>(state.range(2));
    opt.sampling.temperature = 1.0f;
    opt.seed = 3;
    Generator gen(params, mode);
    gen.generate(prompts, opt);  // warm-up: sizes the cache and workspaces once
    int64_t generated = 0;
    for (auto _ : state) {
        const GenerationResult r = gen.generate(prompts, opt);
        generated += r.generated_tokens;
        benchmark::DoNotOptimize(r.sequences.data());
    }
    state.counters["gen_tok_per_s"] =
        benchmark::Counter(static_cast<double>(generated), benchmark::Counter::kIsRate);
    state.counters["kv_bytes_per_token"] = static_cast<double>(KvCache::bytes_per_token(c, mode));
}

void BM_GenerateLatent(benchmark::State& state) {
    run(state, CacheMode::latent);
}
void BM_GenerateExpanded(benchmark::State& state) {
    run(state, CacheMode::expanded);
}

}  // namespace

// Args: sequences, prompt tokens, new tokens, OpenMP threads (the 1-thread run shows scaling).
BENCHMARK(BM_GenerateLatent)
    ->Args({64, 16, 48, 2})
    ->Args({64, 16, 48, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_GenerateExpanded)
    ->Args({64, 16, 48, 2})
    ->Args({64, 16, 48, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
