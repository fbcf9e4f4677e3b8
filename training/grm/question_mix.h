// The questions judge items are made from: one task, or several tasks mixed by weight
// ("mix": addition and subtraction, multiplication and Countdown in one item stream,
// so the judge meets items hard enough that sampling more judgments pays off).
//
// A QuestionMix is a Task, so everything that draws judge items from a base task (the item
// generators, JudgeTask, JudgeEnvironment, the held-out set of the scaling experiment) takes
// it unchanged. Each draw picks a part by weight, then a question of that part; the question
// keeps its part's task name, prompt, trace and key. Splits: every part is built with the
// same TaskOptions, so the held-out fraction and the key hash are the ones each task alone
// would use; a held-out question of a part is held out in the mix too.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "training/task.h"

namespace tinyseek {

// Task name -> relative weight (> 0), e.g. {"addition": 1, "countdown": 2}.
using QuestionWeights = std::map<std::string, double>;

class QuestionMix : public Task {
  public:
    // Throws ConfigError for an empty mix, an unknown or unjudgeable task, a weight that is
    // not finite and > 0, or invalid options.
    QuestionMix(const QuestionWeights& weights, const TaskOptions& options);

    std::string_view name() const override { return "mix"; }
    // The check of the part that made the problem (by its task name); unparsed for others.
    AnswerCheck check(const Problem& problem, std::string_view answer) const override;

    // The part whose task is `task`, or null.
    const Task* part(std::string_view task) const;
    const QuestionWeights& weights() const { return weights_; }

  protected:
    Problem draw(Rng& rng) const override;

  private:
    QuestionWeights weights_;
    std::vector<std::unique_ptr<Task>> parts_;  // in the order of weights_
    std::vector<double> cumulative_;            // (parts) running sum of the weights
};

// Split::held_out with probability `held_out_fraction`, else Split::train (one draw from
// `rng`): a draw of either split in the proportion the key hash gives, for a Task whose draw()
// samples another task (Task::sample, its caller, keeps drawing until the split matches).
Split draw_split(double held_out_fraction, Rng& rng);

// The task that made `problem`: `base` itself, or the mix's part. Throws Error when a mix
// has no part of that name.
const Task& question_task(const Task& base, const Problem& problem);

// Throws ConfigError unless `task` (or every part of a mix) can be judged: addition,
// subtraction and multiplication (the judge recomputes the result column by column) and
// Countdown (the judge evaluates each expression and checks its numbers).
void check_judgeable(const Task& task);

// The judge's question source: make_task(task, options), or a QuestionMix of `weights` when
// task is "mix". Throws ConfigError as above.
std::unique_ptr<Task> make_question_source(const std::string& task, const QuestionWeights& weights,
                                           const TaskOptions& options);

nlohmann::json to_json(const QuestionWeights& weights);
// Throws ConfigError naming `source` for a non-object, a non-number or a weight <= 0.
QuestionWeights question_weights_from_json(const nlohmann::json& j, const std::string& source);

}  // namespace tinyseek
