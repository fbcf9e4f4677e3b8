#include "training/grm/items.h"

#include <algorithm>
#include <sstream>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "training/grm/countdown_judging.h"
#include "training/grm/question_mix.h"
#include "training/task_arithmetic.h"
#include "training/task_countdown.h"

namespace tinyseek {

namespace {

std::int64_t pow10(int n) {
    std::int64_t p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
}

// Positions i where s[i] and s[i+1] are both digits, differ, and swapping them does not put a
// '0' in front of a number of two or more digits.
std::vector<std::size_t> swappable_pairs(const std::string& s) {
    std::vector<std::size_t> out;
    const std::size_t first = !s.empty() && s[0] == '-' ? 1 : 0;
    for (std::size_t i = first; i + 1 < s.size(); ++i) {
        if (s[i] == s[i + 1]) continue;
        if (i == first && s[i + 1] == '0') continue;
        out.push_back(i);
    }
    return out;
}

std::string swap_adjacent(std::string s, Rng& rng) {
    const std::vector<std::size_t> pairs = swappable_pairs(s);
    if (pairs.empty()) return "";
    const std::size_t i =
        pairs[static_cast<std::size_t>(uniform_int(rng, 0, std::int64_t(pairs.size()) - 1))];
    std::swap(s[i], s[i + 1]);
    return s;
}

int decimal_digits(std::int64_t x) {
    int n = 1;
    for (x = x < 0 ? -x : x; x >= 10; x /= 10) ++n;
    return n;
}

}  // namespace

const char* to_string(WrongKind kind) {
    switch (kind) {
        case WrongKind::carry:
            return "carry";
        case WrongKind::swap:
            return "swap";
        case WrongKind::operand:
            return "operand";
        case WrongKind::digit:
            return "digit";
    }
    return "?";
}

void JudgeItemOptions::validate(const std::string& source) const {
    auto check = [&](const char* field, int v) {
        if (v < 2 || v > kMaxJudgeCandidates) {
            std::ostringstream msg;
            msg << source << ": field '" << field << "' is " << v << ", expected 2.."
                << kMaxJudgeCandidates;
            throw ConfigError(msg.str());
        }
    };
    check("min_candidates", min_candidates);
    check("max_candidates", max_candidates);
    if (min_candidates > max_candidates)
        throw ConfigError(source + ": min_candidates (" + std::to_string(min_candidates) +
                          ") is larger than max_candidates (" + std::to_string(max_candidates) +
                          ")");
}

nlohmann::json JudgeItemOptions::to_json() const {
    return {{"min_candidates", min_candidates}, {"max_candidates", max_candidates}};
}

JudgeItemOptions JudgeItemOptions::from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object())
        throw ConfigError(source + ": expected an object, got " + std::string(j.type_name()));
    JudgeItemOptions o;
    for (const auto& [key, value] : j.items()) {
        if (!value.is_number_integer())
            throw ConfigError(source + ": field '" + key + "' must be an integer, got " +
                              value.dump());
        if (key == "min_candidates")
            o.min_candidates = value.get<int>();
        else if (key == "max_candidates")
            o.max_candidates = value.get<int>();
        else
            throw ConfigError(source + ": unknown field '" + key +
                              "' (known: min_candidates, max_candidates)");
    }
    o.validate(source);
    return o;
}

