// Test data for the GUI tests: step reports shaped like a real SFT -> GRPO run (loss falling,
// rewards and held-out accuracy rising with noise, KL growing, expert loads near balance),
// generated deterministically from the step number, and a helper that stores such a run
// through the real RunStore. Only tests use it; the product never shows synthesized data.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "training/run_store.h"
#include "training/step_report.h"

namespace tinyseek::testdata {

inline ExpertMatrix expertMatrix(std::uint64_t seed, float base, float spread) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    ExpertMatrix m({1, 2, 3, 4}, 8);
    for (int r = 0; r < m.rows(); ++r)
        for (int e = 0; e < m.experts; ++e) m.at(r, e) = base + spread * u(rng);
    return m;
}

// Step `step` of a run whose first `sftSteps` steps are SFT and the rest GRPO.
inline StepReport makeReport(std::int64_t runId, std::int64_t step, std::int64_t sftSteps = 20,
                             double rewardScale = 1.0) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(runId * 1000003 + step));
    std::normal_distribution<double> noise(0.0, 1.0);
    StepReport r;
    r.run_id = runId;
    r.step = step;
    r.wall_time = 0.25 * step + 0.01 * (step % 7);
    const bool sft = step < sftSteps;
    r.stage = sft ? Stage::sft : Stage::grpo;
    const double t = static_cast<double>(step);
    r.scalars[metric::kLoss] = 3.0 * std::exp(-t / 40.0) + 0.3 + 0.05 * noise(rng);
    r.scalars[metric::kGradNorm] = 1.5 * std::exp(-t / 60.0) + 0.2 + 0.05 * std::abs(noise(rng));
    r.scalars[metric::kLearningRate] = sft ? 2e-3 * std::min(1.0, (t + 1) / 10.0) : 1e-4;
    r.scalars[metric::kTokensPerSecond] = 5200.0 + 300.0 * noise(rng);
    r.scalars[metric::kMaxVio] = 0.6 * std::exp(-t / 30.0) + 0.05 + 0.02 * std::abs(noise(rng));
    if (!sft) {
        const double g = t - static_cast<double>(sftSteps);
        const double acc = std::clamp(
            rewardScale * (0.3 + 0.5 * (1.0 - std::exp(-g / 25.0))) + 0.06 * noise(rng), 0.0, 1.0);
        r.scalars[metric::kRewardAccuracy] = acc;
        r.scalars[metric::kRewardFormat] = std::clamp(0.8 + 0.03 * noise(rng), 0.0, 1.0);
        r.scalars[metric::kReward] = acc + 0.1 * r.scalars[metric::kRewardFormat];
        r.scalars[metric::kRewardStd] = 0.3 + 0.02 * noise(rng);
        r.scalars[metric::kKl] = 0.002 * g + 0.001 * std::abs(noise(rng));
        r.scalars[metric::kMeanLength] = 24.0 - 0.05 * g + 0.8 * noise(rng);
        r.scalars[metric::kEntropy] = 1.2 * std::exp(-g / 80.0) + 0.02 * noise(rng);
        r.scalars[metric::kClipRatio] = 0.02 + 0.005 * std::abs(noise(rng));
        r.scalars[metric::kFracRewardZeroStd] = 0.25 + 0.05 * noise(rng);
        r.kv_cache_bytes = 64 * 48 * 4 * (32 + 16) * 4;
    }
    if (step % 10 == 9) {
        r.scalars[metric::kEvalAccuracy] = std::clamp(0.2 + 0.005 * t * rewardScale, 0.0, 1.0);
        r.scalars[metric::kEvalSampledAccuracy] =
            std::clamp(0.15 + 0.004 * t * rewardScale, 0.0, 1.0);
    }
    r.expert_load = expertMatrix(static_cast<std::uint64_t>(step), 0.125f, 0.04f);
    r.router_bias = expertMatrix(static_cast<std::uint64_t>(step) + 77, 0.0f, 0.01f);
    r.gate_weight = expertMatrix(static_cast<std::uint64_t>(step) + 99, 0.5f, 0.1f);
    RolloutSample s;
    s.prompt = std::to_string(10 + step) + "+" + std::to_string(7 * step) + "=";
    s.completion = "<think>carry</think><answer>" + std::to_string(10 + 8 * step) + "</answer>";
    s.reward.accuracy = step % 3 == 0 ? 1.0 : 0.0;
    s.reward.format = 1.0;
    s.reward.total = s.reward.accuracy + 0.1;
    s.length = 18;
    r.rollouts.push_back(s);
    return r;
}

// Creates a run in `store` and appends `steps` steps; returns its id.
inline std::int64_t storeRun(RunStore& store, const std::string& name, std::int64_t steps,
                             RunStatus status = RunStatus::completed, double rewardScale = 1.0,
                             const std::string& task = "addition") {
    NewRun run;
    run.name = name;
    run.kind = "pipeline";
    run.config_json = "{\"task\":\"" + task + "\"}";
    const std::int64_t id = store.create_run(run);
    for (std::int64_t s = 0; s < steps; ++s)
        store.append_step(makeReport(id, s, steps / 3, rewardScale));
    if (status != RunStatus::running) store.finish(id, status);
    return id;
}

}  // namespace tinyseek::testdata
