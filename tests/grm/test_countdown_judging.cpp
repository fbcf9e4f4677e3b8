// Judge items of Countdown questions and of a mix of tasks: wrong candidates wrong by the
// task's own verifier, the critique's evaluation against hand-computed values and against the
// verifier's independent parser, and the mix's weights and splits.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/tokenizer.h"
#include "training/grm/countdown_judging.h"
#include "training/grm/format.h"
#include "training/grm/judge_task.h"
#include "training/grm/lab_config.h"
#include "training/grm/question_mix.h"
#include "training/task_countdown.h"

namespace tinyseek {
namespace {

Problem countdown_problem(std::vector<std::int64_t> numbers, std::int64_t target,
                          std::string answer) {
    Problem p;
    p.task = "countdown";
    p.operands = std::move(numbers);
    p.target = target;
    p.answer = std::move(answer);
    return p;
}

TEST(GrmCountdown, CritiqueByHand) {
    JudgeItem it;
    it.problem = countdown_problem({3, 7, 25}, 46, "25+3*7");
    it.candidates = {"25+3*7", "25+3*8", "25+3*3", "25-3*7"};
    it.best = 0;
    EXPECT_EQ(judge_principles(it), "reach 46 with 3 7 25");
    EXPECT_EQ(judge_critique(it),
              "a=25+3*7: 3*7=21 25+21=46 6/6 4/4 ok b=25+3*8: 8 not given no "
              "c=25+3*3: 3 twice no d=25-3*7: 3*7=21 25-21=4 4/6 no");
    // Parentheses first, non-integer values as p/q, a division by zero undefined.
    const Problem q = countdown_problem({3, 7, 5, 5}, 22, "(3+7/5)*5");
    EXPECT_EQ(countdown_verdict(q, "(3+7/5)*5"), "7/5=7/5 3+7/5=22/5 22/5*5=22 2/2 2/2 ok");
    EXPECT_EQ(countdown_verdict(q, "(3+7)*5"), "3+7=10 10*5=50 0/2 no");
    const Problem z = countdown_problem({3, 7, 5}, 2, "7-5");
    EXPECT_EQ(countdown_verdict(z, "7/(5-5)"), "5 twice no");
    const Problem d = countdown_problem({3, 7, 4, 4}, 2, "7-5");
    EXPECT_EQ(countdown_verdict(d, "7/(4-4)"), "4-4=0 7/0 undefined no");
    const Problem r = countdown_problem({12, 4, 3}, 9, "12-4+3-2");
    EXPECT_EQ(countdown_verdict(r, "4-12"), "4-12=-8 8/9 no");
}

TEST(GrmCountdown, WrongCandidatesAreWrongByTheVerifier) {
    const auto task = make_task("countdown");
    const auto& countdown = dynamic_cast<const CountdownTask&>(*task);
    std::map<std::string, int> kinds;
    for (const JudgeItem& it : judge_items(*task, Split::train, 300, 9, {})) {
        int right = 0;
        for (int c = 0; c < it.size(); ++c) {
            const AnswerCheck check = countdown.check(it.problem, it.candidates[c]);
            EXPECT_TRUE(check.parsed) << it.candidates[c];
            EXPECT_EQ(check.correct, c == it.best) << it.key;
            right += check.correct;
            ++kinds[it.kinds[c]];
            // The verdict says ok exactly for the right candidate.
            const std::string verdict = countdown_verdict(it.problem, it.candidates[c]);
            EXPECT_EQ(verdict.size() >= 3 && verdict.substr(verdict.size() - 3) == " ok",
                      c == it.best)
                << it.candidates[c] << " -> " << verdict;
        }
        EXPECT_EQ(right, 1) << it.key;
    }
    for (const std::string& kind : countdown_wrong_kinds()) EXPECT_GT(kinds[kind], 30) << kind;
    EXPECT_EQ(kinds["correct"], 300);
}

TEST(GrmCountdown, EvaluationStepsAgreeWithTheVerifiersParser) {
    // The last step's value, read back from the critique, against evaluate_expression (the
    // task's own parser, written separately) for every candidate that uses given numbers.
    const auto task = make_task("countdown");
    int compared = 0;
    for (const JudgeItem& it : judge_items(*task, Split::train, 300, 4, {})) {
        for (const std::string& c : it.candidates) {
            const std::string verdict = countdown_verdict(it.problem, c);
            if (verdict.find("given") != std::string::npos ||
                verdict.find("twice") != std::string::npos)
                continue;
            const ExpressionValue v = evaluate_expression(c);
            ASSERT_TRUE(v.defined) << c;
            // "... 25+21=46 6/6 4/4 ok": the value follows the last '=' before the pairs.
            const std::string steps = verdict.substr(0, verdict.find(' ', verdict.rfind('=')));
            const std::string value = steps.substr(steps.rfind('=') + 1);
            const std::string want = v.den == 1
                                         ? std::to_string(v.num)
                                         : std::to_string(v.num) + "/" + std::to_string(v.den);
            EXPECT_EQ(value, want) << c << " -> " << verdict;
            ++compared;
        }
    }
    EXPECT_GT(compared, 400);
}

TEST(GrmQuestionMix, WeightsSplitsAndErrors) {
    TaskOptions o;
    o.digits = 3;
    const QuestionWeights weights = {{"addition", 1.0}, {"countdown", 3.0}};
    const QuestionMix mix(weights, o);
    const auto countdown = make_task("countdown", o);
    const auto addition = make_task("addition", o);
    std::map<std::string, int> count;
    Rng rng(3);
    for (int i = 0; i < 4000; ++i) {
        const Problem p = mix.sample(Split::held_out, rng);
        ++count[p.task];
        // Held out in the mix means held out for the task alone.
        const Task& alone = p.task == "countdown" ? *countdown : *addition;
        EXPECT_EQ(alone.split_of(p.key), Split::held_out) << p.key;
        EXPECT_TRUE(mix.check(p, p.answer).correct) << p.key;
    }
    EXPECT_EQ(count.size(), 2u);
    EXPECT_NEAR(count["countdown"] / 4000.0, 0.75, 0.03);
    Problem of_task;
    of_task.task = "addition";
    EXPECT_EQ(&question_task(mix, of_task), mix.part("addition"));
    of_task.task = "subtraction";
    EXPECT_THROW(question_task(mix, of_task), Error);

    EXPECT_THROW(QuestionMix({}, o), ConfigError);
    EXPECT_THROW(QuestionMix({{"addition", 0.0}}, o), ConfigError);
    EXPECT_THROW(QuestionMix({{"division", 1.0}}, o), ConfigError);
    EXPECT_THROW(question_weights_from_json(nlohmann::json{{"addition", "x"}}, "t"), ConfigError);
    EXPECT_EQ(question_weights_from_json(to_json(weights), "t"), weights);
    // A judge task is not a question source.
    const JudgeTask judge(std::shared_ptr<const Task>(make_task("addition")), {});
    EXPECT_THROW(check_judgeable(judge), ConfigError);
}

TEST(GrmQuestionMix, EveryItemFitsTheJudgesBudget) {
    // The longest judgments come from Countdown (every candidate evaluated) and multiplication:
    // 3,000 items of the 3-digit mix, each within the lab's generation budget and, with <bos>
    // and the prompt, the tiny model's context.
    const Tokenizer tok;
    GrmLabConfig lab;
    lab.task_options.digits = 3;
    const auto mix = make_question_source("mix", lab.mix, lab.task_options);
    std::size_t longest = 0;
    for (const JudgeItem& it : judge_items(*mix, Split::train, 3000, 21, {})) {
        if (it.problem.task == "countdown") {
            EXPECT_LE(it.size(), kMaxCountdownCandidates);
        }
        const std::size_t judgment = tok.encode(judge_trace(it)).size() + 1;
        EXPECT_LE(judgment, std::size_t(lab.max_new_tokens)) << judge_trace(it);
        const std::size_t all = 1 + tok.encode(judge_prompt(it)).size() + judgment;
        EXPECT_LE(all, std::size_t(lab.model.max_position_embeddings)) << judge_trace(it);
        longest = std::max(longest, all);
    }
    EXPECT_GT(longest, 200u);  // the budget is used, not far off
}

}  // namespace
}  // namespace tinyseek
