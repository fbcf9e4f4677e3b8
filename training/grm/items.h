// Judge items for the reward-model lab (DeepSeek-GRM in small): a question from an arithmetic
// or Countdown task (or a mix of them, training/grm/question_mix.h) and 2-4 candidate answers,
// exactly one of them correct by the task's verifier, the others plausible wrong answers of
// the kinds a careless solver makes, in a seeded random order.
//
// Wrong-answer kinds of arithmetic questions (each a pure function of the problem and the
// random stream; Countdown's are in training/grm/countdown_judging.h):
//   carry    the result +- 10^j for a column j >= 1: a carry dropped or added ("off by one
//            carry": 357+468 -> 815 or 835 instead of 825)
//   swap     two adjacent, different digits of the result exchanged (825 -> 852)
//   operand  the right method on a misread operand: two adjacent digits of one operand
//            swapped (357+486), or the operand + 1 when it has no such pair
//   digit    one digit of the result off by one without any carry (825 -> 826)
//
// Splits: an item belongs to the split of its problem (Task::split_of on the problem key), so a
// held-out question is never shown to the judge, the meta RM or the scalar RM in training,
// whatever its candidates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "training/task.h"

namespace tinyseek {

class ArithmeticTask;

inline constexpr int kMaxJudgeCandidates = 4;  // labels a, b, c, d
// A Countdown critique evaluates every candidate on its own: four of them would not fit the
// tiny model's 256-token context, so Countdown items hold at most three.
inline constexpr int kMaxCountdownCandidates = 3;

enum class WrongKind { carry, swap, operand, digit };
const char* to_string(WrongKind kind);

struct JudgeItem {
    Problem problem;                      // the question (prompt, answer, trace, key, split)
    std::vector<std::string> candidates;  // (n) answers in presentation order
    std::vector<std::string> kinds;       // (n) "correct" or the WrongKind that made each one
    int best = 0;                         // index of the correct candidate; -1 in a decoy
    std::string key;                      // problem key + "|" + candidates, for de-duplication

    int size() const { return static_cast<int>(candidates.size()); }
};

struct JudgeItemOptions {
    int min_candidates = 2;  // per item, uniform in [min, max]; 2..4
    int max_candidates = 4;

    // Throws ConfigError naming `source`, the field, the value and the allowed range.
    void validate(const std::string& source = "judge item options") const;
    nlohmann::json to_json() const;
    static JudgeItemOptions from_json(const nlohmann::json& j,
                                      const std::string& source = "judge item options");
};

// A wrong answer of `kind` for `problem`, drawn from `rng`, or "" when the kind does not apply
// (e.g. no adjacent different digits to swap). Never equal to problem.answer.
std::string wrong_answer(const ArithmeticTask& task, const Problem& problem, WrongKind kind,
                         Rng& rng);

// The item for `problem` with `n_candidates` answers (2..4), candidates drawn and shuffled
// from `rng`. Throws ConfigError for n outside 2..4.
// `task` is the task that made `problem` (arithmetic or Countdown; ConfigError otherwise).
JudgeItem make_judge_item(const Task& task, const Problem& problem, int n_candidates, Rng& rng);

// One item of `split`, a pure function of the engine state (as Task::sample): the problem,
// the number of candidates and the candidates all come from `rng`.
// `base` may be a QuestionMix.
// The number of candidates of an item of `problem`: uniform in the options' range, at most
// kMaxCountdownCandidates for Countdown.
int candidates_for(const Problem& problem, Rng& rng, const JudgeItemOptions& options);

JudgeItem sample_judge_item(const Task& base, Split split, Rng& rng,
                            const JudgeItemOptions& options);
// A decoy: an item of sample_judge_item's kind whose right answer was taken out, so every
// candidate is wrong and best = -1 (its worked trace marks each "no"). Only the cold start
// trains on decoys: a judge that has seen nothing but items with one right candidate can
// learn to restate a candidate as its own result instead of computing it. Arithmetic only: a
// Countdown question gives an ordinary item (its critique evaluates each candidate on its own,
// with no result to restate; a judge trained on Countdown decoys too marked nearly every
// Countdown candidate "no").
JudgeItem sample_decoy_item(const Task& base, Split split, Rng& rng,
                            const JudgeItemOptions& options);

// `n` distinct items of `split`: one per distinct question first (the questions drawn in the
// order distinct_problems(task, split, n, seed) draws them), each item's candidates from a
// stream seeded by (seed, the question's key), so item i does not change when n grows. Only
// when the split holds fewer than n questions (2-digit addition has ~500 held-out ones) do
// questions come back with other candidate sets, every item still distinct. The fixed
// held-out set of the scaling experiment is judge_items(task, Split::held_out, n, seed).
// Throws Error when even that cannot give n items.
std::vector<JudgeItem> judge_items(const Task& task, Split split, std::size_t n, std::uint64_t seed,
                                   const JudgeItemOptions& options);

}  // namespace tinyseek
