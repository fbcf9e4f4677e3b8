// Reading 100,000 stored completions (every completion of 1,563 GRPO steps of 8 groups of 8,
// 30 tokens each with per-token values, as a default run stores them): what the Rollouts page
// reads when it opens a run, its unique-prompt list, one group with its token values, and the
// columns of the histograms over steps. The database is written once into ./bench-rollouts
// (outside the timing); run on the disk run databases live on:
//
//   ./bench_rollout_store --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Counter: rows (completions read per iteration where it is not obvious).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "training/run_store.h"

namespace tinyseek {
namespace {

namespace fs = std::filesystem;

constexpr int kSteps = 1563, kGroups = 8, kMembers = 8, kTokens = 30;

// The database, written on first use: run 1 with kSteps * 64 = 100,032 completions.
const std::string& database() {
    static const std::string path = [] {
        const fs::path dir = fs::absolute("bench-rollouts");
        fs::remove_all(dir);
        fs::create_directories(dir);
        const std::string p = (dir / "runs.db").string();
        RunStore store(p);
        const std::int64_t run = store.create_run({"bench", "grpo", "{}", {}});
        for (int s = 0; s < kSteps; ++s) {
            StepReport r;
            r.run_id = run;
            r.step = s;
            r.stage = Stage::grpo;
            for (int p = 0; p < kGroups; ++p)
                for (int g = 0; g < kMembers; ++g) {
                    RolloutSample x;
                    x.prompt = std::to_string(100 + s) + "+" + std::to_string(p) + "=";
                    x.completion = "<think>" + std::string(20, 'a' + g) + "</think><answer>" +
                                   std::to_string(s) + "</answer>";
                    x.reward = {double(g % 2), 1.0, double(g % 2) + 0.1, false};
                    x.advantage = g % 2 ? 1.0 : -1.0;
                    x.length = kTokens;
                    x.group = p;
                    x.member = g;
                    x.tokens.ids.assign(kTokens, 10 + g);
                    x.tokens.logprob.assign(kTokens, -0.25f);
                    x.tokens.entropy.assign(kTokens, 0.5f);
                    x.mean_logprob = -0.25;
                    x.mean_entropy = 0.5;
                    r.rollouts.push_back(std::move(x));
                }
            store.append_step(r);
        }
        return p;
    }();
    return path;
}

// What the completion table reads on opening a run: the run, the counts, the first and last
// step and the first page of 200 rows.
void BM_OpenCompletionTable(benchmark::State& state) {
    const std::string& path = database();
    for (auto _ : state) {
        RunStore store(path, {.read_only = true});
        store.run(1);
        RolloutQuery q;
        const std::int64_t total = store.count_rollouts(1, q);
        q.limit = 1;
        benchmark::DoNotOptimize(store.rollouts(1, q));
        q.offset = total - 1;
        benchmark::DoNotOptimize(store.rollouts(1, q));
        q = RolloutQuery{};
        q.limit = 200;
        benchmark::DoNotOptimize(store.count_rollouts(1, q));
        benchmark::DoNotOptimize(store.rollouts(1, q));
    }
}
BENCHMARK(BM_OpenCompletionTable)->Unit(benchmark::kMillisecond)->UseRealTime();

// The unique-prompt list: every group of the run (12,504), counted and read whole.
void BM_ListEveryGroup(benchmark::State& state) {
    const std::string& path = database();
    for (auto _ : state) {
        RunStore store(path, {.read_only = true});
        RolloutQuery q;
        q.limit = 1'000'000;
        benchmark::DoNotOptimize(store.count_rollout_groups(1, q));
        benchmark::DoNotOptimize(store.rollout_groups(1, q));
    }
}
BENCHMARK(BM_ListEveryGroup)->Unit(benchmark::kMillisecond)->UseRealTime();

// The grouped view of the last step's last group, with its token values.
void BM_ReadOneGroupWithTokens(benchmark::State& state) {
    const std::string& path = database();
    for (auto _ : state) {
        RunStore store(path, {.read_only = true});
        RolloutQuery q;
        q.min_step = q.max_step = kSteps - 1;
        q.group = kGroups - 1;
        q.with_tokens = true;
        benchmark::DoNotOptimize(store.rollouts(1, q));
    }
}
BENCHMARK(BM_ReadOneGroupWithTokens)->Unit(benchmark::kMillisecond)->UseRealTime();

// The histograms over steps: reward, advantage and length of all 100,032 completions.
void BM_ReadHistogramColumns(benchmark::State& state) {
    const std::string& path = database();
    for (auto _ : state) {
        RunStore store(path, {.read_only = true});
        benchmark::DoNotOptimize(store.rollout_columns(1, RolloutSource::train));
    }
}
BENCHMARK(BM_ReadHistogramColumns)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tinyseek

BENCHMARK_MAIN();
