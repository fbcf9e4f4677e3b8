// libFuzzer target: the answer parsers of the training tasks. Byte 0 picks the task
// (addition, subtraction, multiplication, countdown), byte 1 seeds the problem; the rest is
// the completion the model wrote. Nothing here may throw. Checked against independent rules:
// - parse_completion's views lie inside the text, a well-formed completion has an answer;
// - score_completion's parts are 0/1 and all 0 when malformed;
// - a correct arithmetic answer is, spaces trimmed, an integer equal to the ground truth
//   (compared digit by digit here, not with the task's own canonical form);
// - a correct Countdown answer evaluates to exactly the target; evaluate_expression gives a
//   reduced fraction with a positive denominator whenever it is defined.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "training/reward.h"
#include "training/task.h"
#include "training/task_countdown.h"

using namespace tinyseek;

namespace {

// The integer an arithmetic answer must spell: spaces around, an optional '-', digits, any
// number of leading zeros; "-0" is 0.
bool spells_integer(std::string_view s, const std::string& truth) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    const bool negative = !s.empty() && s.front() == '-';
    if (negative) s.remove_prefix(1);
    if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) return false;
    while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
    const std::string value = (negative && s != "0") ? "-" + std::string(s) : std::string(s);
    return value == truth;
}

void check_expression(std::string_view text) {
    const ExpressionValue v = evaluate_expression(text);
    if (v.defined && (!v.parsed || v.den <= 0 || std::gcd(v.num, v.den) != 1)) std::abort();
    if (!v.defined && v.error.empty()) std::abort();
}

void check_answer(const Task& task, const Problem& problem, std::string_view answer) {
    const AnswerCheck c = task.check(problem, answer);
    if (c.correct && !c.parsed) std::abort();
    if (task.name() != "countdown") {
        if (c.correct != spells_integer(answer, problem.answer)) std::abort();
        return;
    }
    if (!c.correct) return;
    const ExpressionValue v = evaluate_expression(answer);
    if (!v.defined || v.den != 1 || v.num != problem.target) std::abort();
}

void check_completion(const Task& task, const Problem& problem, std::string_view text) {
    const ParsedCompletion p = parse_completion(text);
    if (p.well_formed && !p.has_answer) std::abort();
    if (p.has_answer && (p.answer.data() < text.data() ||
                         p.answer.data() + p.answer.size() > text.data() + text.size()))
        std::abort();
    const RewardBreakdown r = score_completion(task, problem, text);
    if ((r.accuracy != 0.0 && r.accuracy != 1.0) || (r.format != 0.0 && r.format != 1.0))
        std::abort();
    if (r.malformed && (r.accuracy != 0.0 || r.format != 0.0 || r.total != 0.0)) std::abort();
    if (p.has_answer) check_answer(task, problem, p.answer);
}

// The task and problem an input's first two bytes name. Problems are drawn once per pair and
// kept: drawing (Countdown's solvable instances above all) costs far more than checking.
struct Case {
    const Task* task;
    const Problem* problem;
};

Case case_of(uint8_t task_byte, uint8_t seed_byte) {
    static const std::vector<std::string> names = task_names();
    static std::vector<std::unique_ptr<Task>> tasks;
    static std::map<std::pair<std::size_t, uint8_t>, Problem> problems;
    if (tasks.empty())
        for (const std::string& name : names) tasks.push_back(make_task(name));
    const std::size_t t = task_byte % names.size();
    auto [it, drawn] = problems.try_emplace({t, seed_byte});
    if (drawn) {
        Rng rng(seed_byte);
        it->second = tasks[t]->sample(seed_byte % 2 ? Split::train : Split::held_out, rng);
        if (!tasks[t]->check(it->second, it->second.answer).correct) std::abort();
    }
    return {tasks[t].get(), &it->second};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    const Case c = case_of(data[0], data[1]);
    const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
    check_completion(*c.task, *c.problem, text);
    check_answer(*c.task, *c.problem, text);
    check_expression(text);
    return 0;
}
