// Countdown (as in TinyZero): reach a target with + - * / over given numbers, each used at
// most once (or exactly once with countdown_use_all, TinyZero's rule).
//
// Prompt: the numbers in drawn order, then "to", the target and ':'  ->  "3 7 25 to 46:".
// Answer: an infix expression over some of the numbers, e.g. "3*7+25". Parentheses and spaces
// are allowed; unary minus, '=', decimals and anything else are not part of the grammar.
//
// Verifier rules (decided here, tested in tests/training/test_countdown.cpp):
// - The expression is evaluated exactly with rationals (64-bit numerator/denominator,
//   overflow-checked). Non-integer intermediates are ALLOWED, as in TinyZero (which
//   evaluates with Python floats): "(3+7/5)*5" reaches 22. Only the final value must equal
//   the target exactly, with no floating-point tolerance.
// - Division by zero (also "7/(3-3)") makes the answer wrong; it never throws.
// - The numbers written must be a sub-multiset of the given numbers: a number given once
//   cannot be used twice, numbers not given cannot appear. Literal values are compared, so
//   "07" counts as 7.
// - An answer that does not parse (garbage, unary minus, unbalanced parentheses, over 128
//   characters or nested deeper than 32) is unparsed; one that parses but breaks the number
//   rule, divides by zero, overflows or misses the target is parsed and wrong.
//
// Generated instances are solvable by construction: the generator combines the numbers in a
// random order with random operators, keeping every intermediate a positive integer (so the
// worked trace only shows whole numbers), and accepts a target in [1, max_target] that is not
// itself one of the numbers. Trace: the solution's steps, then the expression:
// "3 7 25 to 46:" -> "<think>3*7=21 25+21=46</think><answer>25+3*7</answer>".
// Split key: the sorted numbers and the target.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "training/task.h"

namespace tinyseek {

// Exact value of a Countdown expression.
struct ExpressionValue {
    bool parsed = false;   // the text follows the grammar
    bool defined = false;  // parsed, no division by zero, no 64-bit overflow
    std::int64_t num = 0;  // value = num / den in lowest terms, den > 0
    std::int64_t den = 1;
    std::vector<std::int64_t> literals;  // the numbers written, in order
    std::string error;                   // why not parsed / not defined; empty otherwise
};

// Parses and evaluates `text` with the usual precedence (* / before + -, left to right).
// Never throws.
ExpressionValue evaluate_expression(std::string_view text);

class CountdownTask : public Task {
  public:
    using Task::Task;
    std::string_view name() const override { return "countdown"; }
    AnswerCheck check(const Problem& problem, std::string_view answer) const override;

    // Search trace (the `search` style, training/trace_style.h): up to two attempts that miss,
    // each a whole expression over all the numbers with its value ("(17-13)*19=76"), then the
    // answer with the target ("13+17+19=49"). Drawn from the hash of the problem's key, so a
    // problem always has the same search; a miss never reaches the target.
    bool has_search_trace() const override { return true; }
    // Buckets: how many numbers ("numbers 3") and the target's quarter of [1, max_target]
    // ("target 26-50"). A uniform draw fills them all, so none is drawn on demand.
    std::vector<std::string> difficulty_buckets(const Problem& problem) const override;
    std::string search_think(const Problem& problem) const override;

  protected:
    Problem draw(Rng& rng) const override;
};

}  // namespace tinyseek
