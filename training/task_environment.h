// The reasoning tasks as a GRPO environment: prompts from the task's TRAIN split only (the
// held-out split is never sampled, so evaluation stays honest) and the rule-based reward
// (accuracy + format, DeepSeek-R1 style) of training/reward.h.
#pragma once

#include <memory>
#include <string_view>

#include "training/reward.h"
#include "training/task.h"
#include "training/trainer.h"

namespace tinyseek {

class TaskEnvironment : public RewardEnvironment {
  public:
    // Throws ConfigError on invalid reward weights or a null task.
    TaskEnvironment(std::shared_ptr<const Task> task, const RewardConfig& reward = {});
    // make_task(name, options) (ConfigError on an unknown task or bad options).
    TaskEnvironment(std::string_view task_name, const TaskOptions& options,
                    const RewardConfig& reward = {});

    // One train-split problem. The item's index is the 64-bit seed the problem was drawn
    // with, so score() can rebuild the problem without any shared state (thread-safe, and
    // the same item always scores the same way).
    Item sample_train(Rng& rng) const override;
    // score_completion(task, problem(item), completion, reward); never throws on any text.
    RewardBreakdown score(const Item& item, std::string_view completion) const override;

    // The problem behind an item of sample_train.
    Problem problem(const Item& item) const;
    const Task& task() const { return *task_; }
    const RewardConfig& reward_config() const { return reward_; }

  private:
    std::shared_ptr<const Task> task_;
    RewardConfig reward_;
};

}  // namespace tinyseek
