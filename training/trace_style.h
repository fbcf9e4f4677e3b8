// Completion styles (docs/ARCHITECTURE.md "Completion styles"): the same problem can be answered
// by working it out (the task's worked trace), by writing only the last k steps of that trace,
// by searching (Countdown: whole attempts with their values until one reaches the target), or
// directly with an empty think block. A cold start may mix the styles; GRPO, rewarded only
// for right answers, then decides which one the model keeps. This file holds the styled
// traces, the cold-start mixture, and how a model's own completion is classified and tallied.
//
//   worked   "57+68=" -> "<think>7+8+0=15 5+6+1=12</think><answer>125</answer>"
//   partial  (k = 1)   -> "<think>5+6+1=12</think><answer>125</answer>"
//   direct             -> "<think></think><answer>125</answer>"
//   search   "19 17 13 to 49:" -> "<think>(17-13)*19=76 17-13+19=23 13+17+19=49</think>
//                                  <answer>13+17+19</answer>"   (Countdown only)
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace tinyseek {

struct Problem;  // training/task.h, which holds a StyleMix in its TaskOptions
class Task;

enum class TraceStyle { worked, partial, search, direct };
const char* to_string(TraceStyle style);

// Shares of the styles in the cold start (relative weights: only their ratio matters) and the
// steps a partial trace keeps. The default, worked traces only, is every run before styles.
struct StyleMix {
    double worked = 1.0;
    double partial = 0.0;
    double search = 0.0;  // only for tasks with a search trace (Task::has_search_trace)
    double direct = 0.0;
    int partial_steps = 1;  // steps of the worked trace a partial trace keeps (the last ones)

    // True for the default: every cold-start trace is the worked one.
    bool only_worked() const { return partial == 0.0 && search == 0.0 && direct == 0.0; }
    double total() const { return worked + partial + search + direct; }
    // Throws ConfigError naming `source` unless every share is finite and >= 0, their sum is
    // > 0, and 1 <= partial_steps <= 64.
    void validate(const std::string& source = "styles") const;
    nlohmann::json to_json() const;
    // Reads known keys (worked, partial, search, direct, partial_steps), keeps defaults for absent
    // ones, rejects unknown keys and wrong types; then validates.
    static StyleMix from_json(const nlohmann::json& j, const std::string& source = "styles");
    bool operator==(const StyleMix&) const = default;
};

// The problem's worked trace rewritten in `style`: all of its think steps (space-separated),
// the last `partial_steps` of them (all when the trace has fewer), the task's search
// (Task::search_think), or none. The answer part is the worked trace's, unchanged.
std::string styled_trace(const Task& task, const Problem& problem, TraceStyle style,
                         int partial_steps);

// The style a problem gets in a cold start with mixture `mix`: a pure function of the
// problem's key (its stable hash), so a problem keeps its style across steps, resumes and
// machines, and the shares hold over many problems.
TraceStyle cold_start_style(const Problem& problem, const StyleMix& mix);

// `problem` with its trace in its cold-start style.
Problem in_cold_start_style(const Task& task, Problem problem, const StyleMix& mix);

// What a model's completion (the text after the prompt) does: it thinks when the text after
// its first <think>, up to the </think> after it (or, when that never comes, up to <answer>
// or the end: a completion cut off while thinking still thinks), holds a step; `steps` counts
// the steps there, separated by spaces, newlines or tabs. Without <think> it does not think.
struct CompletionStyle {
    bool thinks = false;
    int steps = 0;
};
CompletionStyle completion_style(std::string_view completion);

// Running sums of completions by style: the share that thinks, and length and accuracy of the
// thinking and the direct ones.
struct StyleTally {
    std::int64_t count = 0;
    std::int64_t thinking = 0;
    double length_think = 0.0, length_direct = 0.0;    // sums of completion lengths (tokens)
    double correct_think = 0.0, correct_direct = 0.0;  // sums of the 0/1 accuracy

    void add(std::string_view completion, double length, double accuracy);
    double think_share() const { return count ? double(thinking) / count : 0.0; }
    double mean_length() const { return count ? (length_think + length_direct) / count : 0.0; }
};

// Metric names of one family of style metrics (step_report.h "style metrics").
struct StyleMetricNames {
    const char* think_share;
    const char* mean_length;  // nullptr when the family records the overall length elsewhere
    const char* length_think;
    const char* length_direct;
    const char* accuracy_think;
    const char* accuracy_direct;
};

// Writes the tally's metrics into `scalars`. A style nobody used has no length or accuracy,
// so its two metrics are left out rather than written as 0.
void write_style_metrics(const StyleTally& tally, const StyleMetricNames& names,
                         std::map<std::string, double>& scalars);

}  // namespace tinyseek
