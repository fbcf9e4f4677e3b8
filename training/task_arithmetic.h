// Addition, subtraction and multiplication: two operands, an integer answer, and worked traces
// that spell out the school method column by column (see each class for the exact format).
#pragma once

#include <utility>

#include "training/task.h"

namespace tinyseek {

// Shared verifier: the answer is an integer (optional '-', digits, surrounding spaces allowed)
// equal in value to the ground truth. Leading zeros are accepted ("0579" == 579): they change
// the text, not the number. Spaces inside the number, '+' signs and any other character make
// the answer unparsed. Comparison is on canonical digit strings, so numbers of any length are
// handled without overflow.
class ArithmeticTask : public Task {
  public:
    using Task::Task;
    AnswerCheck check(const Problem& problem, std::string_view answer) const override;
    // The problem for given operands (prompt, answer, trace, key, split), e.g. for tests or a
    // user-typed question. Operands are not range-checked against the options.
    virtual Problem make(std::int64_t a, std::int64_t b) const = 0;

    // Buckets: the operand lengths, longer first ("digits 3+2"; multiplication keeps the
    // operands' order, "digits 2*2"), and the task's own second family (carries, borrows or
    // the product's length). Addition and subtraction draw every length pair on demand.
    std::vector<std::string> difficulty_buckets(const Problem& problem) const override;
    std::vector<std::string> drawable_buckets() const override;
    Problem draw_in_bucket(std::string_view label, Rng& rng) const override;

  protected:
    // Draws the two operands for this task's options (training's or the task's own
    // distribution) and calls make().
    Problem draw(Rng& rng) const override;
    Problem draw_for_evaluation(Rng& rng) const override;
    virtual std::pair<std::int64_t, std::int64_t> draw_operands(Rng& rng, Draw how) const = 0;
    virtual char operator_symbol() const = 0;
    // The length bucket of operands of `first` and `second` digits, e.g. "digits 3+2".
    std::string length_bucket(int first, int second) const;
    // The second bucket family's label of a problem, e.g. "carries 2".
    virtual std::string work_bucket(std::int64_t a, std::int64_t b) const = 0;
};

// "a+b=" with a, b uniform in [0, 10^digits) (training draws lengths first with
// uniform_lengths). Trace: one column per digit from the least
// significant, "x+y+c=s" with c the carry into the column and s the column sum (its tens
// digit is the next column's carry):  "57+68=" -> "<think>7+8+0=15 5+6+1=12</think>
// <answer>125</answer>". With aligned_trace the columns follow the operands restated zero-padded
// to the column count: "7+651=" -> "<think>007+651 7+1+0=8 0+5+0=5 0+6+0=6</think>"; with
// two_digit_sums every sum has two digits: "7+1+0=08 0+5+0=05 0+6+0=06". Split key: the
// unordered pair, so a+b and b+a share a split.
class AdditionTask : public ArithmeticTask {
  public:
    using ArithmeticTask::ArithmeticTask;
    std::string_view name() const override { return "addition"; }

    Problem make(std::int64_t a, std::int64_t b) const override;

  protected:
    std::pair<std::int64_t, std::int64_t> draw_operands(Rng& rng, Draw how) const override;
    char operator_symbol() const override { return '+'; }
    // Carries C: columns whose sum carries into the next.
    std::string work_bucket(std::int64_t a, std::int64_t b) const override;
};

// "a-b=" with a, b uniform in [0, 10^digits); the result is negative when a < b. Trace for
// a >= b: one column per digit from the least significant, "x-y-r=d" with r the borrow into
// the column; when x-y-r < 0 the column borrows ten and is written "1x-y-r=d":
// "503-298=" -> "<think>13-8-0=5 10-9-1=0 5-2-1=2</think><answer>205</answer>". For a < b the
// trace starts with "-(b-a)" and works b-a: "12-57=" -> "<think>-(57-12) 7-2-0=5 5-1-0=4
// </think><answer>-45</answer>". Split key: the unordered pair.
class SubtractionTask : public ArithmeticTask {
  public:
    using ArithmeticTask::ArithmeticTask;
    std::string_view name() const override { return "subtraction"; }

    Problem make(std::int64_t a, std::int64_t b) const override;

  protected:
    std::pair<std::int64_t, std::int64_t> draw_operands(Rng& rng, Draw how) const override;
    char operator_symbol() const override { return '-'; }
    // Borrows C: columns of the larger minus the smaller that borrow.
    std::string work_bucket(std::int64_t a, std::int64_t b) const override;
};

// "a*b=" with a of exactly a_digits digits and b of exactly b_digits digits (1-digit
// operands range over 0..9). Trace: one partial product per non-zero digit of b from the
// least significant, then their sum: "47*23=" -> "<think>47*3=141 47*20=940 141+940=1081
// </think><answer>1081</answer>". Split key: the unordered pair.
class MultiplicationTask : public ArithmeticTask {
  public:
    using ArithmeticTask::ArithmeticTask;
    std::string_view name() const override { return "multiplication"; }

    Problem make(std::int64_t a, std::int64_t b) const override;
    // Both lengths are fixed by the options: one length bucket, nothing to draw.
    std::vector<std::string> drawable_buckets() const override { return {}; }
    Problem draw_in_bucket(std::string_view label, Rng& rng) const override {
        return Task::draw_in_bucket(label, rng);
    }

  protected:
    std::pair<std::int64_t, std::int64_t> draw_operands(Rng& rng, Draw how) const override;
    char operator_symbol() const override { return '*'; }
    // Product D digits: the length of the product.
    std::string work_bucket(std::int64_t a, std::int64_t b) const override;
};

}  // namespace tinyseek
