#include "training/grm/format.h"

#include <algorithm>

#include "training/grm/countdown_judging.h"

namespace tinyseek {

namespace {

constexpr std::string_view kPrinciples = "p:";
constexpr std::string_view kCritique = "c:";
constexpr std::string_view kEos = "<eos>";

const char* operation_noun(std::string_view task) {
    if (task == "subtraction") return "difference";
    if (task == "multiplication") return "product";
    return "sum";
}

// Character of `s` at right-aligned position `pos` (0 = last), `beyond` past its start.
char from_right(std::string_view s, std::size_t pos, char beyond = ' ') {
    return pos < s.size() ? s[s.size() - 1 - pos] : beyond;
}

// The text between <think> and </think> of a task trace.
std::string_view think_of(std::string_view trace) {
    const std::size_t open = trace.find(kThinkOpen);
    const std::size_t close = trace.find(kThinkClose);
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
        return {};
    return trace.substr(open + kThinkOpen.size(), close - open - kThinkOpen.size());
}

Judgment invalid(std::string error) {
    Judgment j;
    j.error = std::move(error);
    return j;
}

}  // namespace

char candidate_label(int index) {
    return static_cast<char>('a' + index);
}

std::string judge_prompt(const JudgeItem& item) {
    std::string out;
    for (int i = 0; i < item.size(); ++i) {
        out += candidate_label(i);
        out += ':';
        out += item.candidates[i];
        out += ' ';
    }
    return out + item.problem.prompt;
}

std::string judge_principles(const JudgeItem& item) {
    if (item.problem.task == "countdown") return countdown_principles(item.problem);
    std::size_t width = 0;
    for (const std::string& c : item.candidates) width = std::max(width, c.size());
    std::string out = std::string("exact ") + operation_noun(item.problem.task) + ", digits";
    for (std::size_t pos = 0; pos < width; ++pos) {
        const char first = from_right(item.candidates[0], pos);
        const bool differ =
            std::any_of(item.candidates.begin(), item.candidates.end(),
                        [&](const std::string& c) { return from_right(c, pos) != first; });
        if (differ) out += ' ' + std::to_string(pos + 1);
    }
    return out;
}

std::string digit_pairs(std::string_view value, std::string_view truth) {
    std::string out;
    const std::size_t columns = std::max(value.size(), truth.size());
    for (std::size_t pos = 0; pos < columns; ++pos) {
        const char mine = from_right(value, pos, '.');
        const char right = from_right(truth, pos, '.');
        if (pos) out += ' ';
        out += mine;
        out += '/';
        out += right;
        if (mine != right) break;
    }
    return out;
}

std::string judge_critique(const JudgeItem& item) {
    const bool countdown = item.problem.task == "countdown";
    const std::string& result = item.problem.answer;
    // Arithmetic: the result recomputed once, then every candidate against it. Countdown: every
    // candidate evaluated on its own (many expressions reach the target).
    std::string out =
        countdown ? "" : std::string(think_of(item.problem.trace)) + " so " + result + "; ";
    const char* separator = countdown ? " " : ", ";
    for (int i = 0; i < item.size(); ++i) {
        const std::string& candidate = item.candidates[i];
        if (i) out += separator;
        out += candidate_label(i);
        out += '=' + candidate + ": ";
        out += countdown ? countdown_verdict(item.problem, candidate)
                         : digit_pairs(candidate, result) + (candidate == result ? " ok" : " no");
    }
    return out;
}

int rule_score(std::string_view candidate, std::string_view result) {
    return candidate == result ? kMaxJudgeScore : kMinJudgeScore;
}

std::vector<int> reference_scores(const JudgeItem& item) {
    // The item's one right candidate (for Countdown, the others were checked wrong by the
    // task's verifier when the item was made).
    std::vector<int> scores;
    for (int i = 0; i < item.size(); ++i)
        scores.push_back(i == item.best ? kMaxJudgeScore : kMinJudgeScore);
    return scores;
}

std::string format_judgment(std::string_view principles, std::string_view critique,
                            const std::vector<int>& scores) {
    std::string out(kThinkOpen);
    out.append(kPrinciples).append(principles).append("\n");
    out.append(kCritique).append(critique);
    out.append(kThinkClose).append(kAnswerOpen);
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (i) out += ' ';
        out += candidate_label(static_cast<int>(i));
        out += ':';
        out += std::to_string(scores[i]);
    }
    out.append(kAnswerClose);
    return out;
}

