// FP8 training against its FP32 twin, read from a run database (the Precision page's
// "Training in FP8" tab and `tinyseek fp8 loss-gap`; docs/ARCHITECTURE.md "FP8").
//
// Two stored runs are twins when their configs agree on everything that decides the math of
// training except the precision: the keys that do not (the run's name, its checkpoint folder
// and schedule, the thread count, which only reorders sums) are left out of the comparison.
// Beside the FP32 twin, an FP32 run of the same config with another seed, when there is one,
// gives the gap two FP32 runs show anyway: the noise an FP8 gap must stand out from.
//
// The gap is DeepSeek-V3's yardstick (loss within 0.25% of the higher-precision baseline),
// computed as scripts/fp8_study.py does: (mean loss_a - mean loss_b) / mean loss_b over the
// SFT steps both runs logged, for the stage's last 10% of steps (step > 0.9 S) and whole.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "training/run_store.h"

namespace tinyseek {

// "fp32" or "fp8" ("fp32" for configs written before precision existed); empty for a run
// imported from another program's logs (its config has "import"), whose precision is unknown.
std::string run_precision(const nlohmann::json& config);

// The config without the keys that do not change what training computes, nor its precision.
nlohmann::json training_identity(const nlohmann::json& config);

// The runs one comparison is made of; 0 where none was found.
struct PrecisionRuns {
    std::int64_t fp8 = 0;
    std::int64_t fp32 = 0;        // the FP8 run's twin: same config, same seed, FP32
    std::int64_t fp32_other = 0;  // same config in FP32, another seed (the lowest such id)
};

// The comparison `run_id` belongs to, whichever of its runs it is. Runs that failed count.
PrecisionRuns find_precision_runs(const std::vector<RunInfo>& runs, std::int64_t run_id);

struct LossGap {
    double last_tenth = std::numeric_limits<double>::quiet_NaN();
    double whole = std::numeric_limits<double>::quiet_NaN();
    nlohmann::json to_json() const;  // NaN as null
};

// (mean a - mean b) / mean b over the steps in [first, last] both series hold with finite
// values; NaN when there is none.
double relative_mean_gap(const MetricSeries& a, const MetricSeries& b, std::int64_t first,
                         std::int64_t last);
// The gap over (0.9 S, S] and over [1, S] for an SFT stage of S steps.
LossGap sft_loss_gap(const MetricSeries& a, const MetricSeries& b, std::int64_t sft_steps);
// The gap at each step s in [1, last] both logged, of the two losses' trailing means over the
// `window` steps up to s (single-step losses are too noisy to compare). Its value is a
// fraction (0.01 = 1%); wall_time is a's.
MetricSeries relative_gap_curve(const MetricSeries& a, const MetricSeries& b, std::int64_t last,
                                int window);

// The value in force at `step`: the newest at or before it; NaN when there is none or the
// series ends before `step` (a run that never got there).
double value_at_step(const MetricSeries& series, std::int64_t step);

struct PrecisionArm {
    std::int64_t run_id = 0;
    std::string name;
    std::int64_t seed = 0;
    MetricSeries loss;      // SFT steps only
    MetricSeries accuracy;  // held-out greedy accuracy, every evaluation
};

struct PrecisionComparison {
    std::int64_t sft_steps = 0;          // 0: the pipeline has no SFT stage to compare
    PrecisionArm fp8, fp32, fp32_other;  // run_id 0 where missing
    LossGap fp8_gap;                     // fp8 against fp32
    LossGap seed_gap;                    // fp32_other against fp32
    bool complete() const { return fp8.run_id != 0 && fp32.run_id != 0 && sft_steps > 0; }
    nlohmann::json to_json() const;
};

// Reads the comparison `run_id` belongs to. Throws StoreError(not_found) for an unknown run.
PrecisionComparison compare_precision(const RunStore& store, std::int64_t run_id);

}  // namespace tinyseek
