// One step of the default SFT stage, as `tinyseek train --task addition` runs it: 32 worked
// addition traces of about 45 tokens each (the defaults of training/train_config.h), through
// SftTrainer::step (batch building, forward, losses, backward, clipping, AdamW, the balance
// update), on 2 OpenMP threads. Short ragged sequences, where the step's fixed costs (passes
// over the parameters, per-shard overheads) weigh more than in bench_train_step's 32 x 128.
// The steps run the stage's real batches in order from a random init; the first 50 (where
// most buffers grow) are not timed.
//
//   OMP_NUM_THREADS=2 build/bench/bench_sft_step --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true          (one command line)
//
// Counters: tokens_per_second and mfu as the run's metrics define them (non-padding tokens,
// training/step_report.h), step_ms.
#include <benchmark/benchmark.h>

#include <omp.h>

#include <memory>

#include "training/sft_trainer.h"
#include "training/task.h"
#include "training/train_config.h"
#include "training/trainer.h"

namespace tinyseek {
namespace {

void BM_SftStep(benchmark::State& bench) {
    omp_set_num_threads(2);
    const TrainConfig config;
    const std::unique_ptr<Task> task = make_task(config.task, config.task_options);
    TrainingState state(config.model, config.seed);
    SftTrainer trainer(config, *task);
    for (int i = 0; i < 50; ++i) {
        StepReport warm_up;
        trainer.step(state, warm_up, nullptr);
    }
    double tokens_per_second = 0, mfu = 0, step_seconds = 0;
    for (auto _ : bench) {
        StepReport r;
        trainer.step(state, r, nullptr);
        tokens_per_second += r.scalars.at(metric::kTokensPerSecond);
        mfu += r.scalars.at(metric::kMfu);
        step_seconds += r.scalars.at(metric::kStepSeconds);
    }
    const double n = static_cast<double>(bench.iterations());
    bench.counters["tokens_per_second"] = tokens_per_second / n;
    bench.counters["mfu"] = mfu / n;
    bench.counters["step_ms"] = 1e3 * step_seconds / n;
}
BENCHMARK(BM_SftStep)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(5.0);

}  // namespace
}  // namespace tinyseek

BENCHMARK_MAIN();
