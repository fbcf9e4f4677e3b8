// Countdown: the exact expression evaluator, the verifier's number rule, and generated
// instances that are solvable with consistent traces.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "training/task_countdown.h"

namespace tinyseek {
namespace {

Problem countdown_problem(std::vector<std::int64_t> numbers, std::int64_t target) {
    Problem p;
    p.task = "countdown";
    p.operands = std::move(numbers);
    p.target = target;
    return p;
}

TEST(Countdown, EvaluatesWithPrecedenceExactly) {
    auto v = evaluate_expression("25+3*7");
    ASSERT_TRUE(v.defined) << v.error;
    EXPECT_EQ(v.num, 46);
    EXPECT_EQ(v.den, 1);
    EXPECT_EQ(v.literals, (std::vector<std::int64_t>{25, 3, 7}));

    v = evaluate_expression(" ( 25 - 7 ) * 3 ");
    EXPECT_TRUE(v.defined);
    EXPECT_EQ(v.num, 54);

    v = evaluate_expression("20-5-3");  // left to right: (20-5)-3
    EXPECT_EQ(v.num, 12);
    v = evaluate_expression("48/4/2");  // (48/4)/2
    EXPECT_EQ(v.num, 6);

    v = evaluate_expression("7/2");  // exact rational, no rounding
    EXPECT_TRUE(v.defined);
    EXPECT_EQ(v.num, 7);
    EXPECT_EQ(v.den, 2);
    v = evaluate_expression("1/3+1/6");
    EXPECT_EQ(v.num, 1);
    EXPECT_EQ(v.den, 2);
    v = evaluate_expression("3-10");
    EXPECT_EQ(v.num, -7);
    EXPECT_EQ(v.den, 1);
}

TEST(Countdown, BadExpressionsNeverThrow) {
    for (std::string_view bad : {"", "  ", "abc", "3+", "+3", "-3+5", "3 4", "(3+4", "3+4)", "3++4",
                                 "()", "3.5+1", "3+4=7", "3^2", "3x4", "<answer>3"}) {
        const auto v = evaluate_expression(bad);
        EXPECT_FALSE(v.parsed) << "'" << bad << "'";
        EXPECT_FALSE(v.error.empty()) << "'" << bad << "'";
        EXPECT_TRUE(v.literals.empty()) << "'" << bad << "'";
    }
    // Too deep or too long: refused before any recursion can hurt.
    const std::string deep = std::string(40, '(') + "3" + std::string(40, ')');
    EXPECT_FALSE(evaluate_expression(deep).parsed);
    std::string nested = std::string(20, '(') + "3" + std::string(20, ')');
    EXPECT_TRUE(evaluate_expression(nested).parsed);
    std::string longest = "1";
    while (longest.size() < 200) longest += "+1";
    EXPECT_FALSE(evaluate_expression(longest).parsed);
}

TEST(Countdown, DivisionByZeroAndOverflowAreParsedButUndefined) {
    auto v = evaluate_expression("7/(3-3)");
    EXPECT_TRUE(v.parsed);
    EXPECT_FALSE(v.defined);
    EXPECT_NE(v.error.find("division by zero"), std::string::npos) << v.error;

    v = evaluate_expression("999999999*999999999*999999999*999999999");
    EXPECT_TRUE(v.parsed);
    EXPECT_FALSE(v.defined);
    EXPECT_NE(v.error.find("64 bits"), std::string::npos) << v.error;

    // A literal far beyond 64 bits parses (it is a number) but can never be a given number.
    v = evaluate_expression("123456789012345678901234567890+1");
    EXPECT_TRUE(v.parsed);
    EXPECT_GT(v.literals.front(), 1000000000);
}

TEST(Countdown, VerifierAppliesTheNumberRule) {
    CountdownTask task(TaskOptions{});
    const Problem p = countdown_problem({3, 7, 25}, 46);
    auto check = [&](std::string_view a) { return task.check(p, a); };
    EXPECT_TRUE(check("25+3*7").correct);
    EXPECT_TRUE(check("3*7+25").correct);
    EXPECT_TRUE(check(" (25 + 7*3) ").correct);
    EXPECT_TRUE(check("025+3*7").correct);  // literal values are compared
    // Wrong value, parsed.
    EXPECT_TRUE(check("25+3+7").parsed);
    EXPECT_FALSE(check("25+3+7").correct);
    // Numbers not given, or a number used twice: wrong even when the value is right.
    EXPECT_FALSE(check("25+21").correct);
    EXPECT_FALSE(check("7*7-3").correct);
    EXPECT_FALSE(check("25*1+3*7").correct);
    EXPECT_FALSE(check("46").correct);
    // Garbage and division by zero: no throw, not correct.
    EXPECT_FALSE(check("(25+3*7").parsed);
    EXPECT_FALSE(check("7/(3-3)+25").correct);
    EXPECT_TRUE(check("7/(3-3)+25").parsed);

    // A number given twice may be used twice.
    const Problem twice = countdown_problem({7, 7, 3}, 46);
    EXPECT_TRUE(task.check(twice, "7*7-3").correct);
}

TEST(Countdown, SubsetsAllowedUnlessUseAllIsSet) {
    const Problem p = countdown_problem({3, 7, 25, 2}, 46);
    CountdownTask at_most_once(TaskOptions{});
    EXPECT_TRUE(at_most_once.check(p, "25+3*7").correct);
    TaskOptions all;
    all.countdown_use_all = true;
    CountdownTask exactly_once(all);
    EXPECT_FALSE(exactly_once.check(p, "25+3*7").correct);
    EXPECT_FALSE(exactly_once.check(p, "(25+3*7)*2/2").correct);  // 2 used twice
    EXPECT_TRUE(exactly_once.check(countdown_problem({3, 7, 25, 2}, 92), "(25+3*7)*2").correct);
}

TEST(Countdown, NonIntegerIntermediatesAreAllowed) {
    // 8/3 is not whole, but (8/3)*12 = 32 exactly: accepted, as in TinyZero.
    CountdownTask task(TaskOptions{});
    const Problem p = countdown_problem({3, 8, 12}, 32);
    EXPECT_TRUE(task.check(p, "8/3*12").correct);
    EXPECT_TRUE(task.check(p, "8*12/3").correct);
    // The final value must be the target exactly: 7/2 is not 3 or 4.
    EXPECT_FALSE(task.check(countdown_problem({7, 2, 1}, 3), "7/2").correct);
    EXPECT_FALSE(task.check(countdown_problem({7, 2, 1}, 4), "7/2").correct);
}

// Replays the trace steps "l op r=v" and checks the answer reaches the target.
void expect_consistent(const CountdownTask& task, const Problem& p) {
    ASSERT_TRUE(task.check(p, p.answer).correct) << p.prompt << " " << p.trace;
    const auto v = evaluate_expression(p.answer);
    ASSERT_TRUE(v.defined);
    ASSERT_EQ(v.den, 1);
    ASSERT_EQ(v.num, p.target);
    ASSERT_GE(p.target, 1);
    ASSERT_LE(p.target, task.options().max_target);
    ASSERT_EQ(std::count(p.operands.begin(), p.operands.end(), p.target), 0) << p.prompt;
    ASSERT_EQ(static_cast<int>(p.operands.size()), task.options().numbers);
    // The generated solution uses every number exactly once.
    auto lits = v.literals, nums = p.operands;
    std::sort(lits.begin(), lits.end());
    std::sort(nums.begin(), nums.end());
    ASSERT_EQ(lits, nums) << p.answer;

    const auto b = p.trace.find("<think>") + 7;
    std::istringstream steps(p.trace.substr(b, p.trace.find("</think>") - b));
    int n_steps = 0;
    std::int64_t last = 0;
    for (std::string step; steps >> step; ++n_steps) {
        std::istringstream in(step);
        std::int64_t l, r, value;
        char op, eq;
        in >> l >> op >> r >> eq >> value;
        ASSERT_EQ(eq, '=') << step;
        const std::int64_t expect = op == '+'   ? l + r
                                    : op == '-' ? l - r
                                    : op == '*' ? l * r
                                                : l / r;
        ASSERT_EQ(value, expect) << step;
        if (op == '/') {
            ASSERT_EQ(l % r, 0) << step;
        }
        ASSERT_GT(value, 0) << step;  // positive whole intermediates only
        last = value;
    }
    ASSERT_EQ(n_steps, task.options().numbers - 1) << p.trace;
    ASSERT_EQ(last, p.target);

    std::string prompt;
    for (std::size_t i = 0; i < p.operands.size(); ++i) {
        if (i) prompt += ' ';
        prompt += std::to_string(p.operands[i]);
    }
    ASSERT_EQ(p.prompt, prompt + " to " + std::to_string(p.target) + ":");
}

TEST(Countdown, GeneratedInstancesAreSolvableWithConsistentTraces) {
    for (int numbers : {3, 4}) {
        for (bool use_all : {false, true}) {
            TaskOptions o;
            o.numbers = numbers;
            o.countdown_use_all = use_all;
            CountdownTask task(o);
            Rng rng(numbers * 10 + use_all);
            std::vector<int> ops(256, 0);
            for (int n = 0; n < 1500; ++n) {
                const Problem p = task.sample(n % 4 ? Split::train : Split::held_out, rng);
                expect_consistent(task, p);
                if (HasFatalFailure()) return;
                for (char c : p.answer) ++ops[static_cast<unsigned char>(c)];
            }
            // Every operator shows up in the generated solutions.
            for (char op : {'+', '-', '*', '/'}) EXPECT_GT(ops[op], 20) << op;
        }
    }
}

}  // namespace
}  // namespace tinyseek
