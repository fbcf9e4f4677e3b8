// One GRPO step of the default recipe (8 addition prompts x 8 rollouts of up to 64 tokens,
// temperature 1, then the policy update) with plain rollouts (speculative = 0, the control)
// and with rollouts drafted by the MTP module (speculative = 1), on 2 OpenMP threads. The
// second argument picks the linear layers' GEMM: 0 = core/sgemm.h's choice, 1 = Eigen's (the
// control).
//
// A random-init model writes 64-token gibberish and its drafts are rarely kept, so only a
// trained checkpoint measures the real trade: point TINYSEEK_BENCH_MODEL at one, e.g. the
// default addition run's last checkpoint. TINYSEEK_BENCH_CONFIG names a training config (JSON)
// whose task and GRPO recipe replace the defaults, so that a build of an older commit, whose
// defaults were that config, and this one sample the same prompts: e.g.
// assets/experiments/addition-sft2000.json with that experiment's checkpoint.
//
//   TINYSEEK_BENCH_MODEL=DIR build/bench/bench_grpo_step --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true          (one command line)
//
// Counters: the step's parts generation_seconds (the rollouts), reference_seconds (the frozen
// reference's forward; 0 when beta = 0) and update_seconds (the policy update),
// padding_fraction (padding rows of the right-padded training batch),
// update_sequence_fraction (the completions the update differentiates), draft_acceptance and
// tokens_per_forward (speculative only), mean_length (tokens per rollout).
#include <benchmark/benchmark.h>

#include <omp.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/checkpoint.h"
#include "core/sgemm.h"
#include "training/grpo_trainer.h"
#include "training/task_environment.h"
#include "training/train_config.h"
#include "training/trainer.h"

namespace tinyseek {
namespace {

// The state a GRPO stage starts from: the checkpoint's weights, or a random init.
std::unique_ptr<TrainingState> start_state(const TrainConfig& config) {
    auto state = std::make_unique<TrainingState>(config.model, config.seed);
    if (const char* dir = std::getenv("TINYSEEK_BENCH_MODEL")) {
        CheckpointLoadOptions o;
        o.optimizer = false;
        Checkpoint ck = load_checkpoint(dir, o);
        state = std::make_unique<TrainingState>(ck.config, config.seed);
        state->params.data() = ck.params.data();
    }
    return state;
}

// The defaults, or the config TINYSEEK_BENCH_CONFIG names.
TrainConfig bench_config() {
    const char* path = std::getenv("TINYSEEK_BENCH_CONFIG");
    if (!path) return TrainConfig{};
    std::ifstream in(path);
    if (!in) throw std::runtime_error(std::string("cannot read ") + path);
    return TrainConfig::from_json(nlohmann::json::parse(in), path);
}

void BM_GrpoStep(benchmark::State& bench) {
    omp_set_num_threads(2);
    sgemm_force_eigen(bench.range(1) == 1);
    TrainConfig config = bench_config();
    config.grpo.speculative_rollouts = bench.range(0) != 0;
    const std::unique_ptr<TrainingState> state = start_state(config);
    config.model = state->config;
    auto env = std::make_shared<TaskEnvironment>(config.task, config.task_options, config.reward);
    GrpoTrainer trainer(config, env, state->params);
    StepReport warm_up;
    trainer.step(*state, warm_up, nullptr);  // sizes the workspaces once
    double generation = 0, reference = 0, update = 0, padding = 0, differentiated = 0;
    double acceptance = 0, per_forward = 0, length = 0;
    for (auto _ : bench) {
        StepReport r;
        trainer.step(*state, r, nullptr);
        generation += r.scalars.at("generation_seconds");
        const auto pass = r.scalars.find("reference_seconds");  // absent when beta = 0
        reference += pass == r.scalars.end() ? 0.0 : pass->second;
        update += r.scalars.at("update_seconds");
        padding += r.scalars.at("padding_fraction");
        differentiated += r.scalars.at("update_sequence_fraction");
        length += r.scalars.at(metric::kMeanLength);
        if (config.grpo.speculative_rollouts) {
            acceptance += r.scalars.at(metric::kDraftAcceptance);
            per_forward += r.scalars.at(metric::kTokensPerForward);
        }
    }
    const double n = static_cast<double>(bench.iterations());
    bench.counters["generation_seconds"] = generation / n;
    bench.counters["reference_seconds"] = reference / n;
    bench.counters["update_seconds"] = update / n;
    bench.counters["padding_fraction"] = padding / n;
    bench.counters["update_sequence_fraction"] = differentiated / n;
    bench.counters["mean_length"] = length / n;
    if (config.grpo.speculative_rollouts) {
        bench.counters["draft_acceptance"] = acceptance / n;
        bench.counters["tokens_per_forward"] = per_forward / n;
    }
    bench.SetLabel(std::string("gemm=") + sgemm_kernel_name());
    sgemm_force_eigen(false);
}

BENCHMARK(BM_GrpoStep)
    ->Args({0, 0})
    ->Args({0, 1})
    ->Args({1, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace tinyseek

BENCHMARK_MAIN();
