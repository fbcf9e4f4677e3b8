#include "training/task_countdown.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <utility>

#include "core/errors.h"

namespace tinyseek {

namespace {

constexpr std::size_t kMaxExpressionChars = 128;
constexpr int kMaxDepth = 32;
constexpr std::int64_t kMaxLiteral = 1000000000;  // literals above this cannot be a number

struct Rational {
    std::int64_t num = 0;
    std::int64_t den = 1;
};

// All arithmetic returns false on overflow or division by zero instead of throwing.
bool normalise(__int128 num, __int128 den, Rational& out) {
    if (den == 0) return false;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    __int128 a = num < 0 ? -num : num, b = den;
    while (b != 0) {
        const __int128 t = a % b;
        a = b;
        b = t;
    }
    if (a > 1) {
        num /= a;
        den /= a;
    }
    constexpr __int128 lim = std::numeric_limits<std::int64_t>::max();
    if (num > lim || num < -lim || den > lim) return false;
    out = {static_cast<std::int64_t>(num), static_cast<std::int64_t>(den)};
    return true;
}

// a op b over exact rationals: a/b + c/d = (ad + cb) / bd etc., computed in 128 bits so the
// only failure is a result that does not fit 64 bits after reduction.
bool apply(char op, const Rational& x, const Rational& y, Rational& out, std::string& error) {
    const __int128 a = x.num, b = x.den, c = y.num, d = y.den;
    bool ok = true;
    switch (op) {
        case '+':
            ok = normalise(a * d + c * b, b * d, out);
            break;
        case '-':
            ok = normalise(a * d - c * b, b * d, out);
            break;
        case '*':
            ok = normalise(a * c, b * d, out);
            break;
        case '/':
            if (c == 0) {
                error = "division by zero";
                return false;
            }
            ok = normalise(a * d, b * c, out);
            break;
        default:
            ok = false;
    }
    if (!ok) error = "value does not fit 64 bits";
    return ok;
}

// Recursive descent over: expr := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
// factor := number | '(' expr ')'. Spaces may separate tokens.
class Parser {
  public:
    explicit Parser(std::string_view text, ExpressionValue& out) : s_(text), out_(out) {}

    bool parse_all(Rational& value) {
        if (!expr(value, 0)) return false;
        skip_spaces();
        if (pos_ != s_.size()) return fail(std::string("unexpected '") + s_[pos_] + "'");
        return true;
    }

    bool undefined() const { return undefined_; }
    const std::string& undefined_error() const { return undefined_error_; }

  private:
    void skip_spaces() {
        while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
    }
    bool fail(std::string message) {
        if (out_.error.empty()) out_.error = std::move(message);
        return false;
    }
    // Combines but keeps parsing after a division by zero or overflow, so the grammar verdict
    // does not depend on the values.
    void combine(char op, Rational& acc, const Rational& rhs) {
        if (undefined_) return;
        std::string error;
        Rational r;
        if (apply(op, acc, rhs, r, error)) {
            acc = r;
        } else {
            undefined_ = true;
            if (undefined_error_.empty()) undefined_error_ = error;
        }
    }

    bool expr(Rational& value, int depth) {
        if (!term(value, depth)) return false;
        for (;;) {
            skip_spaces();
            if (pos_ >= s_.size() || (s_[pos_] != '+' && s_[pos_] != '-')) return true;
            const char op = s_[pos_++];
            Rational rhs;
            if (!term(rhs, depth)) return false;
            combine(op, value, rhs);
        }
    }

    bool term(Rational& value, int depth) {
        if (!factor(value, depth)) return false;
        for (;;) {
            skip_spaces();
            if (pos_ >= s_.size() || (s_[pos_] != '*' && s_[pos_] != '/')) return true;
            const char op = s_[pos_++];
            Rational rhs;
            if (!factor(rhs, depth)) return false;
            combine(op, value, rhs);
        }
    }

