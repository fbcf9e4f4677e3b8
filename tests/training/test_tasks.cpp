// Arithmetic tasks: exact traces, verifiers on edge cases, disjoint splits, determinism,
// the registry and the options.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "training/task.h"
#include "training/task_arithmetic.h"

namespace tinyseek {
namespace {

std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// Text between <think> and </think>.
std::string think_of(const std::string& trace) {
    const auto b = trace.find(kThinkOpen) + kThinkOpen.size();
    return trace.substr(b, trace.find(kThinkClose) - b);
}

int digit_at(std::int64_t x, int i) {
    for (int k = 0; k < i; ++k) x /= 10;
    return static_cast<int>(x % 10);
}

TEST(Tasks, AdditionTraceWritesEveryColumnWithItsCarry) {
    AdditionTask task(TaskOptions{});
    const Problem p = task.make(57, 68);
    EXPECT_EQ(p.prompt, "57+68=");
    EXPECT_EQ(p.answer, "125");
    EXPECT_EQ(p.target, 125);
    EXPECT_EQ(p.trace, "<think>7+8+0=15 5+6+1=12</think><answer>125</answer>");
    // Operands of different lengths pad with 0; a final carry reaches the answer.
    EXPECT_EQ(task.make(999, 5).trace,
              "<think>9+5+0=14 9+0+1=10 9+0+1=10</think><answer>1004</answer>");
    EXPECT_EQ(task.make(0, 0).trace, "<think>0+0+0=0</think><answer>0</answer>");
}

// aligned_trace restates the operands zero-padded to the column count before the columns;
// the prompt and the answer do not change. The option round-trips, is left out of the JSON
// when off.
TEST(Tasks, AlignedAdditionTraceRestatesPaddedOperands) {
    TaskOptions o;
    o.aligned_trace = true;
    AdditionTask task(o);
    const Problem p = task.make(7, 651);
    EXPECT_EQ(p.prompt, "7+651=");
    EXPECT_EQ(p.answer, "658");
    EXPECT_EQ(p.trace, "<think>007+651 7+1+0=8 0+5+0=5 0+6+0=6</think><answer>658</answer>");
    EXPECT_EQ(task.make(57, 68).trace,
              "<think>57+68 7+8+0=15 5+6+1=12</think><answer>125</answer>");
    EXPECT_EQ(task.make(999, 5).trace,
              "<think>999+005 9+5+0=14 9+0+1=10 9+0+1=10</think><answer>1004</answer>");
    EXPECT_EQ(task.make(0, 0).trace, "<think>0+0 0+0+0=0</think><answer>0</answer>");
    EXPECT_EQ(task.make(7, 651).key, AdditionTask(TaskOptions{}).make(7, 651).key);

    EXPECT_EQ(o.to_json()["aligned_trace"], true);
    EXPECT_TRUE(TaskOptions::from_json(o.to_json()).aligned_trace);
    EXPECT_FALSE(TaskOptions{}.to_json().contains("aligned_trace"));
    EXPECT_THROW(TaskOptions::from_json(nlohmann::json{{"aligned_trace", 1}}), ConfigError);
    // Subtraction, which has no aligned trace, ignores it as it ignores Countdown's options.
    Rng r1(1), r2(1);
    EXPECT_EQ(make_task("subtraction", o)->sample(Split::train, r1).trace,
              make_task("subtraction", {})->sample(Split::train, r2).trace);
}

// two_digit_sums writes every column sum in two digits, so each column has one width; alone
// or with the restatement. The answer does not change; the option round-trips.
TEST(Tasks, TwoDigitSumsGiveEveryColumnOneWidth) {
    TaskOptions o;
    o.two_digit_sums = true;
    EXPECT_EQ(AdditionTask(o).make(7, 651).trace,
              "<think>7+1+0=08 0+5+0=05 0+6+0=06</think><answer>658</answer>");
    o.aligned_trace = true;
    AdditionTask task(o);
    EXPECT_EQ(task.make(7, 651).trace,
              "<think>007+651 7+1+0=08 0+5+0=05 0+6+0=06</think><answer>658</answer>");
    EXPECT_EQ(task.make(999, 5).trace,
              "<think>999+005 9+5+0=14 9+0+1=10 9+0+1=10</think><answer>1004</answer>");
    EXPECT_EQ(task.make(0, 0).trace, "<think>0+0 0+0+0=00</think><answer>0</answer>");
    EXPECT_EQ(task.make(7, 651).answer, "658");

    EXPECT_EQ(o.to_json()["two_digit_sums"], true);
    EXPECT_TRUE(TaskOptions::from_json(o.to_json()).two_digit_sums);
    EXPECT_FALSE(TaskOptions{}.to_json().contains("two_digit_sums"));
    EXPECT_THROW(TaskOptions::from_json(nlohmann::json{{"two_digit_sums", "yes"}}), ConfigError);
}

TEST(Tasks, SubtractionTraceWritesBorrowsAndNegativeResults) {
    SubtractionTask task(TaskOptions{});
    EXPECT_EQ(task.make(503, 298).trace,
              "<think>13-8-0=5 10-9-1=0 5-2-1=2</think><answer>205</answer>");
    const Problem neg = task.make(12, 57);
    EXPECT_EQ(neg.prompt, "12-57=");
    EXPECT_EQ(neg.answer, "-45");
    EXPECT_EQ(neg.target, -45);
    EXPECT_EQ(neg.trace, "<think>-(57-12) 7-2-0=5 5-1-0=4</think><answer>-45</answer>");
    EXPECT_EQ(task.make(123, 123).trace,
              "<think>3-3-0=0 2-2-0=0 1-1-0=0</think><answer>0</answer>");
}

TEST(Tasks, MultiplicationTraceWritesPartialProducts) {
    MultiplicationTask task(TaskOptions{});
    EXPECT_EQ(task.make(47, 23).trace,
              "<think>47*3=141 47*20=940 141+940=1081</think><answer>1081</answer>");
    // A zero digit adds no partial product; a single partial needs no sum.
    EXPECT_EQ(task.make(47, 30).trace, "<think>47*30=1410</think><answer>1410</answer>");
    EXPECT_EQ(task.make(47, 0).trace, "<think>47*0=0</think><answer>0</answer>");
    EXPECT_EQ(task.make(47, 23).prompt, "47*23=");
}

TEST(Tasks, MakeRefusesOperandsOutsideTheRange) {
    EXPECT_THROW(AdditionTask(TaskOptions{}).make(-1, 3), Error);
    EXPECT_THROW(MultiplicationTask(TaskOptions{}).make(2000000000, 3), Error);
}

// Replays the column arithmetic of every sampled trace: digits, carries and the answer.
TEST(Tasks, AdditionTracesAreArithmeticallyConsistent) {
    TaskOptions o;
    o.digits = 5;
    auto task = make_task("addition", o);
    Rng rng(7);
    for (int n = 0; n < 2000; ++n) {
        const Problem p = task->sample(n % 2 ? Split::train : Split::held_out, rng);
        const auto a = p.operands[0], b = p.operands[1];
        ASSERT_EQ(p.target, a + b);
        const auto cols = split_words(think_of(p.trace));
        int carry = 0;
        for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
            int x, y, c, s;
            char plus1, plus2, eq;
            std::istringstream in(cols[i]);
            in >> x >> plus1 >> y >> plus2 >> c >> eq >> s;
            ASSERT_EQ(x, digit_at(a, i)) << p.trace;
            ASSERT_EQ(y, digit_at(b, i)) << p.trace;
            ASSERT_EQ(c, carry) << p.trace;
            ASSERT_EQ(s, x + y + c) << p.trace;
            carry = s / 10;
        }
        ASSERT_EQ(p.answer, std::to_string(a + b));
    }
}

TEST(Tasks, SubtractionAndMultiplicationTracesAreConsistent) {
    auto sub = make_task("subtraction");
    auto mul = make_task("multiplication");
    Rng rng(11);
    int negatives = 0;
    for (int n = 0; n < 2000; ++n) {
        const Problem p = sub->sample(Split::train, rng);
        const auto a = p.operands[0], b = p.operands[1];
        ASSERT_EQ(p.target, a - b);
        ASSERT_EQ(p.answer, std::to_string(a - b));
        negatives += a < b;
        // Recompute x - y from the written digits: sum of d_i * 10^i.
        auto cols = split_words(think_of(p.trace));
        if (a < b) cols.erase(cols.begin());
        std::int64_t value = 0, scale = 1;
        for (const auto& col : cols) {
            const auto eq = col.find('=');
            value += std::stoll(col.substr(eq + 1)) * scale;
            scale *= 10;
        }
        ASSERT_EQ(value, a < b ? b - a : a - b) << p.trace;

        const Problem m = mul->sample(Split::train, rng);
        ASSERT_GE(m.operands[0], 10);
        ASSERT_LE(m.operands[0], 99);
        ASSERT_GE(m.operands[1], 10);
        ASSERT_LE(m.operands[1], 99);
        ASSERT_EQ(m.target, m.operands[0] * m.operands[1]);
        ASSERT_EQ(m.answer, std::to_string(m.target));
    }
    EXPECT_GT(negatives, 800);  // about half the results are negative
    EXPECT_LT(negatives, 1200);
}

TEST(Tasks, ArithmeticVerifierEdgeCases) {
    AdditionTask add(TaskOptions{});
    const Problem p = add.make(123, 456);  // 579
    auto check = [&](std::string_view answer) { return add.check(p, answer); };
    EXPECT_TRUE(check("579").correct);
    EXPECT_TRUE(check("  579 ").correct);  // surrounding spaces are fine
    EXPECT_TRUE(check("0579").correct);    // leading zeros: same number
    EXPECT_TRUE(check("000000000000000000000000579").correct);
    EXPECT_TRUE(check("578").parsed);
    EXPECT_FALSE(check("578").correct);
    EXPECT_TRUE(check("-579").parsed);
    EXPECT_FALSE(check("-579").correct);
    for (std::string_view bad :
         {"", " ", "5 79", "+579", "579.0", "abc", "57a9", "--579", "- 579", "579=579", "\n579"}) {
        EXPECT_FALSE(check(bad).parsed) << "'" << bad << "'";
        EXPECT_FALSE(check(bad).correct) << "'" << bad << "'";
    }
    // Far beyond 64 bits: compared as digit strings, so no overflow and no throw.
    const std::string huge(400, '9');
    EXPECT_TRUE(check(huge).parsed);
    EXPECT_FALSE(check(huge).correct);
    EXPECT_FALSE(check("-" + huge).correct);

    SubtractionTask sub(TaskOptions{});
    const Problem neg = sub.make(12, 57);  // -45
    EXPECT_TRUE(sub.check(neg, "-45").correct);
    EXPECT_TRUE(sub.check(neg, "-045").correct);
    EXPECT_FALSE(sub.check(neg, "45").correct);
    EXPECT_FALSE(sub.check(neg, "- 45").parsed);
    const Problem zero = sub.make(77, 77);  // 0
    EXPECT_TRUE(sub.check(zero, "0").correct);
    EXPECT_TRUE(sub.check(zero, "-0").correct);
    EXPECT_TRUE(sub.check(zero, "000").correct);
}

TEST(Tasks, TrainAndHeldOutAreDisjointOverThousandsOfDraws) {
    for (const std::string& name : task_names()) {
        auto task = make_task(name);
        Rng rng(123);
        std::set<std::string> train_keys, held_keys, train_prompts;
        for (int n = 0; n < 3000; ++n) {
            const Problem t = task->sample(Split::train, rng);
            ASSERT_EQ(t.split, Split::train);
            ASSERT_EQ(task->split_of(t.key), Split::train);
            train_keys.insert(t.key);
            train_prompts.insert(t.prompt);
            const Problem h = task->sample(Split::held_out, rng);
            ASSERT_EQ(h.split, Split::held_out);
            ASSERT_EQ(task->split_of(h.key), Split::held_out);
            held_keys.insert(h.key);
        }
        for (const auto& k : held_keys) ASSERT_EQ(train_keys.count(k), 0u) << name << " " << k;
        // Problems are diverse: thousands of draws, mostly distinct.
        EXPECT_GT(train_keys.size(), 1500u) << name;
        // 2-digit x 2-digit has ~4,100 unordered pairs, so ~410 held out; the others have more.
        EXPECT_GT(held_keys.size(), name == "multiplication" ? 350u : 1000u) << name;
    }
}

TEST(Tasks, CommutedProblemsShareTheirSplit) {
    AdditionTask add(TaskOptions{});
    MultiplicationTask mul(TaskOptions{});
    SubtractionTask sub(TaskOptions{});
    for (std::int64_t a = 10; a < 100; a += 7) {
        for (std::int64_t b = 10; b < 100; b += 3) {
            EXPECT_EQ(add.make(a, b).split, add.make(b, a).split);
            EXPECT_EQ(mul.make(a, b).split, mul.make(b, a).split);
            EXPECT_EQ(sub.make(a, b).split, sub.make(b, a).split);
        }
    }
}

TEST(Tasks, HeldOutShareMatchesTheOption) {
    for (double f : {0.1, 0.3}) {
        TaskOptions o;
        o.held_out_fraction = f;
        AdditionTask task(o);
        int held = 0;
        const int n = 20000;
        for (int i = 0; i < n; ++i) held += task.make(i, 3 * i + 1).split == Split::held_out;
        EXPECT_NEAR(double(held) / n, f, 0.015) << f;
    }
}

TEST(Tasks, SameSeedSameProblemsDifferentSeedDifferent) {
    for (const std::string& name : task_names()) {
        auto task = make_task(name);
        Rng r1(99), r2(99), r3(100);
        int differ = 0;
        for (int n = 0; n < 200; ++n) {
            const Split s = n % 3 ? Split::train : Split::held_out;
            const Problem a = task->sample(s, r1), b = task->sample(s, r2), c = task->sample(s, r3);
            ASSERT_EQ(a.prompt, b.prompt);
            ASSERT_EQ(a.trace, b.trace);
            differ += a.prompt != c.prompt;
        }
        EXPECT_GT(differ, 150) << name;
    }
}

TEST(Tasks, GoldenFirstProblemsPinTheGenerator) {
    // mt19937_64 and our uniform_int are fully specified, so these hold on every platform and
    // standard library. A change here changes every stored experiment's problems.
    auto add = make_task("addition");
    Rng rng(42);
    const Problem p = add->sample(Split::train, rng);
    Rng again(42);
    const std::int64_t a = uniform_int(again, 0, 999), b = uniform_int(again, 0, 999);
    EXPECT_EQ(p.prompt, std::to_string(a) + "+" + std::to_string(b) + "=");
    EXPECT_EQ(p.prompt, "406+824=");
    // [rand.predef]: the 10000th output of a default-constructed mt19937_64.
    Rng standard;
    standard.discard(9999);
    EXPECT_EQ(standard(), 9981545732273789042ULL);
}

TEST(Tasks, UniformIntCoversTheRangeEvenly) {
    Rng rng(5);
    std::vector<int> counts(7, 0);
    for (int i = 0; i < 70000; ++i) {
        const auto v = uniform_int(rng, -3, 3);
        ASSERT_GE(v, -3);
        ASSERT_LE(v, 3);
        ++counts[v + 3];
    }
    for (int c : counts) EXPECT_NEAR(c, 10000, 400);
    EXPECT_EQ(uniform_int(rng, 5, 5), 5);
    EXPECT_THROW(uniform_int(rng, 2, 1), Error);
}

TEST(Tasks, EveryCharacterIsInTheDocumentedAlphabetAndTracesAreShort) {
    TaskOptions big;
    big.digits = 12;
    big.a_digits = 4;
    big.b_digits = 4;
    big.numbers = 4;
    big.max_number = 999;
    big.max_target = 9999;
    for (const TaskOptions& o : {TaskOptions{}, big}) {
        for (const std::string& name : task_names()) {
            auto task = make_task(name, o);
            Rng rng(3);
            std::size_t longest = 0;
            for (int n = 0; n < 500; ++n) {
                const Problem p = task->sample(Split::train, rng);
                std::string text = p.prompt + p.trace;
                for (auto tag : {kThinkOpen, kThinkClose, kAnswerOpen, kAnswerClose}) {
                    for (auto at = text.find(tag); at != std::string::npos; at = text.find(tag)) {
                        text.erase(at, tag.size());
                    }
                }
                for (char c : text) {
                    ASSERT_NE(kTaskAlphabet.find(c), std::string_view::npos)
                        << name << ": '" << c << "' in " << p.prompt << p.trace;
                }
                // Tags are one token each, characters one token each.
                longest = std::max(longest, text.size() + 4);
            }
            EXPECT_LT(longest, 200u) << name;
        }
    }
}

TEST(Tasks, HeldOutSetIsDistinctDeterministicAndRefusesTooSmallSpaces) {
    auto task = make_task("addition");
    const auto a = held_out_set(*task, 500, 1);
    const auto b = held_out_set(*task, 500, 1);
    ASSERT_EQ(a.size(), 500u);
    std::set<std::string> keys;
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].split, Split::held_out);
        EXPECT_EQ(a[i].prompt, b[i].prompt);
        keys.insert(a[i].key);
    }
    EXPECT_EQ(keys.size(), 500u);

    // A cold-start pool: unique train problems, each with its worked trace.
    const auto pool = distinct_problems(*task, Split::train, 256, 9);
    std::set<std::string> pool_keys;
    for (const auto& p : pool) {
        EXPECT_EQ(p.split, Split::train);
        EXPECT_FALSE(p.trace.empty());
        pool_keys.insert(p.key);
        EXPECT_EQ(keys.count(p.key), 0u);
    }
    EXPECT_EQ(pool_keys.size(), 256u);

    TaskOptions tiny;
    tiny.digits = 1;  // 55 unordered pairs, about 5 of them held out
    auto small = make_task("addition", tiny);
    try {
        held_out_set(*small, 50, 1);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("distinct"), std::string::npos) << e.what();
    }
}

