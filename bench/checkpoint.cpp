// Cost of one periodic checkpoint of the tiny preset (docs/ARCHITECTURE.md "Checkpoints and
// resume"): save_training_checkpoint (config, weights, tokenizer and both AdamW moments, 27 MB,
// written to a temp folder, fsync'd and swapped into place) plus deleting the oldest kept
// one, as the RunLoop does with checkpoint_keep = 3. It writes into ./bench-checkpoints of the
// current folder, so run it on the disk the run databases live on:
//
//   ./bench_checkpoint --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Counter: MB_per_second (bytes of the two safetensors files per second).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "training/run_checkpoints.h"
#include "training/train_config.h"
#include "training/trainer.h"

namespace tinyseek {
namespace {

namespace fs = std::filesystem;

void BM_PeriodicCheckpoint(benchmark::State& state) {
    const TrainConfig config;  // the tiny preset
    TrainingState training(config.model, config.seed);
    const fs::path root = fs::absolute("bench-checkpoints");
    fs::remove_all(root);
    constexpr std::int64_t kKeep = 3;
    std::int64_t step = 0;
    double bytes = 0.0;
    for (auto _ : state) {
        training.step = ++step;
        const std::string dir = checkpoint_dir(root.string(), 1, step);
        save_training_checkpoint(dir, training, 1, Stage::sft, config);
        if (step > kKeep) fs::remove_all(checkpoint_dir(root.string(), 1, step - kKeep));
        bytes += static_cast<double>(fs::file_size(fs::path(dir) / "model.safetensors") +
                                     fs::file_size(fs::path(dir) / "optimizer.safetensors"));
    }
    state.counters["MB_per_second"] = benchmark::Counter(bytes / 1e6, benchmark::Counter::kIsRate);
    fs::remove_all(root);
}
BENCHMARK(BM_PeriodicCheckpoint)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tinyseek

BENCHMARK_MAIN();
