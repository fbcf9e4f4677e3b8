// One inspection of a text (core/forward_inspection.h), as the Explore page runs it after
// every interaction: one training forward of B = 1 plus the MTP guess, and every internal
// copied out (logit lens at each block boundary, attention maps with the RoPE share, routing).
// Random weights of the preset (the cost does not depend on their values); the model is built
// once and reused, as the page does; 2 threads unless OMP_NUM_THREADS says otherwise:
//
//   ./bench_inspect_forward --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Argument: tokens of the text; the time column is milliseconds per inspection.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "core/forward_inspection.h"
#include "core/param_store.h"

namespace tinyseek {
namespace {

void BM_InspectForward(benchmark::State& state) {
    const ModelConfig c = ModelConfig::preset("tiny");
    ParamStore params(c);
    init_params(params, 1, 0.05f);
    std::mt19937 rng(2);
    std::vector<int> tokens(state.range(0));
    for (int& t : tokens) t = static_cast<int>(rng() % c.vocab_size);
    ForwardInspector inspector(c);
    inspector.inspect(params, tokens);  // buffers laid out once, as after the page's first text
    for (auto _ : state) benchmark::DoNotOptimize(inspector.inspect(params, tokens));
}
BENCHMARK(BM_InspectForward)
    ->Arg(16)
    ->Arg(64)
    ->Arg(256)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace tinyseek

BENCHMARK_MAIN();