std::string judge_trace(const JudgeItem& item) {
    return format_judgment(judge_principles(item), judge_critique(item), reference_scores(item));
}

int Judgment::top() const {
    if (!valid || scores.empty()) return -1;
    const auto best = std::max_element(scores.begin(), scores.end());
    if (std::count(scores.begin(), scores.end(), *best) > 1) return -1;
    return static_cast<int>(best - scores.begin());
}

bool parse_scores(std::string_view text, int n_candidates, std::vector<int>& scores,
                  std::string& error) {
    scores.clear();
    auto fail = [&](std::string why) {
        scores.clear();
        error = std::move(why);
        return false;
    };
    if (n_candidates < 1 || n_candidates > 26)
        return fail("the item has " + std::to_string(n_candidates) + " candidates");
    for (int i = 0; i < n_candidates; ++i) {
        const std::string label(1, candidate_label(i));
        if (i > 0) {
            if (text.empty() || text[0] != ' ')
                return fail("expected a space before the score of " + label);
            text.remove_prefix(1);
        }
        if (text.size() < 3 || text[0] != label[0] || text[1] != ':')
            return fail("expected the score of " + label + " as '" + label + ":N'");
        text.remove_prefix(2);
        std::size_t digits = 0;
        while (digits < text.size() && digits < 3 && text[digits] >= '0' && text[digits] <= '9')
            ++digits;
        const std::string number(text.substr(0, digits));
        if (digits == 0) return fail("score of " + label + " is not a number");
        if (number.size() > 1 && number[0] == '0')
            return fail("score of " + label + " has a leading zero");
        const int value = std::stoi(number);
        if (value < kMinJudgeScore || value > kMaxJudgeScore)
            return fail("score of " + label + " is " + number + ", expected " +
                        std::to_string(kMinJudgeScore) + ".." + std::to_string(kMaxJudgeScore));
        scores.push_back(value);
        text.remove_prefix(digits);
    }
    if (!text.empty())
        return fail("unexpected text after the last score: '" + std::string(text) + "'");
    return true;
}

Judgment parse_judgment(std::string_view text, int n_candidates) {
    if (n_candidates < 1 || n_candidates > 26)
        return invalid("the item has " + std::to_string(n_candidates) + " candidates");
    if (text.size() >= kEos.size() && text.substr(text.size() - kEos.size()) == kEos)
        text.remove_suffix(kEos.size());

    const std::string head = std::string(kThinkOpen) + std::string(kPrinciples);
    if (text.substr(0, head.size()) != head) return invalid("does not start with <think>p:");
    text.remove_prefix(head.size());

    const std::size_t newline = text.find('\n');
    if (newline == std::string_view::npos) return invalid("no line break after the principles");
    const std::string_view principles = text.substr(0, newline);
    if (principles.empty()) return invalid("empty principles");
    if (principles.find('<') != std::string_view::npos) return invalid("a tag inside principles");
    text.remove_prefix(newline + 1);

    if (text.substr(0, kCritique.size()) != kCritique) return invalid("no c: after principles");
    text.remove_prefix(kCritique.size());
    const std::size_t think_close = text.find(kThinkClose);
    if (think_close == std::string_view::npos) return invalid("no </think>");
    const std::string_view critique = text.substr(0, think_close);
    if (critique.empty()) return invalid("empty critique");
    if (critique.find('<') != std::string_view::npos) return invalid("a tag inside the critique");
    text.remove_prefix(think_close + kThinkClose.size());

    if (text.substr(0, kAnswerOpen.size()) != kAnswerOpen)
        return invalid("no <answer> right after </think>");
    text.remove_prefix(kAnswerOpen.size());
    const std::size_t answer_close = text.find(kAnswerClose);
    if (answer_close == std::string_view::npos) return invalid("no </answer>");
    std::string_view scores_text = text.substr(0, answer_close);
    if (answer_close + kAnswerClose.size() != text.size()) return invalid("text after </answer>");

    Judgment j;
    std::string error;
    if (!parse_scores(scores_text, n_candidates, j.scores, error)) return invalid(error);
    j.valid = true;
    j.principles = std::string(principles);
    j.critique = std::string(critique);
    return j;
}

}  // namespace tinyseek