TEST(Tasks, RegistryAndOptionsGiveClearErrors) {
    for (const std::string& name : task_names()) EXPECT_EQ(make_task(name)->name(), name);
    try {
        make_task("division");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("'division'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("countdown"), std::string::npos) << msg;
    }
    TaskOptions o;
    o.digits = 0;
    try {
        make_task("addition", o);
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("'digits' is 0"), std::string::npos) << e.what();
    }
    o = {};
    o.held_out_fraction = 1.0;
    EXPECT_THROW(make_task("addition", o), ConfigError);

    TaskOptions custom;
    custom.digits = 5;
    custom.countdown_use_all = true;
    custom.held_out_fraction = 0.25;
    const TaskOptions back = TaskOptions::from_json(custom.to_json());
    EXPECT_EQ(back.digits, 5);
    EXPECT_TRUE(back.countdown_use_all);
    EXPECT_EQ(back.held_out_fraction, 0.25);
    EXPECT_EQ(TaskOptions::from_json(nlohmann::json::object()).digits, 3);
    EXPECT_THROW(TaskOptions::from_json(nlohmann::json{{"digit", 3}}), ConfigError);
    EXPECT_THROW(TaskOptions::from_json(nlohmann::json{{"digits", "3"}}), ConfigError);
    EXPECT_THROW(TaskOptions::from_json(nlohmann::json{{"digits", 30}}), ConfigError);
    EXPECT_THROW(TaskOptions::from_json(nlohmann::json::array()), ConfigError);
}

// 2^64 - 1 is an unsigned JSON integer; read as a signed one it would be -1, and the error
// would name a value the file does not hold.
TEST(Tasks, HugeUnsignedOptionIsOutOfRangeAsWritten) {
    try {
        TaskOptions::from_json(nlohmann::json::parse(R"({"digits": 18446744073709551615})"));
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("out of range: 18446744073709551615"), std::string::npos) << msg;
    }
}

std::uint64_t splitmix_finalise(std::uint64_t h) {
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

TEST(Tasks, StableHashIsFnv1aWithSplitmixFinaliser) {
    // Published FNV-1a 64 values: "" -> offset basis, "a" -> 0xaf63dc4c8601ec8c.
    EXPECT_EQ(stable_hash(""), splitmix_finalise(0xcbf29ce484222325ULL));
    EXPECT_EQ(stable_hash("a"), splitmix_finalise(0xaf63dc4c8601ec8cULL));
    EXPECT_EQ(stable_hash("foobar"), splitmix_finalise(0x85944171f73967e8ULL));
    EXPECT_NE(stable_hash("addition:1,2"), stable_hash("addition:2,1"));
}

}  // namespace
}  // namespace tinyseek
