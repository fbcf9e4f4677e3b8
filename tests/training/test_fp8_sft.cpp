// Training in FP8 (TrainConfig::precision = "fp8"): the SFT stage runs, learns like FP32 from
// the same seed and data order, yet is not FP32 in disguise (its losses differ step by step).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/errors.h"
#include "tests/training/trainer_fixtures.h"
#include "training/sft_trainer.h"
#include "training/task.h"

namespace tinyseek {
namespace {

std::vector<double> sft_losses(const TrainConfig& config, int steps) {
    TrainingState state(config.model, config.seed);
    const std::unique_ptr<Task> task = make_task(config.task, config.task_options);
    SftTrainer sft(config, *task);
    std::vector<double> loss;
    for (int i = 0; i < steps; ++i) {
        StepReport report;
        sft.step(state, report, nullptr);
        loss.push_back(report.scalars.at(metric::kLoss));
    }
    return loss;
}

double tail_mean(const std::vector<double>& v, int n) {
    double s = 0;
    for (int i = 0; i < n; ++i) s += v[v.size() - 1 - i];
    return s / n;
}

TEST(Fp8Sft, LearnsLikeFp32FromTheSameSeedButIsNotFp32) {
    const TrainConfig fp32 = testing::small_train_config();
    TrainConfig fp8 = fp32;
    fp8.precision = "fp8";
    fp8.fp8.tile = 16;  // the small model's matrices are 16..96 wide
    const int steps = 40;
    const std::vector<double> a = sft_losses(fp32, steps), b = sft_losses(fp8, steps);
    int differing = 0;
    for (int i = 0; i < steps; ++i) differing += a[i] != b[i];
    EXPECT_GE(differing, steps - 1);  // the first step's loss may round alike
    EXPECT_LT(tail_mean(b, 5), 0.5 * b.front());
    EXPECT_NEAR(tail_mean(b, 5) / tail_mean(a, 5), 1.0, 0.1)
        << "fp32 " << tail_mean(a, 5) << " fp8 " << tail_mean(b, 5);
}

TEST(Fp8Sft, ConfigCarriesThePrecisionAndRefusesOthers) {
    TrainConfig c;
    c.precision = "fp8";
    c.fp8.per_tensor = true;
    const TrainConfig back = TrainConfig::from_json(c.to_json());
    EXPECT_EQ(back.precision, "fp8");
    ASSERT_TRUE(back.fp8_recipe().has_value());
    EXPECT_TRUE(back.fp8_recipe()->per_tensor);
    EXPECT_FALSE(TrainConfig().fp8_recipe().has_value());
    c.precision = "fp16";
    EXPECT_THROW(c.validate(), ConfigError);
}

}  // namespace
}  // namespace tinyseek