    bool factor(Rational& value, int depth) {
        skip_spaces();
        if (pos_ >= s_.size()) return fail("expression ends where a number was expected");
        const char c = s_[pos_];
        if (c == '(') {
            if (depth >= kMaxDepth) return fail("parentheses nested too deeply");
            ++pos_;
            if (!expr(value, depth + 1)) return false;
            skip_spaces();
            if (pos_ >= s_.size() || s_[pos_] != ')') return fail("missing ')'");
            ++pos_;
            return true;
        }
        if (c < '0' || c > '9') return fail(std::string("unexpected '") + c + "'");
        std::int64_t v = 0;
        bool too_large = false;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
            if (!too_large) {
                v = v * 10 + (s_[pos_] - '0');
                if (v > kMaxLiteral) too_large = true;
            }
            ++pos_;
        }
        // A huge literal parses but can never be one of the numbers; record a value that
        // fails the multiset check instead of overflowing.
        out_.literals.push_back(too_large ? kMaxLiteral + 1 : v);
        value = {too_large ? kMaxLiteral + 1 : v, 1};
        return true;
    }

    std::string_view s_;
    ExpressionValue& out_;
    std::size_t pos_ = 0;
    bool undefined_ = false;
    std::string undefined_error_;
};

// Text of a sub-expression plus what a parent needs to decide on parentheses.
struct Node {
    std::int64_t value;
    std::string text;
    int prec;  // 3 = number or parenthesised, 2 = * /, 1 = + -
};

int precedence(char op) {
    return op == '+' || op == '-' ? 1 : 2;
}

// Minimal parentheses: the left child needs them only if it binds looser than op; the right
// child also when it binds equally and op is '-' or '/' (a-(b-c) != a-b-c). Equal precedence
// under '+' or '*' needs none: a+(b-c) = a+b-c and a*(b/c) = a*b/c over the rationals.
Node combine_nodes(const Node& l, char op, const Node& r, std::int64_t value) {
    const int p = precedence(op);
    const bool paren_l = l.prec < p;
    const bool paren_r = r.prec < p || (r.prec == p && (op == '-' || op == '/'));
    std::string text = paren_l ? "(" + l.text + ")" : l.text;
    text += op;
    text += paren_r ? "(" + r.text + ")" : r.text;
    return {value, std::move(text), p};
}

// a op b, or 0 when it is not a whole number.
std::int64_t whole_result(char op, std::int64_t a, std::int64_t b) {
    switch (op) {
        case '+':
            return a + b;
        case '-':
            return a - b;
        case '*':
            return a * b;
        case '/':
            return a % b == 0 ? a / b : 0;
    }
    return 0;
}

// Combines two random items of the pool until one is left (every tree shape occurs), writing
// each operation into `steps`. False as soon as an intermediate is not a positive integer:
// the trace shows whole numbers only.
bool combine_randomly(Rng& rng, std::vector<Node>& pool, std::string& steps) {
    while (pool.size() > 1) {
        const auto i = static_cast<std::size_t>(
            uniform_int(rng, 0, static_cast<std::int64_t>(pool.size()) - 1));
        auto j = static_cast<std::size_t>(
            uniform_int(rng, 0, static_cast<std::int64_t>(pool.size()) - 2));
        if (j >= i) ++j;
        const Node l = pool[i], r = pool[j];
        const char op = "+-*/"[uniform_int(rng, 0, 3)];
        const std::int64_t value = whole_result(op, l.value, r.value);
        if (value <= 0) return false;
        if (!steps.empty()) steps += ' ';
        steps +=
            std::to_string(l.value) + op + std::to_string(r.value) + '=' + std::to_string(value);
        Node merged = combine_nodes(l, op, r, value);
        pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(std::max(i, j)));
        pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(std::min(i, j)));
        pool.push_back(std::move(merged));
    }
    return true;
}

std::string joined_numbers(const std::vector<std::int64_t>& numbers, char separator) {
    std::string out;
    for (std::size_t k = 0; k < numbers.size(); ++k) {
        if (k) out += separator;
        out += std::to_string(numbers[k]);
    }
    return out;
}

