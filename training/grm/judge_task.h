// The judge's job in the shapes the stock trainers take, so the reward-model lab reuses them:
//
// JudgeTask (a Task): problems whose prompt is judge_prompt(item) and whose trace is a
//   judgment, so SftTrainer trains the judge unchanged: on the synthetic worked traces of
//   fresh train items (the cold start), or on a fixed pool of sampled judgments that were kept
//   (SPCT's rejective fine-tuning). Its verifier reads the scores inside <answer> and is
//   correct when the true best candidate alone scores highest.
// JudgeEnvironment (a RewardEnvironment): train items for GrpoTrainer with SPCT's rule reward
//   (+1 when the judgment is valid and singles out the true best candidate, else -1).
//
// A judge problem keeps the split of its underlying question (its key is the question's key
// and the held-out fraction is the base task's), so the train/held-out boundary is the task's.
// Problem fields: task "judge", prompt = judge_prompt, trace = the judgment, answer = the best
// candidate's label ("b", "none" for a decoy), operands = {number of candidates, index of the
// best (-1 for a decoy)}, target = best.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "training/grm/items.h"
#include "training/reward.h"
#include "training/task.h"
#include "training/trainer.h"

namespace tinyseek {

// One judge training example: the item and a judgment text for it (from <think> on).
struct JudgeExample {
    JudgeItem item;
    std::string judgment;
};

class JudgeTask : public Task {
  public:
    // Synthetic traces (judge_trace) for items drawn from the whole problem space of `base`
    // (arithmetic, Countdown or a mix of them; ConfigError otherwise); a `decoy_share` of the
    // draws are decoys (sample_decoy_item: no right candidate). ConfigError unless in [0, 1).
    JudgeTask(std::shared_ptr<const Task> base, const JudgeItemOptions& items,
              double decoy_share = 0.0);
    // A fixed pool: draws return one of `pool` (train-split items only, else Error), so only
    // Split::train can be sampled from it.
    JudgeTask(std::shared_ptr<const Task> base, const JudgeItemOptions& items,
              std::vector<JudgeExample> pool);

    std::string_view name() const override { return "judge"; }
    // `answer` is the score list ("a:10 b:7"): parsed when it holds one score 1..10 per
    // candidate, correct when the best candidate alone scores highest. Never throws.
    AnswerCheck check(const Problem& problem, std::string_view answer) const override;

    // The problem for an item and a judgment text.
    static Problem to_problem(const JudgeItem& item, const std::string& judgment);
    const Task& base() const { return *base_; }
    const JudgeItemOptions& item_options() const { return items_; }
    const std::vector<JudgeExample>& pool() const { return pool_; }

  protected:
    Problem draw(Rng& rng) const override;

  private:
    std::shared_ptr<const Task> base_;
    JudgeItemOptions items_;
    std::vector<JudgeExample> pool_;
    double decoy_share_ = 0.0;
};

class JudgeEnvironment : public RewardEnvironment {
  public:
    JudgeEnvironment(std::shared_ptr<const Task> base, const JudgeItemOptions& items);

    // A fresh train item; the Item's index is the 64-bit seed it was drawn with, so score()
    // rebuilds it without shared state.
    Item sample_train(Rng& rng) const override;
    // accuracy = 1 when the judgment singles out the best candidate; format = 1 when it is a
    // valid judgment; total = SPCT's rule reward (+1 / -1); malformed = invalid. Never throws.
    RewardBreakdown score(const Item& item, std::string_view completion) const override;

    JudgeItem item(const Item& item) const;

  private:
    std::shared_ptr<const Task> base_;
    JudgeItemOptions items_;
};

}  // namespace tinyseek
