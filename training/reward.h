// Rule-based rewards, reported separately as in DeepSeek-R1 and TRL: an accuracy reward (the
// answer verifies) and a format reward (the tags are well formed). Scoring never throws on
// any model output; output without a usable answer scores 0 and is flagged `malformed`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "training/task.h"

namespace tinyseek {

struct RewardConfig {
    double accuracy_weight = 1.0;  // weight of the 0/1 accuracy reward in the total
    double format_weight = 0.1;    // weight of the 0/1 format reward: a small bonus

    // Throws ConfigError unless both weights are finite and >= 0.
    void validate(const std::string& source = "reward config") const;
    nlohmann::json to_json() const;
    static RewardConfig from_json(const nlohmann::json& j,
                                  const std::string& source = "reward config");
};

// The parts of one completion's reward. `accuracy` and `format` are the unweighted 0/1
// rewards (logged as rewards/accuracy and rewards/format); `total` is the weighted sum
// (logged as reward): total = accuracy_weight * accuracy + format_weight * format.
struct RewardBreakdown {
    double accuracy = 0.0;
    double format = 0.0;
    double total = 0.0;
    bool malformed = false;  // no <answer>…</answer>, or its text is not an answer of the task

    bool operator==(const RewardBreakdown&) const = default;
};

// Structure of a completion, independent of the task.
struct ParsedCompletion {
    bool has_answer = false;   // at least one complete <answer>…</answer> pair
    std::string_view answer;   // text inside the LAST such pair (as TinyZero extracts it)
    bool well_formed = false;  // exactly "<think>X</think><answer>Y</answer>": nothing before
                               // or after, no tag inside X or Y
};

// Views into `completion`; never throws.
ParsedCompletion parse_completion(std::string_view completion);

// Scores the text the model wrote after the prompt (starting at <think>, without <eos>).
// accuracy = 1 iff the extracted answer verifies; format = 1 iff the completion is well
// formed AND its answer parses (so format is 0 when there is no <answer>); malformed means
// no answer could be read, and then every part is 0. Never throws.
RewardBreakdown score_completion(const Task& task, const Problem& problem,
                                 std::string_view completion, const RewardConfig& config = {});

// Running sums over many completions: the batch means reported per step and the number of
// malformed outputs (counted, never thrown).
struct RewardTally {
    std::int64_t count = 0;
    std::int64_t malformed = 0;
    double sum_accuracy = 0.0;
    double sum_format = 0.0;
    double sum_total = 0.0;

    void add(const RewardBreakdown& r);
    double mean_accuracy() const { return count ? sum_accuracy / count : 0.0; }
    double mean_format() const { return count ? sum_format / count : 0.0; }
    double mean_total() const { return count ? sum_total / count : 0.0; }
    double malformed_fraction() const { return count ? double(malformed) / count : 0.0; }
};

}  // namespace tinyseek
