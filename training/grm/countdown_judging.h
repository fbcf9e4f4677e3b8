// Judging Countdown answers (training/task_countdown.h): the near-miss wrong answers of judge
// items, and the judge's worked critique of a candidate expression.
//
// Wrong-answer kinds (each a pure function of the problem and the random stream, each wrong
// by the task's own verifier):
//   operator  one operator of the solution changed among + - * (25+3*7 -> 25-3*7)
//   number    one number of the solution moved by +-1 (25+3*7 -> 25+3*8: 8 is not given)
//   reuse     one number written in place of another, so it is used twice (25+3*3)
//   extra     the solution plus a further term, "+d" (25+3*7+1; the fallback when the
//             kinds above run out of new answers)
//
// Critique of one candidate (labels as in training/grm/format.h):
//   numbers first, left to right against the numbers still unused:
//     "b=25+3*8: 8 not given no"       "c=25+3*3: 3 twice no"
//   else the expression evaluated in the usual order, one operation at a time, then the value
//   against the target column by column (format.h's digit pairs):
//     "a=25+3*7: 3*7=21 25+21=46 6/6 4/4 ok"      "d=25-3*7: 3*7=21 25-21=4 4/6 no"
//   Non-integer values are written p/q, a division by zero "x/0 undefined no".
#pragma once

#include <string>
#include <vector>

#include "training/grm/items.h"

namespace tinyseek {

class CountdownTask;

const std::vector<std::string>& countdown_wrong_kinds();  // operator, number, reuse

// A wrong answer of `kind` for `problem` (a Countdown problem whose answer is its solution),
// drawn from `rng`, or "" when the kind does not apply or happened to give a right answer.
std::string countdown_wrong_answer(const CountdownTask& task, const Problem& problem,
                                   const std::string& kind, Rng& rng);
// The solution plus "+delta" (kind "extra"): wrong for every delta >= 1.
std::string countdown_extra_term(const Problem& problem, std::int64_t delta);

// "reach 46 with 3 7 25" (the principles of the synthetic trace).
std::string countdown_principles(const Problem& problem);
// "3*7=21 25+21=46 6/6 4/4 ok" for one candidate (without the "a=...:" head).
std::string countdown_verdict(const Problem& problem, const std::string& candidate);

}  // namespace tinyseek
