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
//
// BM_Speculative*: speculative decoding with the MTP draft against plain decoding (the
// control, speculative = 0): generated tokens per second at batch 1, 8 and 64, latent and
// expanded caches, 2 OpenMP threads, greedy.
//
// The speed-up depends on how often the MTP module's draft is accepted, so a random-init
// model (its drafts are rarely right) only shows the cost side. Point TINYSEEK_BENCH_MODEL at a
// trained checkpoint directory to measure the real thing: the prompts are then held-out
// addition problems ("<bos>57+68="), generation stops at <eos> or 48 tokens, and the
// counters report the acceptance rate and tokens per main-model forward as well.
//
//   TINYSEEK_BENCH_MODEL=DIR build/bench/bench_generate --benchmark_filter=Speculative
#include <benchmark/benchmark.h>

#include <omp.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "core/checkpoint.h"
#include "core/generator.h"
#include "training/task.h"

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

struct BenchModel {
    ModelConfig config;
    std::unique_ptr<ParamStore> params;
    bool trained = false;
};

const BenchModel& model() {
    static const BenchModel m = [] {
        BenchModel b;
        if (const char* dir = std::getenv("TINYSEEK_BENCH_MODEL")) {
            CheckpointLoadOptions o;
            o.optimizer = false;
            Checkpoint ck = load_checkpoint(dir, o);
            b.config = ck.config;
            b.params = std::make_unique<ParamStore>(std::move(ck.params));
            b.trained = true;
        } else {
            b.config = ModelConfig::preset("tiny");
            b.params = std::make_unique<ParamStore>(b.config);
            init_params(*b.params, 1);
        }
        return b;
    }();
    return m;
}

std::vector<std::vector<int>> prompts(int n, const BenchModel& m) {
    std::vector<std::vector<int>> out(n);
    Rng rng(7);
    const std::unique_ptr<Task> task = make_task("addition");
    const Tokenizer tokenizer;
    std::uniform_int_distribution<int> token(0, m.config.vocab_size - 1);
    for (auto& p : out) {
        if (m.trained) {
            p = {Tokenizer::bos_id};
            for (TokenId t : tokenizer.encode(task->sample(Split::held_out, rng).prompt))
                p.push_back(t);
        } else {
            p.resize(16);
            for (int& t : p) t = token(rng);
        }
    }
    return out;
}

void run_speculative(benchmark::State& state, CacheMode mode) {
    omp_set_num_threads(static_cast<int>(state.range(2)));
    const BenchModel& m = model();
    const std::vector<std::vector<int>> batch = prompts(static_cast<int>(state.range(0)), m);
    GenerationOptions opt;
    opt.max_new_tokens = 48;
    opt.sampling.temperature = 0.0f;
    opt.speculative = state.range(1) != 0;
    if (m.trained) opt.stop_tokens = {Tokenizer::eos_id};
    Generator gen(*m.params, mode);
    gen.generate(batch, opt);  // warm-up: sizes the cache and workspaces once
    int64_t generated = 0, forwards = 0, drafted = 0, accepted = 0;
    for (auto _ : state) {
        const GenerationResult r = gen.generate(batch, opt);
        generated += r.generated_tokens;
        const SpeculationStats s = speculation_stats(r.sequences);
        drafted += s.drafted;
        accepted += s.accepted;
        for (const SequenceOutput& out : r.sequences) forwards += out.main_forwards;
    }
    state.counters["gen_tok_per_s"] =
        benchmark::Counter(static_cast<double>(generated), benchmark::Counter::kIsRate);
    state.counters["tok_per_forward"] = forwards ? double(generated) / forwards : 0.0;
    state.counters["acceptance"] = drafted ? double(accepted) / drafted : 0.0;
}

void BM_SpeculativeLatent(benchmark::State& state) {
    run_speculative(state, CacheMode::latent);
}
void BM_SpeculativeExpanded(benchmark::State& state) {
    run_speculative(state, CacheMode::expanded);
}

// Args: sequences, speculative (0 = plain decoding, the control), OpenMP threads.
void batches(benchmark::internal::Benchmark* b) {
    for (int n : {1, 8, 64})
        for (int spec : {0, 1}) b->Args({n, spec, 2});
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

BENCHMARK(BM_SpeculativeLatent)->Apply(batches)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SpeculativeExpanded)->Apply(batches)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
