// Judge items, the judge's output format, the synthetic trace and the score parser.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/tokenizer.h"
#include "training/grm/format.h"
#include "training/grm/items.h"
#include "training/grm/lab_config.h"
#include "training/grm/question_mix.h"
#include "training/task_arithmetic.h"

namespace tinyseek {
namespace {

TEST(GrmItems, OneCorrectCandidateDistinctAndDeterministic) {
    const auto task = make_task("addition");
    const JudgeItemOptions options;
    const std::vector<JudgeItem> items = judge_items(*task, Split::held_out, 300, 11, options);
    const std::vector<JudgeItem> again = judge_items(*task, Split::held_out, 300, 11, options);
    ASSERT_EQ(items.size(), 300u);
    std::set<std::string> kinds;
    std::vector<int> sizes(5, 0), best_at(4, 0);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const JudgeItem& it = items[i];
        EXPECT_EQ(it.key, again[i].key);
        EXPECT_EQ(it.problem.split, Split::held_out);
        ASSERT_GE(it.size(), 2);
        ASSERT_LE(it.size(), 4);
        ++sizes[it.size()];
        ++best_at[it.best];
        int correct = 0;
        for (int c = 0; c < it.size(); ++c) {
            const AnswerCheck check = task->check(it.problem, it.candidates[c]);
            EXPECT_TRUE(check.parsed) << it.candidates[c];
            correct += check.correct;
            EXPECT_EQ(check.correct, c == it.best);
            EXPECT_EQ(it.kinds[c] == "correct", c == it.best);
            kinds.insert(it.kinds[c]);
        }
        EXPECT_EQ(correct, 1) << it.key;
        std::set<std::string> unique(it.candidates.begin(), it.candidates.end());
        EXPECT_EQ(unique.size(), it.candidates.size()) << it.key;
    }
    // Every wrong-answer kind occurs, every size 2..4 occurs, and the truth is not always at
    // the same position (the candidates are shuffled).
    EXPECT_EQ(kinds, (std::set<std::string>{"correct", "carry", "swap", "operand", "digit"}));
    for (int n = 2; n <= 4; ++n) EXPECT_GT(sizes[n], 50) << n;
    for (int b = 0; b < 4; ++b) EXPECT_GT(best_at[b], 20) << b;
}

TEST(GrmItems, TrainAndHeldOutQuestionsAreDisjoint) {
    const auto task = make_task("addition");
    const auto train = judge_items(*task, Split::train, 400, 3, {});
    const auto held = judge_items(*task, Split::held_out, 400, 3, {});
    std::set<std::string> train_keys;
    for (const auto& it : train) {
        EXPECT_EQ(it.problem.split, Split::train);
        train_keys.insert(it.problem.key);
    }
    for (const auto& it : held) EXPECT_EQ(train_keys.count(it.problem.key), 0u) << it.key;
}

TEST(GrmItems, SmallSplitsReuseQuestionsWithOtherCandidates) {
    // 1-digit addition has 55 unordered questions; its held-out tenth holds only a few, so 40
    // items must reuse them with other candidate sets, every item distinct and held-out.
    TaskOptions o;
    o.digits = 1;
    const auto task = make_task("addition", o);
    const auto items = judge_items(*task, Split::held_out, 40, 5, {});
    ASSERT_EQ(items.size(), 40u);
    std::set<std::string> keys, questions;
    for (const JudgeItem& it : items) {
        EXPECT_EQ(it.problem.split, Split::held_out);
        keys.insert(it.key);
        questions.insert(it.problem.key);
    }
    EXPECT_EQ(keys.size(), 40u);
    EXPECT_LT(questions.size(), 40u);
    // The first items are one per distinct question and do not depend on n.
    const auto few = judge_items(*task, Split::held_out, questions.size(), 5, {});
    for (std::size_t i = 0; i < few.size(); ++i) EXPECT_EQ(few[i].key, items[i].key);
    EXPECT_THROW(judge_items(*task, Split::held_out, 100000, 5, {}), Error);
}

TEST(GrmItems, WrongAnswerKinds) {
    const auto task = make_task("addition");
    const auto& add = dynamic_cast<const ArithmeticTask&>(*task);
    const Problem p = add.make(357, 468);  // 825
    Rng rng(1);
    for (int i = 0; i < 50; ++i) {
        const std::string carry = wrong_answer(add, p, WrongKind::carry, rng);
        const long long c = std::stoll(carry);
        const long long d = c > 825 ? c - 825 : 825 - c;
        EXPECT_TRUE(d == 10 || d == 100 || d == 1000) << carry;
        const std::string swap = wrong_answer(add, p, WrongKind::swap, rng);
        EXPECT_TRUE(swap == "285" || swap == "852") << swap;
        const std::string operand = wrong_answer(add, p, WrongKind::operand, rng);
        // one operand with two adjacent digits swapped: 537, 375, 648, 486
        const std::set<std::string> misread = {std::to_string(537 + 468), std::to_string(375 + 468),
                                               std::to_string(357 + 648),
                                               std::to_string(357 + 486)};
        EXPECT_EQ(misread.count(operand), 1u) << operand;
        const std::string digit = wrong_answer(add, p, WrongKind::digit, rng);
        ASSERT_EQ(digit.size(), 3u);
        int diff = 0;
        for (int k = 0; k < 3; ++k) diff += digit[k] != p.answer[k];
        EXPECT_EQ(diff, 1) << digit;
    }
    // 111+0: no adjacent different digits to swap.
    EXPECT_EQ(wrong_answer(add, add.make(111, 0), WrongKind::swap, rng), "");
}

TEST(GrmItems, OptionsAreValidated) {
    JudgeItemOptions o;
    o.max_candidates = 5;
    EXPECT_THROW(o.validate(), ConfigError);
    o.max_candidates = 3;
    o.min_candidates = 4;
    EXPECT_THROW(o.validate(), ConfigError);
    EXPECT_THROW(JudgeItemOptions::from_json(nlohmann::json{{"max_candidatez", 3}}), ConfigError);
    const JudgeItemOptions r = JudgeItemOptions::from_json(JudgeItemOptions{3, 3}.to_json());
    EXPECT_EQ(r.min_candidates, 3);
    EXPECT_EQ(r.max_candidates, 3);
}

TEST(GrmFormat, PromptTraceAndRuleScores) {
    const auto task = make_task("addition");
    const auto& add = dynamic_cast<const ArithmeticTask&>(*task);
    JudgeItem it;
    it.problem = add.make(357, 468);
    it.candidates = {"825", "815", "852", "1825"};
    it.best = 0;
    EXPECT_EQ(judge_prompt(it), "a:825 b:815 c:852 d:1825 357+468=");
    // Candidates differ in digit 1 (825 vs 852), 2 (815, 852) and 4 (1825).
    EXPECT_EQ(judge_principles(it), "exact sum, digits 1 2 4");
    // Digit pairs from the units up to the first difference; '.' past the shorter number.
    EXPECT_EQ(judge_critique(it),
              "7+8+0=15 5+6+1=12 3+4+1=8 so 825; a=825: 5/5 2/2 8/8 ok, b=815: 5/5 1/2 no, "
              "c=852: 2/5 no, d=1825: 5/5 2/2 8/8 1/. no");
    EXPECT_EQ(reference_scores(it), (std::vector<int>{10, 1, 1, 1}));
    EXPECT_EQ(judge_trace(it),
              "<think>p:exact sum, digits 1 2 4\nc:7+8+0=15 5+6+1=12 3+4+1=8 so 825; a=825: 5/5 "
              "2/2 8/8 ok, b=815: 5/5 1/2 no, c=852: 2/5 no, d=1825: 5/5 2/2 8/8 1/. no</think>"
              "<answer>a:10 b:1 c:1 d:1</answer>");
    EXPECT_EQ(rule_score("825", "825"), 10);
    EXPECT_EQ(rule_score("826", "825"), 1);
    EXPECT_EQ(rule_score("0825", "825"), 1);  // the judge compares texts; candidates are canonical

    const auto sub = make_task("subtraction");
    JudgeItem s;
    s.problem = dynamic_cast<const ArithmeticTask&>(*sub).make(12, 57);
    s.candidates = {"-45", "45"};
    EXPECT_EQ(judge_principles(s), "exact difference, digits 3");
    EXPECT_EQ(judge_critique(s),
              "-(57-12) 7-2-0=5 5-1-0=4 so -45; a=-45: 5/5 4/4 -/- ok, b=45: 5/5 4/4 ./- no");
}

TEST(GrmFormat, TracesParseBackFitTheContextAndTheAlphabet) {
    const Tokenizer tok;
    const GrmLabConfig lab;
    for (const char* name : {"addition", "subtraction", "multiplication", "countdown", "mix"}) {
        const auto task = make_question_source(name, lab.mix, lab.task_options);
        for (const JudgeItem& it : judge_items(*task, Split::train, 100, 5, {})) {
            const std::string trace = judge_trace(it);
            const Judgment j = parse_judgment(trace, it.size());
            ASSERT_TRUE(j.valid) << trace << ": " << j.error;
            EXPECT_EQ(j.scores, reference_scores(it));
            EXPECT_EQ(j.top(), it.best);
            EXPECT_EQ(j.principles, judge_principles(it));
            EXPECT_EQ(j.critique, judge_critique(it));
            // The judgment and its <eos> fit the lab's default generation budget, and with
            // <bos> and the prompt the tiny model's context.
            const std::size_t judgment = tok.encode(trace).size() + 1;
            EXPECT_LE(judgment, std::size_t(lab.max_new_tokens)) << trace;
            EXPECT_LE(1 + tok.encode(judge_prompt(it)).size() + judgment,
                      std::size_t(lab.model.max_position_embeddings))
                << trace;
        }
    }
}

TEST(GrmFormat, MalformedJudgmentsAreInvalidNeverThrown) {
    const std::string ok = "<think>p:x\nc:y</think><answer>a:3 b:10</answer>";
    ASSERT_TRUE(parse_judgment(ok, 2).valid);
    EXPECT_TRUE(parse_judgment(ok + "<eos>", 2).valid);
    EXPECT_EQ(parse_judgment(ok, 2).scores, (std::vector<int>{3, 10}));

    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "<think>p:"},
        {"<think>c:y</think><answer>a:3 b:10</answer>", "<think>p:"},
        {"<think>p:x c:y</think><answer>a:3 b:10</answer>", "line break"},
        {"<think>p:\nc:y</think><answer>a:3 b:10</answer>", "empty principles"},
        {"<think>p:x\ny</think><answer>a:3 b:10</answer>", "c:"},
        {"<think>p:x\nc:</think><answer>a:3 b:10</answer>", "empty critique"},
        {"<think>p:x\nc:y<answer>a:3 b:10</answer>", "</think>"},
        {"<think>p:x\nc:y</think> <answer>a:3 b:10</answer>", "<answer>"},
        {"<think>p:x\nc:y</think><answer>a:3 b:10", "</answer>"},
        {"<think>p:x\nc:y</think><answer>a:3 b:10</answer>!", "after </answer>"},
        {"<think>p:x\nc:y</think><answer>a:3</answer>", "score of b"},
        {"<think>p:x\nc:y</think><answer>b:3 a:10</answer>", "score of a"},
        {"<think>p:x\nc:y</think><answer>a:3 b:11</answer>", "expected 1..10"},
        {"<think>p:x\nc:y</think><answer>a:0 b:10</answer>", "expected 1..10"},
        {"<think>p:x\nc:y</think><answer>a:03 b:10</answer>", "leading zero"},
        {"<think>p:x\nc:y</think><answer>a:3  b:10</answer>", "score of b"},
        {"<think>p:x\nc:y</think><answer>a:3 b:x</answer>", "not a number"},
        {"<think>p:x\nc:y</think><answer>a:3 b:10 c:4</answer>", "after the last score"},
        {"<think>p:x\nc:y</think><answer>a:3 b:1000</answer>", "expected 1..10"},
        {"<think>p:x\nc:y<think></think><answer>a:3 b:10</answer>", "tag inside"},
        {"<think>p:x\nc:y</think><answer>a:3 b:10</answer></answer>", "after </answer>"},
    };
    for (const auto& [text, reason] : cases) {
        Judgment j;
        ASSERT_NO_THROW(j = parse_judgment(text, 2)) << text;
        EXPECT_FALSE(j.valid) << text;
        EXPECT_NE(j.error.find(reason), std::string::npos) << text << " -> " << j.error;
        EXPECT_TRUE(j.scores.empty());
        EXPECT_EQ(j.top(), -1);
    }
    EXPECT_FALSE(parse_judgment(ok, 0).valid);
    EXPECT_FALSE(parse_judgment(ok, 99).valid);
}

