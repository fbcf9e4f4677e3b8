// The judge's fixed output format, its worked synthetic trace and the score parser.
//
// Prompt (the item; no <bos>):       "a:125 b:115 c:152 57+68="
// Judgment (the judge's completion):
//   <think>p:exact sum, digits 1 2
//   c:7+8+0=15 5+6+1=12 so 125; a=125: 5/5 2/2 1/1 ok, b=115: 5/5 1/2 no, c=152: 2/5 no
//   </think><answer>a:10 b:1 c:1</answer>                   (no line breaks around </think>)
//   - principles ("p:" to the line break): what decides here, adapted to the item: the
//     operation must be exact, and the digit positions (1 = units) where the candidates
//     disagree, i.e. the columns the critique must get right;
//   - critique ("c:" to </think>): the result recomputed column by column (the task's own
//     worked trace), "so R", then each candidate checked against R: "L=V:", then column by
//     column from the units "v/r" (candidate digit over result digit, '.' past the end of the
//     shorter number) up to the first column that differs, then "ok" or "no";
//   - scores: "L:S" per candidate in label order, S in 1..10, one space between.
// Why this layout: judge fine-tuned for 1,000 steps from the addition checkpoint, greedy, on
// 256 train-split items of 2-digit addition; share of items where it singled out the right
// answer, for the question before / after the candidates and "L=V ok" / digit-pair verdicts:
//     question first, "L=V ok"  34%      question first, digit pairs  39%
//     question last,  "L=V ok"  39%      question last,  digit pairs  75%
//   - question last, right before the judgment as in the solver's own prompt: the base
//     model's column-by-column recomputation carries over (result right in 96% of judgments
//     with both changes);
//   - digit pairs: a verdict follows from adjacent characters, not from comparing two numbers
//     written far apart (verdicts right for 87% of candidates with both changes, 57-60% with
//     "L=V ok" either way).
// Every character is in the tokenizer's default alphabet; an item of 2-digit addition with
// 4 candidates takes up to 32 prompt and 167 judgment tokens (3-digit tasks: 207).
//
// Scoring rule of the synthetic trace: 10 for the candidate equal to the recomputed result,
// 1 for every other. (A graded rule, 10 - 3 x wrong digits, was tried first: counting wrong
// digits was the step the tiny judge learned worst, so most of its judgments contradicted
// their own critique.) Sampled judgments may use any score 1..10; pooling sums them.
//
// A judgment is invalid (counted, never thrown) when the tags, the sections or the scores do
// not follow the format: one score per candidate, in order, each an integer 1..10.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "training/grm/items.h"

namespace tinyseek {

inline constexpr int kMinJudgeScore = 1;
inline constexpr int kMaxJudgeScore = 10;

// "a", "b", "c", "d" for candidates 0..3.
char candidate_label(int index);

// "a:825 b:815 c:852 357+468=".
std::string judge_prompt(const JudgeItem& item);
// "exact sum, digits 1 2" (the principles of the synthetic trace).
std::string judge_principles(const JudgeItem& item);
// "7+8+0=15 5+6+1=12 so 125; a=125: 5/5 2/2 1/1 ok, b=115: 5/5 1/2 no" (the critique of
// the synthetic trace).
std::string judge_critique(const JudgeItem& item);
// Candidate and truth compared column by column from the units, "v/r" ('.' past the end of the
// shorter one), up to the first column that differs: "5/5 1/2".
std::string digit_pairs(std::string_view value, std::string_view truth);
// The score the rule above gives `candidate` when the critique computed `result`.
int rule_score(std::string_view candidate, std::string_view result);
// The synthetic trace's scores: rule_score(candidate, truth) for each candidate.
std::vector<int> reference_scores(const JudgeItem& item);
// The full worked judgment: "<think>p:...\nc:...</think><answer>a:10 ...</answer>".
std::string judge_trace(const JudgeItem& item);
// A judgment text in the format from its parts (used by the trace and by tests).
std::string format_judgment(std::string_view principles, std::string_view critique,
                            const std::vector<int>& scores);

struct Judgment {
    bool valid = false;
    std::string principles;   // text after "p:" (valid judgments only)
    std::string critique;     // text after "c:"
    std::vector<int> scores;  // (n) one per candidate, 1..10 (valid judgments only)
    std::string error;        // why it is invalid, e.g. "score of b is 12, expected 1..10"

    // Index of the candidate with the strictly highest score; -1 on a tie or when invalid.
    int top() const;
};

// Parses the score list "a:10 b:7 c:4" (the text inside <answer>) for n candidates into
// `scores`; returns false with the reason in `error` otherwise. Never throws.
bool parse_scores(std::string_view text, int n_candidates, std::vector<int>& scores,
                  std::string& error);

// Parses a judge completion (the text from <think> on; a trailing <eos> tag is ignored).
// Never throws: anything off the format gives valid = false with the reason in `error`.
Judgment parse_judgment(std::string_view completion, int n_candidates);

}  // namespace tinyseek