std::string wrong_answer(const ArithmeticTask& task, const Problem& problem, WrongKind kind,
                         Rng& rng) {
    const std::int64_t r = problem.target;
    std::string out;
    switch (kind) {
        case WrongKind::carry: {
            // A carry into column j >= 1 dropped or added: +-10^j. Column j may be one past the
            // top digit (a spurious carry out of the last column).
            const int j = static_cast<int>(uniform_int(rng, 1, decimal_digits(r)));
            const std::int64_t delta = pow10(j);
            std::int64_t w = uniform_int(rng, 0, 1) ? r + delta : r - delta;
            // Keep the sign of the truth: a non-negative result stays non-negative.
            if ((r >= 0) != (w >= 0)) w = r >= 0 ? r + delta : r - delta;
            out = std::to_string(w);
            break;
        }
        case WrongKind::swap:
            out = swap_adjacent(problem.answer, rng);
            break;
        case WrongKind::operand: {
            std::int64_t a = problem.operands.at(0), b = problem.operands.at(1);
            const bool first = uniform_int(rng, 0, 1) == 1;
            std::int64_t& x = first ? a : b;
            const std::string swapped = swap_adjacent(std::to_string(x), rng);
            x = swapped.empty() ? x + 1 : std::stoll(swapped);
            out = task.make(a, b).answer;
            break;
        }
        case WrongKind::digit: {
            // One digit (not a leading '-') moved by +-1 with no carry: 825 -> 826 or 815.
            std::string s = problem.answer;
            const std::size_t first = s[0] == '-' ? 1 : 0;
            const auto i = static_cast<std::size_t>(
                uniform_int(rng, std::int64_t(first), std::int64_t(s.size()) - 1));
            int d = s[i] - '0';
            d = uniform_int(rng, 0, 1) ? (d + 1) % 10 : (d + 9) % 10;
            if (i == first && d == 0 && s.size() > first + 1) d = 1 + (s[i] - '0') % 9;
            s[i] = static_cast<char>('0' + d);
            out = s;
            break;
        }
    }
    if (out == problem.answer || out == "-0") return "";
    return out;
}

namespace {

struct WrongDraw {
    std::string answer;  // "" when the kind did not apply
    std::string kind;
};

WrongDraw draw_wrong(const Task& task, const Problem& problem, Rng& rng) {
    if (const auto* arithmetic = dynamic_cast<const ArithmeticTask*>(&task)) {
        const WrongKind all[] = {WrongKind::carry, WrongKind::swap, WrongKind::operand,
                                 WrongKind::digit};
        const WrongKind kind = all[uniform_int(rng, 0, 3)];
        return {wrong_answer(*arithmetic, problem, kind, rng), to_string(kind)};
    }
    const auto& countdown = dynamic_cast<const CountdownTask&>(task);
    const std::vector<std::string>& kinds = countdown_wrong_kinds();
    const std::string& kind = kinds[static_cast<std::size_t>(
        uniform_int(rng, 0, static_cast<std::int64_t>(kinds.size()) - 1))];
    return {countdown_wrong_answer(countdown, problem, kind, rng), kind};
}

// The last resort, wrong for every delta >= 1: a digit slip of the result, or a further term.
WrongDraw fallback_wrong(const Task& task, const Problem& problem, std::int64_t delta) {
    if (dynamic_cast<const ArithmeticTask*>(&task))
        return {std::to_string(problem.target + delta), to_string(WrongKind::digit)};
    return {countdown_extra_term(problem, delta), "extra"};
}

// "57+68|125,115": the question's key, then the candidates in presentation order.
std::string item_key(const JudgeItem& item) {
    std::string key = item.problem.key + "|";
    for (std::size_t i = 0; i < item.candidates.size(); ++i)
        key += (i ? "," : "") + item.candidates[i];
    return key;
}

}  // namespace