TEST(GrmFormat, RandomTextNeverThrows) {
    // Random decodes of token ids (specials included) and random edits of a valid trace.
    const Tokenizer tok;
    std::mt19937_64 rng(9);
    std::uniform_int_distribution<int> id(0, tok.vocab_size() - 1);
    const std::string base = "<think>p:x\nc:y</think><answer>a:3 b:10 c:1</answer>";
    int valid = 0;
    for (int n = 0; n < 3000; ++n) {
        std::string text;
        if (n % 2 == 0) {
            std::vector<TokenId> ids(static_cast<std::size_t>(n % 40));
            for (TokenId& t : ids) t = id(rng);
            text = tok.decode(ids);
        } else {
            text = base;
            const std::size_t pos = rng() % text.size();
            text[pos] = tok.decode({7 + static_cast<int>(rng() % 57)})[0];
        }
        Judgment j;
        ASSERT_NO_THROW(j = parse_judgment(text, 3)) << text;
        if (j.valid) {
            ++valid;
            ASSERT_EQ(j.scores.size(), 3u);
            for (int s : j.scores) EXPECT_TRUE(s >= 1 && s <= 10) << text;
        } else {
            EXPECT_FALSE(j.error.empty());
        }
    }
    // Edits inside the free text of principles or critique keep a trace valid.
    EXPECT_GT(valid, 0);
}

TEST(GrmFormat, TopNeedsAStrictMaximum) {
    Judgment j;
    j.valid = true;
    j.scores = {4, 9, 9};
    EXPECT_EQ(j.top(), -1);
    j.scores = {4, 9, 8};
    EXPECT_EQ(j.top(), 1);
    j.valid = false;
    EXPECT_EQ(j.top(), -1);
}

}  // namespace
}  // namespace tinyseek
