// FP8 against its FP32 twin: which stored runs pair up, and the loss gaps, checked against
// values computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tests/scratch_dir.h"
#include "training/precision_comparison.h"
#include "training/run_store.h"
#include "training/step_report.h"

namespace tinyseek {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

MetricSeries series(const std::vector<std::pair<std::int64_t, double>>& points) {
    MetricSeries out;
    for (const auto& [step, value] : points) out.push_back({step, 0.5 * double(step), value});
    return out;
}

std::string config(const std::string& precision, int seed, double lr, int threads,
                   const std::string& name = "") {
    nlohmann::json c = {{"seed", seed},
                        {"threads", threads},
                        {"name", name},
                        {"pipeline", {"sft"}},
                        {"sft", {{"steps", 20}, {"lr", lr}}}};
    if (!precision.empty()) c["precision"] = precision;
    if (precision == "fp8") c["fp8"] = {{"tile", 128}};
    return c.dump();
}

RunInfo info(std::int64_t id, const std::string& config_json) {
    RunInfo r;
    r.id = id;
    r.config_json = config_json;
    return r;
}

TEST(PrecisionComparison, MeanGapUsesTheFiniteStepsBothRunsLogged) {
    const MetricSeries a = series({{1, 2.0}, {2, 4.0}, {3, kNaN}, {5, 9.0}});
    const MetricSeries b = series({{1, 1.0}, {2, 3.0}, {3, 7.0}, {4, 5.0}});
    // Steps 1 and 2 only: (3 - 2) / 2.
    EXPECT_DOUBLE_EQ(relative_mean_gap(a, b, 1, 10), 0.5);
    // Step 2 alone: (4 - 3) / 3.
    EXPECT_DOUBLE_EQ(relative_mean_gap(a, b, 2, 4), 1.0 / 3.0);
    EXPECT_TRUE(std::isnan(relative_mean_gap(a, b, 6, 9)));
}

TEST(PrecisionComparison, SftGapTakesTheStagesLastTenthAsTheStudyDoes) {
    // 20 steps: the last tenth is steps 19 and 20 (int(0.9 * 20) + 1 = 19).
    std::vector<std::pair<std::int64_t, double>> pa, pb;
    for (int s = 1; s <= 20; ++s) {
        pa.push_back({s, s >= 19 ? 1.1 : 2.0});
        pb.push_back({s, 1.0});
    }
    const LossGap gap = sft_loss_gap(series(pa), series(pb), 20);
    EXPECT_NEAR(gap.last_tenth, 0.1, 1e-12);
    EXPECT_NEAR(gap.whole, (18 * 2.0 + 2 * 1.1) / 20.0 - 1.0, 1e-12);
}

TEST(PrecisionComparison, GapCurveComparesTrailingMeans) {
    const MetricSeries a = series({{1, 3.0}, {2, 5.0}, {3, 1.0}});
    const MetricSeries b = series({{1, 2.0}, {2, 2.0}, {3, 2.0}});
    const MetricSeries gap = relative_gap_curve(a, b, 3, 2);
    ASSERT_EQ(gap.size(), 3u);
    EXPECT_DOUBLE_EQ(gap[0].value, 0.5);                // 3 / 2 - 1
    EXPECT_DOUBLE_EQ(gap[1].value, (8.0 - 4.0) / 4.0);  // (3 + 5) / (2 + 2) - 1
    EXPECT_DOUBLE_EQ(gap[2].value, (6.0 - 4.0) / 4.0);  // (5 + 1) / (2 + 2) - 1
    EXPECT_EQ(gap[2].step, 3);
}

TEST(PrecisionComparison, TwinsAgreeOnEverythingButPrecisionNameAndThreads) {
    const std::vector<RunInfo> runs = {
        info(1, config("", 1, 4e-3, 2, "fp32 run")),    // written before precision existed
        info(2, config("fp8", 1, 4e-3, 1, "fp8 run")),  // the FP8 twin of 1
        info(3, config("fp32", 2, 4e-3, 2)),            // another seed
        info(4, config("fp32", 1, 1e-3, 2)),            // another learning rate: no twin
        info(5, config("fp8", 1, 4e-3, 2)),             // a second FP8 run: 2 comes first
        info(6, "not json")};
    const PrecisionRuns from_fp8 = find_precision_runs(runs, 2);
    EXPECT_EQ(from_fp8.fp8, 2);
    EXPECT_EQ(from_fp8.fp32, 1);
    EXPECT_EQ(from_fp8.fp32_other, 3);
    const PrecisionRuns from_fp32 = find_precision_runs(runs, 1);
    EXPECT_EQ(from_fp32.fp8, 2);
    EXPECT_EQ(from_fp32.fp32, 1);
    const PrecisionRuns alone = find_precision_runs(runs, 4);
    EXPECT_EQ(alone.fp8, 0);
    EXPECT_EQ(alone.fp32, 4);
    EXPECT_EQ(alone.fp32_other, 0);
    EXPECT_EQ(find_precision_runs(runs, 6).fp32, 0);
    EXPECT_EQ(find_precision_runs(runs, 99).fp8, 0);
}

void store_losses(RunStore& store, std::int64_t run, double loss, double accuracy) {
    for (int s = 1; s <= 25; ++s) {  // 20 SFT steps, then 5 more that must not count
        StepReport r;
        r.run_id = run;
        r.step = s;
        r.wall_time = s;
        r.stage = s <= 20 ? Stage::sft : Stage::grpo;
        r.scalars[metric::kLoss] = s <= 20 ? loss : 100.0;
        if (s % 10 == 0) r.scalars[metric::kEvalAccuracy] = accuracy + 0.01 * s;
        store.append_step(r);
    }
}

TEST(PrecisionComparison, ReadsBothArmsAndTheSeedNoiseFromAStore) {
    RunStore store(testing::fresh_db("precision_comparison", "store"));
    const auto fp32 = store.create_run({"fp32", "sft", config("fp32", 1, 4e-3, 2)});
    const auto fp8 = store.create_run({"fp8", "sft", config("fp8", 1, 4e-3, 2)});
    const auto other = store.create_run({"seed 2", "sft", config("fp32", 2, 4e-3, 2)});
    store_losses(store, fp32, 2.0, 0.5);
    store_losses(store, fp8, 2.1, 0.4);
    store_losses(store, other, 1.9, 0.6);

    const PrecisionComparison c = compare_precision(store, fp8);
    ASSERT_TRUE(c.complete());
    EXPECT_EQ(c.sft_steps, 20);
    EXPECT_EQ(c.fp32.run_id, fp32);
    EXPECT_EQ(c.fp32_other.seed, 2);
    EXPECT_EQ(c.fp8.loss.size(), 20u);
    EXPECT_NEAR(c.fp8_gap.last_tenth, 0.05, 1e-12);
    EXPECT_NEAR(c.seed_gap.whole, -0.05, 1e-12);
    const nlohmann::json j = c.to_json();
    EXPECT_NEAR(j["fp8"]["accuracy_end"].get<double>(), 0.4 + 0.2, 1e-12);
    EXPECT_NEAR(j["fp32"]["accuracy_at_sft_end"].get<double>(), 0.5 + 0.2, 1e-12);
    EXPECT_TRUE(j["fp8"]["accuracy_at_1000"].is_null());  // the run ended at step 25
    EXPECT_TRUE(std::isnan(value_at_step(c.fp8.accuracy, 21)));
    EXPECT_NEAR(value_at_step(c.fp8.accuracy, 19), 0.4 + 0.1, 1e-12);
}

}  // namespace
}  // namespace tinyseek
