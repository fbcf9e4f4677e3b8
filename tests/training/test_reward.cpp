// Rewards: accuracy and format reported separately, configurable weights, malformed output
// scored 0 and counted, never a throw.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "training/reward.h"
#include "training/task_arithmetic.h"
#include "training/task_countdown.h"

namespace tinyseek {
namespace {

class RewardTest : public ::testing::Test {
  protected:
    AdditionTask task{TaskOptions{}};
    Problem problem = task.make(123, 456);  // 579
    RewardBreakdown score(std::string_view completion, const RewardConfig& c = {}) {
        return score_completion(task, problem, completion, c);
    }
};

TEST_F(RewardTest, WellFormedCorrectAnswerGetsBoth) {
    const auto r = score("<think>3+6+0=9 2+5+0=7 1+4+0=5</think><answer>579</answer>");
    EXPECT_EQ(r.accuracy, 1.0);
    EXPECT_EQ(r.format, 1.0);
    EXPECT_DOUBLE_EQ(r.total, 1.1);  // defaults: 1.0 * accuracy + 0.1 * format
    EXPECT_FALSE(r.malformed);
}

TEST_F(RewardTest, WellFormedWrongAnswerGetsOnlyTheFormatBonus) {
    const auto r = score("<think>guess</think><answer>578</answer>");
    EXPECT_EQ(r.accuracy, 0.0);
    EXPECT_EQ(r.format, 1.0);
    EXPECT_DOUBLE_EQ(r.total, 0.1);
    EXPECT_FALSE(r.malformed);
}

TEST_F(RewardTest, BadTagsLoseTheFormatButNotTheAccuracy) {
    struct Case {
        const char* completion;
        double accuracy;
    };
    for (const Case& c : {
             Case{"<answer>579</answer>", 1.0},                                    // no think
             Case{"<think>x</think><answer>579</answer>junk", 1.0},                // text after
             Case{"<think>x</think><answer>579</answer> ", 1.0},                   // even a space
             Case{"so <think>x</think><answer>579</answer>", 1.0},                 // text before
             Case{"<think>x</think> <answer>579</answer>", 1.0},                   // gap between
             Case{"<think>x<think>y</think><answer>579</answer>", 1.0},            // nested think
             Case{"<think>x</think><answer>1</answer><answer>579</answer>", 1.0},  // last counts
             Case{"<think>x</think><answer>579</answer><answer>1</answer>", 0.0},
             Case{"<think>x</think><answer>0579</answer><eos>", 1.0},
         }) {
        const auto r = score(c.completion);
        EXPECT_EQ(r.format, 0.0) << c.completion;
        EXPECT_EQ(r.accuracy, c.accuracy) << c.completion;
        EXPECT_DOUBLE_EQ(r.total, c.accuracy) << c.completion;
        EXPECT_FALSE(r.malformed) << c.completion;
    }
}

TEST_F(RewardTest, MalformedOutputScoresZeroAndIsFlagged) {
    const std::string binary("<answer>\0\xff\x01</answer>", 20);
    for (std::string_view bad : {
             std::string_view(""),
             std::string_view("579"),                                   // no tags at all
             std::string_view("<think>3+6=9</think>579"),               // missing <answer>
             std::string_view("<think>x</think><answer>579"),           // unclosed answer
             std::string_view("<think>x</think>579</answer>"),          // no opening tag
             std::string_view("</answer>579<answer>"),                  // tags reversed
             std::string_view("<think>x</think><answer></answer>"),     // empty answer
             std::string_view("<think>x</think><answer>abc</answer>"),  // not a number
             std::string_view("<think>x</think><answer>5 79</answer>"),
             std::string_view(binary),
         }) {
        RewardBreakdown r;
        ASSERT_NO_THROW(r = score(bad)) << bad;
        EXPECT_TRUE(r.malformed) << bad;
        EXPECT_EQ(r.accuracy, 0.0) << bad;
        EXPECT_EQ(r.format, 0.0) << bad;
        EXPECT_EQ(r.total, 0.0) << bad;
    }
}

TEST_F(RewardTest, HugeAnswersDoNotOverflow) {
    const std::string huge = "<think>x</think><answer>" + std::string(300, '9') + "</answer>";
    RewardBreakdown r;
    ASSERT_NO_THROW(r = score(huge));
    EXPECT_EQ(r.accuracy, 0.0);
    EXPECT_EQ(r.format, 1.0);
    EXPECT_FALSE(r.malformed);
}

TEST_F(RewardTest, WeightsAreConfigurable) {
    RewardConfig c;
    c.accuracy_weight = 2.0;
    c.format_weight = 0.5;
    EXPECT_DOUBLE_EQ(score("<think>a</think><answer>579</answer>", c).total, 2.5);
    EXPECT_DOUBLE_EQ(score("<think>a</think><answer>5</answer>", c).total, 0.5);
    c.format_weight = 0.0;
    EXPECT_DOUBLE_EQ(score("<think>a</think><answer>5</answer>", c).total, 0.0);
    EXPECT_EQ(score("<think>a</think><answer>5</answer>", c).format, 1.0);  // still reported

    const RewardConfig back = RewardConfig::from_json(nlohmann::json{{"format_weight", 0.2}});
    EXPECT_EQ(back.format_weight, 0.2);
    EXPECT_EQ(back.accuracy_weight, 1.0);
    EXPECT_EQ(RewardConfig::from_json(c.to_json()).accuracy_weight, 2.0);
    EXPECT_THROW(RewardConfig::from_json(nlohmann::json{{"format", 0.2}}), ConfigError);
    EXPECT_THROW(RewardConfig::from_json(nlohmann::json{{"format_weight", -1}}), ConfigError);
    EXPECT_THROW(RewardConfig::from_json(nlohmann::json{{"format_weight", "x"}}), ConfigError);
}

TEST_F(RewardTest, TallyCountsMalformedAndAverages) {
    RewardTally t;
    t.add(score("<think>a</think><answer>579</answer>"));
    t.add(score("<think>a</think><answer>1</answer>"));
    t.add(score("garbage"));
    t.add(score("<answer>579</answer>"));
    EXPECT_EQ(t.count, 4);
    EXPECT_EQ(t.malformed, 1);
    EXPECT_DOUBLE_EQ(t.mean_accuracy(), 0.5);
    EXPECT_DOUBLE_EQ(t.mean_format(), 0.5);
    EXPECT_DOUBLE_EQ(t.mean_total(), (1.1 + 0.1 + 0.0 + 1.0) / 4);
    EXPECT_DOUBLE_EQ(t.malformed_fraction(), 0.25);
    EXPECT_EQ(RewardTally{}.mean_total(), 0.0);
}

TEST(Reward, ParseCompletionFindsTheLastAnswer) {
    auto p = parse_completion("<think>t</think><answer>42</answer>");
    EXPECT_TRUE(p.has_answer);
    EXPECT_TRUE(p.well_formed);
    EXPECT_EQ(p.answer, "42");
    p = parse_completion("<answer>1</answer> and <answer>2</answer>");
    EXPECT_EQ(p.answer, "2");
    EXPECT_FALSE(p.well_formed);
    p = parse_completion("<think></think><answer></answer>");
    EXPECT_TRUE(p.well_formed);  // structure only; the empty answer is judged by the task
    EXPECT_EQ(p.answer, "");
    EXPECT_FALSE(parse_completion("<think>t</think>").has_answer);
}

TEST(Reward, EveryTasksOwnTraceEarnsFullReward) {
    for (const std::string& name : task_names()) {
        auto task = make_task(name);
        Rng rng(17);
        for (int n = 0; n < 300; ++n) {
            const Problem p = task->sample(Split::train, rng);
            const auto r = score_completion(*task, p, p.trace);
            ASSERT_EQ(r.accuracy, 1.0) << name << " " << p.trace;
            ASSERT_EQ(r.format, 1.0) << name << " " << p.trace;
            ASSERT_FALSE(r.malformed);
        }
    }
}

TEST(Reward, RandomOutputNeverThrowsAndKeepsInvariants) {
    // Fuzz with the task alphabet plus tags and a few stray bytes.
    const std::vector<std::string> pieces = {
        "<think>", "</think>", "<answer>", "</answer>", "1", "9",  "0", "-",  "+",    "*",
        "/",       "(",        ")",        " ",         "=", "to", ":", "\n", "\xff", "<"};
    Rng rng(2024);
    for (const std::string& name : task_names()) {
        auto task = make_task(name);
        const Problem p = task->sample(Split::train, rng);
        for (int n = 0; n < 3000; ++n) {
            std::string s;
            const auto len = uniform_int(rng, 0, 12);
            for (int i = 0; i < len; ++i) {
                s += pieces[uniform_int(rng, 0, static_cast<std::int64_t>(pieces.size()) - 1)];
            }
            RewardBreakdown r;
            ASSERT_NO_THROW(r = score_completion(*task, p, s)) << s;
            if (r.malformed) {
                ASSERT_EQ(r.total, 0.0) << s;
            }
            if (r.format == 1.0) {
                ASSERT_TRUE(parse_completion(s).well_formed) << s;
            }
            ASSERT_TRUE(r.accuracy == 0.0 || r.accuracy == 1.0);
        }
    }
}

}  // namespace
}  // namespace tinyseek
