#include "training/task_arithmetic.h"

#include <algorithm>
#include <string>

#include "core/errors.h"

namespace tinyseek {

namespace {

std::int64_t pow10(int n) {
    std::int64_t p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
}

// Digit i (0 = least significant) of a non-negative number; 0 beyond its length.
int digit(std::int64_t x, int i) {
    for (int k = 0; k < i; ++k) x /= 10;
    return static_cast<int>(x % 10);
}

int num_digits(std::int64_t x) {
    int n = 1;
    while (x >= 10) {
        x /= 10;
        ++n;
    }
    return n;
}

// x written with leading zeros to `width` digits (x >= 0 of at most `width` digits).
std::string zero_padded(std::int64_t x, int width) {
    const std::string digits = std::to_string(x);
    return std::string(static_cast<std::size_t>(width) - digits.size(), '0') + digits;
}

// A number of exactly `length` digits (1 digit: 0..9).
std::int64_t operand_of_length(Rng& rng, int length) {
    return uniform_int(rng, length == 1 ? 0 : pow10(length - 1), pow10(length) - 1);
}

// Whether a training draw takes uniform lengths: always at share 1 (no random number spent,
// so such runs draw what they drew before shares existed), else with that probability.
bool draws_lengths(Rng& rng, const TaskOptions& o, Draw how) {
    if (how != Draw::training || o.uniform_lengths <= 0.0) return false;
    return o.uniform_lengths >= 1.0 || uniform_int(rng, 0, 999'999) < o.uniform_lengths * 1e6;
}

// Two operands of up to `digits` digits: uniform values, or (a uniform_lengths share of the
// training draws) uniform lengths first, then uniform values of those lengths.
std::pair<std::int64_t, std::int64_t> draw_pair(Rng& rng, const TaskOptions& o, Draw how) {
    if (draws_lengths(rng, o, how)) {
        const int la = static_cast<int>(uniform_int(rng, 1, o.digits));
        const int lb = static_cast<int>(uniform_int(rng, 1, o.digits));
        const std::int64_t a = operand_of_length(rng, la);
        return {a, operand_of_length(rng, lb)};
    }
    const std::int64_t hi = pow10(o.digits) - 1;
    const std::int64_t a = uniform_int(rng, 0, hi);
    return {a, uniform_int(rng, 0, hi)};
}

std::string unordered_key(std::string_view task, std::int64_t a, std::int64_t b) {
    return std::string(task) + ":" + std::to_string(std::min(a, b)) + "," +
           std::to_string(std::max(a, b));
}

// Operands up to 10^max_exp; 10^12 (sums) and 10^9 (products) keep every number of the trace
// inside 64 bits.
void check_operands(std::string_view task, std::int64_t a, std::int64_t b, int max_exp) {
    const std::int64_t max = pow10(max_exp);
    if (a < 0 || b < 0 || a > max || b > max) {
        throw Error("task '" + std::string(task) + "': operands must be in [0, 10^" +
                    std::to_string(max_exp) + "], got " + std::to_string(a) + " and " +
                    std::to_string(b));
    }
}

std::string wrap_trace(const std::string& think, const std::string& answer) {
    std::string out;
    out.reserve(think.size() + answer.size() + 32);
    out.append(kThinkOpen).append(think).append(kThinkClose);
    out.append(kAnswerOpen).append(answer).append(kAnswerClose);
    return out;
}

Problem make_problem(std::string_view task, std::int64_t a, std::int64_t b, char op,
                     std::int64_t result, const std::string& think) {
    Problem p;
    p.task = std::string(task);
    p.prompt = std::to_string(a) + op + std::to_string(b) + "=";
    p.answer = std::to_string(result);
    p.trace = wrap_trace(think, p.answer);
    p.operands = {a, b};
    p.target = result;
    p.key = unordered_key(task, a, b);
    return p;
}

}  // namespace

AnswerCheck ArithmeticTask::check(const Problem& problem, std::string_view answer) const {
    const std::string_view body = text::trim(answer);
    AnswerCheck result;
    result.parsed = text::is_integer(body);
    result.correct = result.parsed && text::canonical_integer(body) == problem.answer;
    return result;
}

Problem ArithmeticTask::draw(Rng& rng) const {
    const auto [a, b] = draw_operands(rng, Draw::training);
    return make(a, b);
}

Problem ArithmeticTask::draw_for_evaluation(Rng& rng) const {
    const auto [a, b] = draw_operands(rng, Draw::evaluation);
    return make(a, b);
}

std::string ArithmeticTask::length_bucket(int first, int second) const {
    return "digits " + std::to_string(first) + operator_symbol() + std::to_string(second);
}

std::vector<std::string> ArithmeticTask::difficulty_buckets(const Problem& problem) const {
    const std::int64_t a = problem.operands.at(0), b = problem.operands.at(1);
    int first = num_digits(a), second = num_digits(b);
    if (operator_symbol() != '*' && first < second) std::swap(first, second);
    return {length_bucket(first, second), work_bucket(a, b)};
}

std::vector<std::string> ArithmeticTask::drawable_buckets() const {
    std::vector<std::string> out;
    for (int longer = 1; longer <= options().digits; ++longer)
        for (int shorter = 1; shorter <= longer; ++shorter)
            out.push_back(length_bucket(longer, shorter));
    return out;
}

Problem ArithmeticTask::draw_in_bucket(std::string_view label, Rng& rng) const {
    // The longer operand has `longer` digits, the shorter `shorter`, in either order.
    for (int longer = 1; longer <= options().digits; ++longer)
        for (int shorter = 1; shorter <= longer; ++shorter) {
            if (length_bucket(longer, shorter) != label) continue;
            std::int64_t a = operand_of_length(rng, longer), b = operand_of_length(rng, shorter);
            if (uniform_int(rng, 0, 1) == 1) std::swap(a, b);
            return make(a, b);
        }
    throw Error("task '" + std::string(name()) + "': no bucket '" + std::string(label) +
                "' to draw from");
}

std::pair<std::int64_t, std::int64_t> AdditionTask::draw_operands(Rng& rng, Draw how) const {
    return draw_pair(rng, options(), how);
}

Problem AdditionTask::make(std::int64_t a, std::int64_t b) const {
    check_operands(name(), a, b, 12);
    const int columns = std::max(num_digits(a), num_digits(b));
    std::string think;
    if (options().aligned_trace)
        think = zero_padded(a, columns) + '+' + zero_padded(b, columns) + ' ';
    int carry = 0;
    for (int i = 0; i < columns; ++i) {
        const int x = digit(a, i), y = digit(b, i);
        const int s = x + y + carry;
        if (i > 0) think += ' ';
        think += std::to_string(x) + '+' + std::to_string(y) + '+' + std::to_string(carry) + '=' +
                 (options().two_digit_sums ? zero_padded(s, 2) : std::to_string(s));
        carry = s / 10;
    }
    Problem p = make_problem(name(), a, b, '+', a + b, think);
    p.split = split_of(p.key);
    return p;
}

std::string AdditionTask::work_bucket(std::int64_t a, std::int64_t b) const {
    int carries = 0, carry = 0;
    for (int i = 0; i < std::max(num_digits(a), num_digits(b)); ++i) {
        carry = (digit(a, i) + digit(b, i) + carry) / 10;
        carries += carry;
    }
    return "carries " + std::to_string(carries);
}

std::pair<std::int64_t, std::int64_t> SubtractionTask::draw_operands(Rng& rng, Draw how) const {
    return draw_pair(rng, options(), how);
}

Problem SubtractionTask::make(std::int64_t a, std::int64_t b) const {
    check_operands(name(), a, b, 12);
    // Work the larger minus the smaller; the sign goes in front.
    const std::int64_t x = std::max(a, b), y = std::min(a, b);
    std::string think;
    if (a < b) think = "-(" + std::to_string(x) + "-" + std::to_string(y) + ")";
    int borrow = 0;
    const int columns = num_digits(x);
    for (int i = 0; i < columns; ++i) {
        const int dx = digit(x, i), dy = digit(y, i);
        int d = dx - dy - borrow;
        if (!think.empty()) think += ' ';
        const int borrow_in = borrow;
        if (d < 0) {
            d += 10;  // borrow ten from the next column: "1x" is the column's value
            think += '1';
            borrow = 1;
        } else {
            borrow = 0;
        }
        think += std::to_string(dx) + '-' + std::to_string(dy) + '-' + std::to_string(borrow_in) +
                 '=' + std::to_string(d);
    }
    Problem p = make_problem(name(), a, b, '-', a - b, think);
    p.split = split_of(p.key);
    return p;
}

std::string SubtractionTask::work_bucket(std::int64_t a, std::int64_t b) const {
    const std::int64_t x = std::max(a, b), y = std::min(a, b);
    int borrows = 0, borrow = 0;
    for (int i = 0; i < num_digits(x); ++i) {
        borrow = digit(x, i) - digit(y, i) - borrow < 0 ? 1 : 0;
        borrows += borrow;
    }
    return "borrows " + std::to_string(borrows);
}

std::pair<std::int64_t, std::int64_t> MultiplicationTask::draw_operands(Rng& rng, Draw) const {
    const std::int64_t a = operand_of_length(rng, options().a_digits);
    return {a, operand_of_length(rng, options().b_digits)};
}

Problem MultiplicationTask::make(std::int64_t a, std::int64_t b) const {
    check_operands(name(), a, b, 9);
    std::string think;
    std::vector<std::int64_t> partials;
    for (int i = 0; i < num_digits(b); ++i) {
        const int d = digit(b, i);
        if (d == 0 && b != 0) continue;  // a zero digit adds nothing
        const std::int64_t factor = d * pow10(i);
        partials.push_back(a * factor);
        if (!think.empty()) think += ' ';
        think += std::to_string(a) + '*' + std::to_string(factor) + '=' +
                 std::to_string(partials.back());
    }
    if (partials.size() > 1) {
        std::int64_t sum = 0;
        think += ' ';
        for (std::size_t i = 0; i < partials.size(); ++i) {
            if (i > 0) think += '+';
            think += std::to_string(partials[i]);
            sum += partials[i];
        }
        think += '=' + std::to_string(sum);
    }
    Problem p = make_problem(name(), a, b, '*', a * b, think);
    p.split = split_of(p.key);
    return p;
}

std::string MultiplicationTask::work_bucket(std::int64_t a, std::int64_t b) const {
    return "product " + std::to_string(num_digits(a * b)) + " digits";
}

}  // namespace tinyseek
