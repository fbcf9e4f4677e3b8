// Verifiable tasks: seeded problem generators with exact verifiers and disjoint train /
// held-out splits. A task writes the prompt in a compact R1-Zero style and, for SFT, a worked
// trace; the model must answer `<think>…</think><answer>…</answer>`.
//
// Text conventions (shared with core/tokenizer):
// - The four tags <think> </think> <answer> </answer> are single special tokens of the
//   tokenizer; here they appear as plain substrings of std::string.
// - Every other character a task ever writes (prompts, traces, answers) is in kTaskAlphabet:
//       0-9  +  -  *  /  =  (  )  space  :  t  o
//   i.e. 21 characters. 't' and 'o' spell the Countdown prompt "3 7 25 to 46:". The tokenizer
//   must cover this set (vocab <= 64 including <pad> <bos> <eos> and the 4 tags).
// - The prompt excludes <bos>; the completion the model writes starts at <think>.
//   Example (addition): prompt "57+68=", trace
//   "<think>7+8+0=15 5+6+1=12</think><answer>125</answer>". Every prompt + trace of the
//   allowed option ranges stays under 200 characters (max_position_embeddings is 256).
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "training/trace_style.h"

namespace tinyseek {

inline constexpr std::string_view kThinkOpen = "<think>";
inline constexpr std::string_view kThinkClose = "</think>";
inline constexpr std::string_view kAnswerOpen = "<answer>";
inline constexpr std::string_view kAnswerClose = "</answer>";
inline constexpr std::string_view kTaskAlphabet = "0123456789+-*/=() :to";

// The generator's engine. std::mt19937_64's output sequence is fixed by the C++ standard;
// the distributions below (uniform_int) are our own, because std::uniform_int_distribution
// differs between standard libraries and we want the same problems everywhere for a seed.
using Rng = std::mt19937_64;

// Uniform integer in [lo, hi] (inclusive) by rejection sampling; requires lo <= hi.
std::int64_t uniform_int(Rng& rng, std::int64_t lo, std::int64_t hi);

enum class Split { train, held_out };
const char* to_string(Split split);
// "train" or "held_out" (to_string's text); ConfigError naming `source` otherwise.
Split parse_split(std::string_view text, const std::string& source);
// What an evaluation set of `split` is called in output: "held-out" or "validation
// (train-split)".
const char* evaluation_set_name(Split split);

// Which distribution a draw follows: training's (with the options' training knobs, such as
// uniform_lengths) or the task's own, which every evaluation set is drawn from, so that a
// task's held-out set stays the same whatever the training draws.
enum class Draw { training, evaluation };

// FNV-1a 64 of the bytes followed by the splitmix64 finaliser: a stable hash (unlike
// std::hash) so a problem's split never changes between builds or machines.
std::uint64_t stable_hash(std::string_view text);

struct Problem {
    std::string task;                    // registry name, e.g. "addition"
    std::string prompt;                  // model input without <bos>, e.g. "57+68="
    std::string answer;                  // canonical ground truth inside <answer>, e.g. "125"
    std::string trace;                   // SFT target "<think>…</think><answer>…</answer>"
    std::vector<std::int64_t> operands;  // arithmetic: {a, b}; countdown: the numbers
    std::int64_t target = 0;             // arithmetic: the exact result; countdown: the target
    std::string key;                     // canonical identity; its hash decides the split
    Split split = Split::train;
};

// Result of checking the text inside <answer>…</answer> against a problem.
struct AnswerCheck {
    bool parsed = false;   // the text is a well-formed answer of this task's grammar
    bool correct = false;  // parsed and verified exactly
};

// Options of all tasks in one plain struct (each task reads the fields it needs). Ranges are
// checked by validate(); nothing is clamped silently.
struct TaskOptions {
    int digits = 3;  // addition, subtraction: operands uniform in [0, 10^digits), 1..12
    // addition, subtraction: the share of training draws (0..1; JSON true = 1, false = 0) that
    // draw each operand's length uniformly in 1..digits, then its value among the numbers of
    // that length, so short operands come as often as long ones (a uniform value gives two
    // 1-digit operands once in 10^(2 digits - 2) draws); the others draw uniform values.
    // Evaluation sets keep uniform values (Draw::evaluation): the held-out set does not change.
    double uniform_lengths = 0.0;
    // addition: the worked trace first restates both operands zero-padded to the number of
    // columns, "7+651=" -> "<think>007+651 7+1+0=8 0+5+0=5 0+6+0=6</think>...", so every
    // column reads its digits where a problem of equal lengths has them. Other tasks, like
    // the options of tasks they do not name, ignore it.
    bool aligned_trace = false;
    // addition: every column of the worked trace is written in one width, its sum always two
    // digits ("7+1+0=08"), so in traces of one column count each column, and the answer after
    // them, starts at the same place and reads its digits at the same distances: position
    // alone finds them. Other tasks ignore it.
    bool two_digit_sums = false;
    int a_digits = 2;      // multiplication: first operand has exactly a_digits digits, 1..4
    int b_digits = 2;      // multiplication: second operand has exactly b_digits digits, 1..4
    int numbers = 3;       // countdown: how many numbers are given, 3..4
    int max_number = 50;   // countdown: numbers uniform in [1, max_number], <= 999
    int max_target = 100;  // countdown: targets in [1, max_target], <= 9999
    bool countdown_use_all = false;  // countdown: true = every number exactly once (TinyZero's
                                     // rule); false = each number at most once (the TV game)
    double held_out_fraction = 0.1;  // share of the problem space reserved for evaluation
    StyleMix styles{};               // cold-start mixture of trace styles (training/trace_style.h)

