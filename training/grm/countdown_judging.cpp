#include "training/grm/countdown_judging.h"

#include <algorithm>
#include <numeric>

#include "training/grm/format.h"
#include "training/task_countdown.h"

namespace tinyseek {

namespace {

// An exact value p/q (q > 0, lowest terms). Countdown's numbers are small (<= 999, at most
// four of them), so 64 bits hold every intermediate of the answers judged here.
struct Fraction {
    std::int64_t num = 0;
    std::int64_t den = 1;
};

Fraction reduced(std::int64_t num, std::int64_t den) {
    if (den < 0) num = -num, den = -den;
    const std::int64_t g = std::gcd(num < 0 ? -num : num, den);
    return g > 1 ? Fraction{num / g, den / g} : Fraction{num, den};
}

std::string text_of(const Fraction& f) {
    return f.den == 1 ? std::to_string(f.num) : std::to_string(f.num) + "/" + std::to_string(f.den);
}

// Recursive descent over the task's grammar that writes each operation as it is computed:
// "3*7=21 25+21=46". Input is an expression the task's verifier parsed.
class StepWriter {
  public:
    explicit StepWriter(std::string_view text) : s_(text) {}

    bool run(Fraction& value) {
        value = sum();
        return ok_;
    }
    const std::string& steps() const { return steps_; }

  private:
    Fraction sum() {
        Fraction x = product();
        while (ok_ && (peek() == '+' || peek() == '-')) {
            const char op = s_[i_++];
            x = apply(op, x, product());
        }
        return x;
    }
    Fraction product() {
        Fraction x = atom();
        while (ok_ && (peek() == '*' || peek() == '/')) {
            const char op = s_[i_++];
            x = apply(op, x, atom());
        }
        return x;
    }
    Fraction atom() {
        if (peek() == '(') {
            ++i_;
            const Fraction x = sum();
            if (peek() == ')') ++i_;
            return x;
        }
        std::int64_t n = 0;
        while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') n = n * 10 + (s_[i_++] - '0');
        return {n, 1};
    }
    Fraction apply(char op, const Fraction& a, const Fraction& b) {
        if (!ok_) return {};
        std::string step = text_of(a) + op + text_of(b) + '=';
        Fraction r;
        if (op == '+') r = reduced(a.num * b.den + b.num * a.den, a.den * b.den);
        if (op == '-') r = reduced(a.num * b.den - b.num * a.den, a.den * b.den);
        if (op == '*') r = reduced(a.num * b.num, a.den * b.den);
        if (op == '/') {
            if (b.num == 0) {
                ok_ = false;
                steps_ += (steps_.empty() ? "" : " ") + text_of(a) + "/0 undefined";
                return {};
            }
            r = reduced(a.num * b.den, a.den * b.num);
        }
        steps_ += (steps_.empty() ? "" : " ") + step + text_of(r);
        return r;
    }
    char peek() {
        while (i_ < s_.size() && s_[i_] == ' ') ++i_;
        return i_ < s_.size() ? s_[i_] : '\0';
    }

    std::string_view s_;
    std::size_t i_ = 0;
    bool ok_ = true;
    std::string steps_;
};

// Start and length of every number written in `text`.
std::vector<std::pair<std::size_t, std::size_t>> literal_spans(const std::string& text) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] < '0' || text[i] > '9') {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
        out.emplace_back(i, j - i);
        i = j;
    }
    return out;
}

std::size_t pick(Rng& rng, std::size_t n) {
    return static_cast<std::size_t>(uniform_int(rng, 0, static_cast<std::int64_t>(n) - 1));
}

std::string changed_operator(std::string s, Rng& rng) {
    std::vector<std::size_t> ops;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '+' || s[i] == '-' || s[i] == '*' || s[i] == '/') ops.push_back(i);
    if (ops.empty()) return "";
    const std::size_t at = ops[pick(rng, ops.size())];
    std::string others;
    for (char c : std::string("+-*"))
        if (c != s[at]) others += c;
    s[at] = others[pick(rng, others.size())];
    return s;
}

std::string moved_number(const std::string& s, Rng& rng) {
    const auto spans = literal_spans(s);
    if (spans.empty()) return "";
    const auto [at, len] = spans[pick(rng, spans.size())];
    const std::int64_t n = std::stoll(s.substr(at, len));
    const std::int64_t m = n <= 1 || uniform_int(rng, 0, 1) ? n + 1 : n - 1;
    return s.substr(0, at) + std::to_string(m) + s.substr(at + len);
}

std::string reused_number(const std::string& s, Rng& rng) {
    const auto spans = literal_spans(s);
    if (spans.size() < 2) return "";
    const std::size_t to = pick(rng, spans.size());
    std::size_t from = pick(rng, spans.size() - 1);
    if (from >= to) ++from;
    const std::string number = s.substr(spans[from].first, spans[from].second);
    return s.substr(0, spans[to].first) + number + s.substr(spans[to].first + spans[to].second);
}

// "" when every number written is still unused among the given ones, else "8 not given" or
// "3 twice" for the first that is not.
std::string number_problem(const Problem& problem, const std::string& candidate) {
    std::vector<std::int64_t> unused = problem.operands;
    for (const auto& [at, len] : literal_spans(candidate)) {
        const std::int64_t n = std::stoll(candidate.substr(at, len));
        const auto it = std::find(unused.begin(), unused.end(), n);
        if (it != unused.end()) {
            unused.erase(it);
            continue;
        }
        const bool given = std::find(problem.operands.begin(), problem.operands.end(), n) !=
                           problem.operands.end();
        return std::to_string(n) + (given ? " twice" : " not given");
    }
    return "";
}

}  // namespace

const std::vector<std::string>& countdown_wrong_kinds() {
    static const std::vector<std::string> kinds = {"operator", "number", "reuse"};
    return kinds;
}

std::string countdown_wrong_answer(const CountdownTask& task, const Problem& problem,
                                   const std::string& kind, Rng& rng) {
    std::string out;
    if (kind == "operator") out = changed_operator(problem.answer, rng);
    if (kind == "number") out = moved_number(problem.answer, rng);
    if (kind == "reuse") out = reused_number(problem.answer, rng);
    if (out.empty() || out == problem.answer) return "";
    const AnswerCheck check = task.check(problem, out);
    return check.parsed && !check.correct ? out : "";
}

std::string countdown_extra_term(const Problem& problem, std::int64_t delta) {
    return problem.answer + "+" + std::to_string(delta);
}

std::string countdown_principles(const Problem& problem) {
    std::string out = "reach " + std::to_string(problem.target) + " with";
    for (std::int64_t n : problem.operands) out += ' ' + std::to_string(n);
    return out;
}

std::string countdown_verdict(const Problem& problem, const std::string& candidate) {
    const std::string numbers = number_problem(problem, candidate);
    if (!numbers.empty()) return numbers + " no";
    StepWriter writer(candidate);
    Fraction value;
    if (!writer.run(value)) return writer.steps() + " no";
    const std::string target = std::to_string(problem.target);
    return writer.steps() + ' ' + digit_pairs(text_of(value), target) +
           (value.den == 1 && value.num == problem.target ? " ok" : " no");
}

}  // namespace tinyseek
