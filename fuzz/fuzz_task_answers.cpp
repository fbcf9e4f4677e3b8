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
#include <numeric>
#include <string>
#include <string_view>

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::vector<std::string> names = task_names();
    if (size < 2) return 0;
    const std::unique_ptr<Task> task = make_task(names[data[0] % names.size()]);
    Rng rng(data[1]);
    const Problem problem = task->sample(data[1] % 2 ? Split::train : Split::held_out, rng);
    if (!task->check(problem, problem.answer).correct) std::abort();

    const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
    check_completion(*task, problem, text);
    check_answer(*task, problem, text);
    check_expression(text);
    return 0;
}