    // Throws ConfigError naming `source`, the field, the value and the allowed range.
    void validate(const std::string& source = "task options") const;
    nlohmann::json to_json() const;
    // Reads known keys, keeps defaults for absent ones, rejects unknown keys and wrong types.
    static TaskOptions from_json(const nlohmann::json& j,
                                 const std::string& source = "task options");
};

class Task {
  public:
    explicit Task(TaskOptions options) : options_(options) {}
    virtual ~Task() = default;

    virtual std::string_view name() const = 0;
    const TaskOptions& options() const { return options_; }

    // One problem of `split`, a pure function of the engine state: same seed, same problems.
    // Draws from the whole problem space and keeps the first problem whose key hashes into
    // `split`, so a held-out problem can never be drawn for training.
    Problem sample(Split split, Rng& rng, Draw how = Draw::training) const;

    // Which split a problem key belongs to: held-out iff hash(key) lands in the first
    // held_out_fraction of the 64-bit range.
    Split split_of(std::string_view key) const;

    // Checks the text between <answer> and </answer>. Never throws on any input.
    virtual AnswerCheck check(const Problem& problem, std::string_view answer) const = 0;

    // Whether the task writes search traces (the `search` completion style), and the think
    // steps of one for `problem`: a pure function of the problem. Empty for tasks without.
    virtual bool has_search_trace() const { return false; }
    virtual std::string search_think(const Problem&) const { return {}; }

    // Difficulty buckets (accuracy by difficulty, training/difficulty.h): the labels of the
    // buckets `problem` lies in, one per family the task defines, e.g. addition's
    // {"digits 3+2", "carries 1"}. Empty for tasks without buckets.
    virtual std::vector<std::string> difficulty_buckets(const Problem&) const { return {}; }
    // The buckets draw_in_bucket() can fill, easiest first: those a uniform draw rarely hits
    // (short operands), which an evaluation tops up.
    virtual std::vector<std::string> drawable_buckets() const { return {}; }
    // A problem of either split from bucket `label` (one of drawable_buckets()), a pure
    // function of the engine state; `split` filled.
    virtual Problem draw_in_bucket(std::string_view label, Rng& rng) const;

  protected:
    // Any problem of the space (either split), with `key` and everything but `split` filled.
    virtual Problem draw(Rng& rng) const = 0;
    // The same from the task's own distribution (Draw::evaluation); draw() for tasks whose
    // options change nothing about the distribution.
    virtual Problem draw_for_evaluation(Rng& rng) const { return draw(rng); }

  private:
    TaskOptions options_;
};

// "addition" | "subtraction" | "multiplication" | "countdown". Throws ConfigError for an
// unknown name (listing the known ones) or invalid options.
std::unique_ptr<Task> make_task(std::string_view name, const TaskOptions& options = {});
std::vector<std::string> task_names();
// Throws ConfigError naming `source` when `options.styles` asks for search traces of a task
// that has none (only Countdown writes them); make_task and TrainConfig::validate call it.
void check_styles_for_task(std::string_view name, const TaskOptions& options,
                           const std::string& source);

// `n` problems of `split` with distinct keys, drawn with `seed`, in draw order: e.g. a
// cold-start pool of N unique worked traces from the train split. Throws Error when the split
// is too small to hold `n` distinct problems.
std::vector<Problem> distinct_problems(const Task& task, Split split, std::size_t n,
                                       std::uint64_t seed);
// The fixed evaluation set: n distinct held-out problems drawn with Draw::evaluation.
std::vector<Problem> held_out_set(const Task& task, std::size_t n, std::uint64_t seed);
// A validation set: n distinct train-split problems drawn as the held-out set is, for
// choosing a recipe without looking at held-out problems.
std::vector<Problem> validation_set(const Task& task, std::size_t n, std::uint64_t seed);
// held_out_set or validation_set.
std::vector<Problem> evaluation_set(const Task& task, Split split, std::size_t n,
                                    std::uint64_t seed);
// The first n problems of that set, or all of the held-out split when it holds fewer (a small
// problem space, e.g. 1-digit addition): never throws for lack of problems.
std::vector<Problem> held_out_prefix(const Task& task, std::size_t n, std::uint64_t seed);

// Helpers shared by the tasks and the reward code.
namespace text {
// Trims ASCII spaces at both ends.
std::string_view trim(std::string_view s);
// True when `s` is an optional '-' followed by one or more digits (no spaces, no '+').
bool is_integer(std::string_view s);
// Canonical form of an integer string accepted by is_integer: leading zeros removed, "-0"
// becomes "0". Works on any length, so huge numbers never overflow.
std::string canonical_integer(std::string_view s);
}  // namespace text

}  // namespace tinyseek