JudgeItem make_judge_item(const Task& task, const Problem& problem, int n_candidates, Rng& rng) {
    check_judgeable(task);
    if (n_candidates < 2 || n_candidates > kMaxJudgeCandidates)
        throw ConfigError("judge item: " + std::to_string(n_candidates) +
                          " candidates asked for, expected 2.." +
                          std::to_string(kMaxJudgeCandidates));
    std::vector<std::string> answers{problem.answer};
    std::vector<std::string> kinds{"correct"};
    auto add = [&](WrongDraw w) {
        if (w.answer.empty() ||
            std::find(answers.begin(), answers.end(), w.answer) != answers.end())
            return;
        if (task.check(problem, w.answer).correct) return;  // exactly one right candidate
        answers.push_back(std::move(w.answer));
        kinds.push_back(std::move(w.kind));
    };
    // Kinds in random order, retried a few rounds; a kind that does not apply or repeats an
    // answer is skipped. The last resort always yields new answers eventually.
    for (int attempt = 0; attempt < 64 && int(answers.size()) < n_candidates; ++attempt)
        add(draw_wrong(task, problem, rng));
    for (std::int64_t delta = 1; int(answers.size()) < n_candidates; ++delta)
        add(fallback_wrong(task, problem, delta));
    // Fisher-Yates with our own uniform_int (std::shuffle differs between libraries).
    std::vector<int> order(answers.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    for (std::size_t i = order.size() - 1; i > 0; --i)
        std::swap(order[i], order[static_cast<std::size_t>(uniform_int(rng, 0, std::int64_t(i)))]);

    JudgeItem item;
    item.problem = problem;
    for (std::size_t i = 0; i < order.size(); ++i) {
        item.candidates.push_back(answers[order[i]]);
        item.kinds.push_back(kinds[order[i]]);
        if (order[i] == 0) item.best = static_cast<int>(i);
    }
    item.key = item_key(item);
    return item;
}

int candidates_for(const Problem& problem, Rng& rng, const JudgeItemOptions& options) {
    const int n =
        static_cast<int>(uniform_int(rng, options.min_candidates, options.max_candidates));
    return problem.task == "countdown" ? std::min(n, kMaxCountdownCandidates) : n;
}

JudgeItem sample_judge_item(const Task& base, Split split, Rng& rng,
                            const JudgeItemOptions& options) {
    const Problem problem = base.sample(split, rng);
    const int n = candidates_for(problem, rng, options);
    return make_judge_item(question_task(base, problem), problem, n, rng);
}

JudgeItem sample_decoy_item(const Task& base, Split split, Rng& rng,
                            const JudgeItemOptions& options) {
    const Problem problem = base.sample(split, rng);
    const int n = candidates_for(problem, rng, options);
    if (problem.task == "countdown")
        return make_judge_item(question_task(base, problem), problem, n, rng);
    // One more candidate than an ordinary item, so at least two wrong ones stay.
    JudgeItem item = make_judge_item(question_task(base, problem), problem,
                                     std::min(n + 1, kMaxJudgeCandidates), rng);
    item.candidates.erase(item.candidates.begin() + item.best);
    item.kinds.erase(item.kinds.begin() + item.best);
    item.best = -1;
    item.key = item_key(item);
    return item;
}

std::vector<JudgeItem> judge_items(const Task& task, Split split, std::size_t n, std::uint64_t seed,
                                   const JudgeItemOptions& options) {
    options.validate();
    check_judgeable(task);
    // Distinct questions in draw order, as distinct_problems() draws them, but keeping what was
    // found when the split holds fewer than n (2-digit addition has ~500 held-out questions).
    Rng rng(seed);
    std::vector<Problem> questions;
    std::unordered_set<std::string> seen;
    const std::size_t max_misses = 20 * n + 10000;
    for (std::size_t misses = 0; questions.size() < n && misses <= max_misses;) {
        Problem p = task.sample(split, rng);
        if (seen.insert(p.key).second) {
            questions.push_back(std::move(p));
            misses = 0;
        } else {
            ++misses;
        }
    }
    if (questions.empty())
        throw Error("judge items: the " + std::string(to_string(split)) + " split of task '" +
                    std::string(task.name()) + "' has no question");
    // Round 0 gives every question one candidate set; later rounds (only when the split has
    // fewer questions than n) give the same questions other candidate sets, every item distinct.
    std::vector<JudgeItem> items;
    std::unordered_set<std::string> keys;
    items.reserve(n);
    constexpr int kMaxRounds = 64;
    for (int round = 0; round < kMaxRounds && items.size() < n; ++round) {
        for (const Problem& p : questions) {
            if (items.size() == n) break;
            Rng item_rng(seed ^ stable_hash(p.key) ^
                         (0x9e3779b97f4a7c15ULL * std::uint64_t(round)));
            const int count = candidates_for(p, item_rng, options);
            JudgeItem item = make_judge_item(question_task(task, p), p, count, item_rng);
            if (keys.insert(item.key).second) items.push_back(std::move(item));
        }
    }
    if (items.size() < n)
        throw Error("judge items: only " + std::to_string(items.size()) +
                    " distinct items in the " + to_string(split) + " split, " + std::to_string(n) +
                    " were asked for");
    return items;
}

}  // namespace tinyseek
