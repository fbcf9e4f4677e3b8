// Completion styles: the styled traces of every task written out by hand, the verifier on them,
// the cold-start mixture's shares and determinism, its options, how a completion is classified,
// and the style metrics against hand-computed values.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "training/reward.h"
#include "training/task.h"
#include "training/task_arithmetic.h"
#include "training/task_countdown.h"
#include "training/trace_style.h"
#include "training/train_config.h"

namespace tinyseek {
namespace {

TEST(TraceStyle, AdditionInEachStyle) {
    const AdditionTask task(TaskOptions{});
    const Problem p = task.make(57, 68);
    EXPECT_EQ(styled_trace(task, p, TraceStyle::worked, 1),
              "<think>7+8+0=15 5+6+1=12</think><answer>125</answer>");
    EXPECT_EQ(styled_trace(task, p, TraceStyle::partial, 1),
              "<think>5+6+1=12</think><answer>125</answer>");
    EXPECT_EQ(styled_trace(task, p, TraceStyle::partial, 5),
              "<think>7+8+0=15 5+6+1=12</think><answer>125</answer>");
    EXPECT_EQ(styled_trace(task, p, TraceStyle::direct, 1), "<think></think><answer>125</answer>");
}

TEST(TraceStyle, SubtractionAndMultiplicationKeepTheirLastSteps) {
    const SubtractionTask sub(TaskOptions{});
    // "-(57-12) 7-2-0=5 5-1-0=4": the sign step is the first, so two kept steps drop it.
    EXPECT_EQ(styled_trace(sub, sub.make(12, 57), TraceStyle::partial, 2),
              "<think>7-2-0=5 5-1-0=4</think><answer>-45</answer>");
    EXPECT_EQ(styled_trace(sub, sub.make(12, 57), TraceStyle::direct, 2),
              "<think></think><answer>-45</answer>");
    const MultiplicationTask mul(TaskOptions{});
    EXPECT_EQ(styled_trace(mul, mul.make(47, 23), TraceStyle::partial, 1),
              "<think>141+940=1081</think><answer>1081</answer>");
}

TEST(TraceStyle, CountdownAnswersDirectlyWithItsExpression) {
    const std::unique_ptr<Task> task = make_task("countdown");
    Rng rng(3);
    const Problem p = task->sample(Split::train, rng);
    const std::string direct = styled_trace(*task, p, TraceStyle::direct, 1);
    EXPECT_EQ(direct, "<think></think><answer>" + p.answer + "</answer>");
    // The direct trace is a well-formed, right completion for the verifier.
    const RewardBreakdown r = score_completion(*task, p, direct);
    EXPECT_EQ(r.accuracy, 1.0);
    EXPECT_EQ(r.format, 1.0);
}

// A search trace: whole attempts "expression=value" over all the numbers, every value right
// (an independent evaluator), the misses off target, and the last the answer at the target.
TEST(TraceStyle, CountdownSearchTriesExpressionsUntilOneReachesTheTarget) {
    const std::unique_ptr<Task> task = make_task("countdown");
    Rng rng(11);
    int with_misses = 0;
    for (int i = 0; i < 200; ++i) {
        const Problem p = task->sample(Split::train, rng);
        const std::string think = task->search_think(p);
        EXPECT_EQ(think, task->search_think(p));  // a pure function of the problem
        std::vector<std::string> attempts;
        std::istringstream in(think);
        for (std::string a; in >> a;) attempts.push_back(a);
        ASSERT_GE(attempts.size(), 1u);
        ASSERT_LE(attempts.size(), 3u);
        with_misses += attempts.size() > 1;
        for (std::size_t k = 0; k < attempts.size(); ++k) {
            const auto eq = attempts[k].rfind('=');
            const ExpressionValue v = evaluate_expression(attempts[k].substr(0, eq));
            ASSERT_TRUE(v.defined) << attempts[k];
            EXPECT_EQ(v.den, 1) << attempts[k];
            EXPECT_EQ(std::to_string(v.num), attempts[k].substr(eq + 1)) << attempts[k];
            std::vector<std::int64_t> used = v.literals, given = p.operands;
            std::sort(used.begin(), used.end());
            std::sort(given.begin(), given.end());
            EXPECT_EQ(used, given) << attempts[k];
            const bool last = k + 1 == attempts.size();
            EXPECT_EQ(v.num == p.target, last) << p.prompt << " " << think;
        }
        EXPECT_EQ(attempts.back(), p.answer + "=" + std::to_string(p.target));
        const std::string trace = styled_trace(*task, p, TraceStyle::search, 1);
        EXPECT_EQ(trace, "<think>" + think + "</think><answer>" + p.answer + "</answer>");
        EXPECT_EQ(score_completion(*task, p, trace).accuracy, 1.0);
    }
    EXPECT_GT(with_misses, 100);  // two of three draws try and miss at least once
    // Arithmetic tasks have no search trace: a search share is refused when the task is made.
    TaskOptions o;
    o.styles.search = 1.0;
    EXPECT_THROW(make_task("addition", o), ConfigError);
    EXPECT_NO_THROW(make_task("countdown", o));
    // And by the training config's validation, before a run is created.
    TrainConfig c;
    c.task_options = o;
    EXPECT_THROW(c.validate(), ConfigError);
    c.task = "countdown";
    EXPECT_NO_THROW(c.validate());
}

TEST(TraceStyle, EveryStyleScoresAsRightAndWellFormed) {
    const std::unique_ptr<Task> task = make_task("multiplication");
    Rng rng(5);
    for (int i = 0; i < 50; ++i) {
        const Problem p = task->sample(Split::train, rng);
        for (TraceStyle style : {TraceStyle::worked, TraceStyle::partial, TraceStyle::direct}) {
            const RewardBreakdown r = score_completion(*task, p, styled_trace(*task, p, style, 1));
            EXPECT_EQ(r.accuracy, 1.0) << p.prompt << " " << to_string(style);
            EXPECT_EQ(r.format, 1.0) << p.prompt << " " << to_string(style);
        }
    }
}

TEST(TraceStyle, ColdStartMixtureHoldsItsSharesAndIsAFunctionOfTheProblem) {
    const std::unique_ptr<Task> task = make_task("addition");
    const StyleMix mix{.worked = 2.0, .partial = 1.0, .search = 0.0, .direct = 1.0};
    std::map<TraceStyle, int> counts;
    const std::vector<Problem> problems = distinct_problems(*task, Split::train, 4000, 9);
    for (const Problem& p : problems) {
        const TraceStyle style = cold_start_style(p, mix);
        EXPECT_EQ(style, cold_start_style(p, mix));
        ++counts[style];
        const Problem styled = in_cold_start_style(*task, p, mix);
        EXPECT_EQ(styled.trace, styled_trace(*task, p, style, 1));
        EXPECT_EQ(styled.key, p.key);
    }
    // Binomial standard deviations are at most 32 of 4000 here; 4 of them is a wide margin.
    EXPECT_NEAR(counts[TraceStyle::worked], 2000, 130);
    EXPECT_NEAR(counts[TraceStyle::partial], 1000, 130);
    EXPECT_NEAR(counts[TraceStyle::direct], 1000, 130);
    // The default keeps every trace worked.
    for (int i = 0; i < 100; ++i)
        EXPECT_EQ(in_cold_start_style(*task, problems[i], StyleMix{}).trace, problems[i].trace);
}

// Golden values: a problem's style and search are functions of its key alone, the same on
// every machine and build (a change here silently changes every styled run's data).
TEST(TraceStyle, StylesAndSearchesAreStableAcrossBuilds) {
    const AdditionTask addition(TaskOptions{});
    const StyleMix half{.worked = 1.0, .partial = 0.0, .search = 0.0, .direct = 1.0};
    EXPECT_EQ(cold_start_style(addition.make(57, 68), half), TraceStyle::worked);
    EXPECT_EQ(cold_start_style(addition.make(100, 200), half), TraceStyle::direct);
    EXPECT_EQ(cold_start_style(addition.make(999, 1), half), TraceStyle::direct);
    EXPECT_EQ(cold_start_style(addition.make(345, 678), half), TraceStyle::worked);
    const std::unique_ptr<Task> countdown = make_task("countdown");
    Rng rng(3);
    Problem p;
    for (int i = 0; i < 3; ++i) p = countdown->sample(Split::train, rng);
    ASSERT_EQ(p.prompt, "19 17 13 to 49:");
    EXPECT_EQ(countdown->search_think(p), "(17-13)*19=76 17-13+19=23 13+17+19=49");
}

TEST(TraceStyle, OptionsReadWriteAndRejectNonsense) {
    const StyleMix mix =
        StyleMix::from_json(nlohmann::json::parse(R"({"worked": 0.5, "direct": 0.5})"));
    EXPECT_EQ(mix.worked, 0.5);
    EXPECT_EQ(mix.direct, 0.5);
    EXPECT_EQ(mix.partial, 0.0);
    EXPECT_FALSE(mix.only_worked());
    EXPECT_EQ(StyleMix::from_json(mix.to_json()), mix);
    for (const char* bad :
         {R"({"worked": -1})", R"({"search": -0.5})", R"({"worked": 0})", R"({"think": 1})",
          R"({"direct": "half"})", R"({"partial_steps": 0})", R"({"partial_steps": 65})",
          R"({"partial_steps": 1.5})", R"({"partial_steps": -3})", "[1]"}) {
        EXPECT_THROW(StyleMix::from_json(nlohmann::json::parse(bad)), ConfigError) << bad;
    }
    // Inside the task options, and absent = worked only.
    const TaskOptions o = TaskOptions::from_json(
        nlohmann::json::parse(R"({"digits": 3, "styles": {"worked": 1, "direct": 1}})"));
    EXPECT_EQ(o.styles.direct, 1.0);
    EXPECT_EQ(TaskOptions::from_json(o.to_json()).styles, o.styles);
    EXPECT_TRUE(TaskOptions::from_json(nlohmann::json::object()).styles.only_worked());
    // The default mixture is not written, so configs stored before styles keep their JSON.
    EXPECT_FALSE(TaskOptions{}.to_json().contains("styles"));
    EXPECT_TRUE(o.to_json().contains("styles"));
    EXPECT_THROW(TaskOptions::from_json(nlohmann::json::parse(R"({"styles": {"direct": -2}})")),
                 ConfigError);
}

TEST(TraceStyle, CompletionThinksOnlyWithStepsInItsThinkBlock) {
    struct Case {
        const char* text;
        bool thinks;
        int steps;
    };
    for (const Case& c : {Case{"<think>7+8+0=15 5+6+1=12</think><answer>125</answer>", true, 2},
                          Case{"<think>5+6+1=12</think><answer>125</answer>", true, 1},
                          Case{"<think></think><answer>125</answer>", false, 0},
                          Case{"<think>   </think><answer>125</answer>", false, 0},
                          Case{"<answer>125</answer>", false, 0},
                          // Cut off while thinking, or no </think>: what it wrote counts.
                          Case{"<think>7+8+0=15 5+6", true, 2},
                          Case{"<think>5+6+1=12<answer>125</answer>", true, 1},
                          Case{"<think><answer>125</answer>", false, 0}, Case{"", false, 0},
                          Case{"<think> 1+2=3  4 </think>", true, 2},
                          Case{"<think>\n\t</think><answer>1</answer>", false, 0},
                          Case{"<think>1+2=3\n4+5=9</think>", true, 2}}) {
        const CompletionStyle s = completion_style(c.text);
        EXPECT_EQ(s.thinks, c.thinks) << c.text;
        EXPECT_EQ(s.steps, c.steps) << c.text;
    }
}

TEST(TraceStyle, TallyWritesHandComputedMetrics) {
    StyleTally t;
    t.add("<think>1+2+0=3</think><answer>3</answer>", 20, 1.0);
    t.add("<think>1+2+0=4</think><answer>4</answer>", 30, 0.0);
    t.add("<think>1+2+0=3 0+0+0=0</think><answer>3</answer>", 40, 1.0);
    t.add("<think></think><answer>3</answer>", 10, 1.0);
    EXPECT_DOUBLE_EQ(t.think_share(), 0.75);
    EXPECT_DOUBLE_EQ(t.mean_length(), 25.0);
    const StyleMetricNames names{"share", "len", "len_t", "len_d", "acc_t", "acc_d"};
    std::map<std::string, double> m;
    write_style_metrics(t, names, m);
    EXPECT_DOUBLE_EQ(m.at("share"), 0.75);
    EXPECT_DOUBLE_EQ(m.at("len"), 25.0);
    EXPECT_DOUBLE_EQ(m.at("len_t"), 30.0);
    EXPECT_DOUBLE_EQ(m.at("len_d"), 10.0);
    EXPECT_DOUBLE_EQ(m.at("acc_t"), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(m.at("acc_d"), 1.0);
    // Nobody answered directly: no direct length or accuracy, rather than a made-up 0.
    StyleTally thinking_only;
    thinking_only.add("<think>1+1+0=2</think><answer>2</answer>", 12, 1.0);
    std::map<std::string, double> m2;
    write_style_metrics(thinking_only, {"share", nullptr, "len_t", "len_d", "acc_t", "acc_d"}, m2);
    EXPECT_EQ(m2.size(), 3u);
    EXPECT_EQ(m2.at("share"), 1.0);
    EXPECT_EQ(m2.count("len_d"), 0u);
    EXPECT_EQ(m2.count("acc_d"), 0u);
}

}  // namespace
}  // namespace tinyseek
