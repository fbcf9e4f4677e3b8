// StepReport value types: ExpertMatrix layout checks, stage names, sinks.
#include <gtest/gtest.h>

#include <vector>

#include "core/errors.h"
#include "training/step_report.h"

namespace tinyseek {
namespace {

TEST(StepReport, ExpertMatrixIsRowMajorOverItsLayers) {
    ExpertMatrix m({1, 2, 4}, 8, 0.5f);
    EXPECT_EQ(m.rows(), 3);
    EXPECT_EQ(m.values.size(), 24u);
    m.at(2, 7) = 3.0f;
    EXPECT_EQ(m.values[2 * 8 + 7], 3.0f);
    EXPECT_EQ(m.row_of(4), 2);
    EXPECT_EQ(m.row_of(0), -1);  // layer 0 is dense: no row
    EXPECT_NO_THROW(m.check_shape("expert_load"));
    EXPECT_TRUE(ExpertMatrix().empty());

    m.values.pop_back();
    try {
        m.check_shape("expert_load");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("has 23 values, expected 3 layers x 8 experts"),
                  std::string::npos)
            << e.what();
    }
    ExpertMatrix twice({1, 1}, 2);
    EXPECT_THROW(twice.check_shape("router_bias"), Error);
}

TEST(StepReport, StageNames) {
    EXPECT_STREQ(to_string(Stage::sft), "sft");
    EXPECT_STREQ(to_string(Stage::grpo), "grpo");
    EXPECT_EQ(parse_stage("grpo"), Stage::grpo);
    EXPECT_THROW(parse_stage("rl"), Error);
}

// A sink that records what it is given, as the GUI adapter would.
class RecordingSink : public StepSink {
  public:
    void on_step(const StepReport& r) override { steps.push_back(r.step); }
    std::vector<std::int64_t> steps;
};

TEST(StepReport, SinksReceiveReportsThroughTheInterface) {
    RecordingSink a, b;
    std::vector<StepSink*> sinks = {&a, &b};
    for (std::int64_t s = 1; s <= 3; ++s) {
        StepReport r;
        r.step = s;
        r.scalars[metric::kReward] = 0.5;
        for (StepSink* sink : sinks) sink->on_step(r);
    }
    EXPECT_EQ(a.steps, (std::vector<std::int64_t>{1, 2, 3}));
    EXPECT_EQ(b.steps, a.steps);
    EXPECT_STREQ(metric::kFracRewardZeroStd, "frac_reward_zero_std");
    EXPECT_STREQ(metric::kMaxVio, "moe/max_vio");
}

}  // namespace
}  // namespace tinyseek