// The problem whose expression is `root`; the key names the numbers as a sorted multiset.
Problem make_problem(std::string task, const std::vector<std::int64_t>& numbers, const Node& root,
                     const std::string& steps) {
    Problem p;
    p.task = std::move(task);
    p.prompt = joined_numbers(numbers, ' ');
    p.prompt += " to " + std::to_string(root.value) + ":";
    p.answer = root.text;
    p.trace.append(kThinkOpen).append(steps).append(kThinkClose);
    p.trace.append(kAnswerOpen).append(p.answer).append(kAnswerClose);
    p.operands = numbers;
    p.target = root.value;
    std::vector<std::int64_t> sorted = numbers;
    std::sort(sorted.begin(), sorted.end());
    p.key = "countdown:" + joined_numbers(sorted, ',') + "=" + std::to_string(root.value);
    return p;
}

}  // namespace

ExpressionValue evaluate_expression(std::string_view text) {
    ExpressionValue out;
    if (text.size() > kMaxExpressionChars) {
        out.error = "expression longer than " + std::to_string(kMaxExpressionChars) + " characters";
        return out;
    }
    Parser parser(text, out);
    Rational value;
    if (!parser.parse_all(value)) {
        out.literals.clear();
        return out;
    }
    out.parsed = true;
    if (parser.undefined()) {
        out.error = parser.undefined_error();
        return out;
    }
    out.defined = true;
    out.num = value.num;
    out.den = value.den;
    return out;
}

AnswerCheck CountdownTask::check(const Problem& problem, std::string_view answer) const {
    AnswerCheck result;
    const ExpressionValue v = evaluate_expression(text::trim(answer));
    result.parsed = v.parsed;
    if (!v.parsed || !v.defined || v.literals.empty()) return result;
    // Multiset rule: every literal consumes one copy of an equal given number.
    std::vector<std::int64_t> available = problem.operands;
    for (std::int64_t lit : v.literals) {
        auto it = std::find(available.begin(), available.end(), lit);
        if (it == available.end()) return result;
        available.erase(it);
    }
    if (options().countdown_use_all && !available.empty()) return result;
    result.correct = v.den == 1 && v.num == problem.target;
    return result;
}

std::string CountdownTask::search_think(const Problem& problem) const {
    constexpr int kMaxMisses = 2, kMaxTries = 1000;
    Rng rng(stable_hash("search:" + problem.key));
    const auto misses = uniform_int(rng, 0, kMaxMisses);
    std::string out;
    for (int tries = 0, found = 0; found < misses && tries < kMaxTries; ++tries) {
        std::vector<Node> pool;
        for (auto n : problem.operands) pool.push_back({n, std::to_string(n), 3});
        std::string unused_steps;
        if (!combine_randomly(rng, pool, unused_steps)) continue;
        if (pool.front().value == problem.target) continue;
        out += pool.front().text + "=" + std::to_string(pool.front().value) + " ";
        ++found;
    }
    return out + problem.answer + "=" + std::to_string(problem.target);
}

Problem CountdownTask::draw(Rng& rng) const {
    const TaskOptions& o = options();
    constexpr int kMaxAttempts = 100000;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
        std::vector<std::int64_t> numbers(o.numbers);
        for (auto& n : numbers) n = uniform_int(rng, 1, o.max_number);
        std::vector<Node> pool;
        for (auto n : numbers) pool.push_back({n, std::to_string(n), 3});
        std::string steps;
        if (!combine_randomly(rng, pool, steps)) continue;
        const std::int64_t target = pool.front().value;
        if (target > o.max_target) continue;
        if (std::find(numbers.begin(), numbers.end(), target) != numbers.end()) continue;
        return make_problem(std::string(name()), numbers, pool.front(), steps);
    }
    std::ostringstream msg;
    msg << "task 'countdown': no solvable instance found in " << kMaxAttempts
        << " attempts with numbers=" << o.numbers << ", max_number=" << o.max_number
        << ", max_target=" << o.max_target;
    throw Error(msg.str());
}

std::vector<std::string> CountdownTask::difficulty_buckets(const Problem& problem) const {
    const std::int64_t max_target = options().max_target;
    std::int64_t low = 1, high = max_target;
    for (int quarter = 1; quarter <= 4; ++quarter) {
        high = quarter * max_target / 4;
        if (problem.target <= high) break;
        low = high + 1;
    }
    return {"numbers " + std::to_string(problem.operands.size()),
            "target " + std::to_string(low) + "-" + std::to_string(high)};
}

}  // namespace tinyseek
