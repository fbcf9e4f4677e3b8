// Accuracy by difficulty: bucket labels against hand-worked problems, drawing inside a bucket,
// the top-up of rare buckets against an enumeration of the held-out split, the evaluator's
// tallies against its totals, and the metrics a training run stores.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "tests/training/run_loop_fixtures.h"
#include "training/difficulty.h"
#include "training/run_loop.h"
#include "training/run_store.h"
#include "training/task_arithmetic.h"
#include "training/task_countdown.h"

namespace tinyseek {
namespace {

using Labels = std::vector<std::string>;

TEST(Difficulty, ArithmeticBucketsMatchHandWorkedProblems) {
    AdditionTask add(TaskOptions{});
    // 57+68: 7+8 = 15 carries, 5+6+1 = 12 carries.
    EXPECT_EQ(add.difficulty_buckets(add.make(57, 68)), (Labels{"digits 2+2", "carries 2"}));
    EXPECT_EQ(add.difficulty_buckets(add.make(1, 999)), (Labels{"digits 3+1", "carries 3"}));
    EXPECT_EQ(add.difficulty_buckets(add.make(0, 0)), (Labels{"digits 1+1", "carries 0"}));
    EXPECT_EQ(add.difficulty_buckets(add.make(450, 52)), (Labels{"digits 3+2", "carries 1"}));
    SubtractionTask sub(TaskOptions{});
    // 503-298: 13-8, 10-9-1 borrow; 5-2-1 does not.
    EXPECT_EQ(sub.difficulty_buckets(sub.make(503, 298)), (Labels{"digits 3-3", "borrows 2"}));
    EXPECT_EQ(sub.difficulty_buckets(sub.make(12, 57)), (Labels{"digits 2-2", "borrows 0"}));
    EXPECT_EQ(sub.difficulty_buckets(sub.make(100, 1)), (Labels{"digits 3-1", "borrows 2"}));
    MultiplicationTask mul(TaskOptions{});
    EXPECT_EQ(mul.difficulty_buckets(mul.make(47, 23)), (Labels{"digits 2*2", "product 4 digits"}));
    EXPECT_EQ(mul.difficulty_buckets(mul.make(10, 10)), (Labels{"digits 2*2", "product 3 digits"}));
    EXPECT_TRUE(mul.drawable_buckets().empty());

    TaskOptions three;
    three.digits = 3;
    EXPECT_EQ(AdditionTask(three).drawable_buckets(),
              (Labels{"digits 1+1", "digits 2+1", "digits 2+2", "digits 3+1", "digits 3+2",
                      "digits 3+3"}));
}

TEST(Difficulty, CountdownBucketsAreNumberCountAndTargetQuarter) {
    CountdownTask task(TaskOptions{});  // max_target 100
    Problem p;
    p.operands = {3, 7, 25};
    for (const auto& [target, label] :
         std::vector<std::pair<int, std::string>>{{1, "target 1-25"},
                                                  {25, "target 1-25"},
                                                  {26, "target 26-50"},
                                                  {75, "target 51-75"},
                                                  {100, "target 76-100"}}) {
        p.target = target;
        EXPECT_EQ(task.difficulty_buckets(p), (Labels{"numbers 3", label})) << target;
    }
    EXPECT_TRUE(task.drawable_buckets().empty());
    Rng rng(1);
    EXPECT_THROW(task.draw_in_bucket("numbers 3", rng), Error);
}

TEST(Difficulty, DrawInBucketStaysInTheBucketAndTakesBothOrders) {
    AdditionTask task(TaskOptions{});
    Rng rng(5);
    int shorter_first = 0;
    for (int i = 0; i < 200; ++i) {
        const Problem p = task.draw_in_bucket("digits 3+1", rng);
        EXPECT_EQ(task.difficulty_buckets(p)[0], "digits 3+1") << p.prompt;
        EXPECT_EQ(p.split, task.split_of(p.key));
        if (p.operands[0] < 10) ++shorter_first;
    }
    EXPECT_GT(shorter_first, 60);
    EXPECT_LT(shorter_first, 140);
    EXPECT_THROW(task.draw_in_bucket("digits 4+1", rng), Error);
    EXPECT_THROW(task.draw_in_bucket("carries 1", rng), Error);
}

// uniform_lengths: each operand's length is uniform in 1..digits, so the length buckets come
// in the shares of the ordered length pairs (1+1: 1/9, 2+1: 2/9, ...); the option is stored
// only when set, and a uniform draw by value is what it was.
TEST(Difficulty, UniformLengthsDrawShortOperandsAsOftenAsLongOnes) {
    TaskOptions o;
    o.uniform_lengths = true;
    AdditionTask task(o);
    Rng rng(3);
    std::map<std::string, int> count;
    const int n = 18000;
    for (int i = 0; i < n; ++i) ++count[task.difficulty_buckets(task.sample(Split::train, rng))[0]];
    const std::map<std::string, double> expected = {
        {"digits 1+1", 1.0 / 9}, {"digits 2+1", 2.0 / 9}, {"digits 2+2", 1.0 / 9},
        {"digits 3+1", 2.0 / 9}, {"digits 3+2", 2.0 / 9}, {"digits 3+3", 1.0 / 9}};
    for (const auto& [label, share] : expected)
        EXPECT_NEAR(count[label] / double(n), share, 0.02) << label;
    EXPECT_EQ(o.to_json()["uniform_lengths"], true);
    EXPECT_TRUE(TaskOptions::from_json(o.to_json()).uniform_lengths);
    EXPECT_FALSE(TaskOptions{}.to_json().contains("uniform_lengths"));
    EXPECT_THROW(TaskOptions::from_json(nlohmann::json{{"uniform_lengths", "yes"}}), ConfigError);
    EXPECT_THROW(TaskOptions::from_json(nlohmann::json{{"uniform_lengths", 1.5}}), ConfigError);
    EXPECT_EQ(TaskOptions::from_json(nlohmann::json{{"uniform_lengths", 1}}).uniform_lengths, 1.0);
}

// A share of 0.25: a quarter of the training draws take uniform lengths (two 1-digit operands
// 1/36 of draws), the rest uniform values (two 3-digit operands 0.81 of them); the share
// round-trips as a number.
TEST(Difficulty, AShareOfUniformLengthsMixesBothDraws) {
    TaskOptions o;
    o.uniform_lengths = 0.25;
    AdditionTask task(o);
    Rng rng(4);
    std::map<std::string, int> count;
    const int n = 36000;
    for (int i = 0; i < n; ++i) ++count[task.difficulty_buckets(task.sample(Split::train, rng))[0]];
    EXPECT_NEAR(count["digits 1+1"] / double(n), 0.25 / 9, 0.004);
    EXPECT_NEAR(count["digits 3+3"] / double(n), 0.75 * 0.81 + 0.25 / 9, 0.01);
    EXPECT_EQ(o.to_json()["uniform_lengths"], 0.25);
    EXPECT_EQ(TaskOptions::from_json(o.to_json()).uniform_lengths, 0.25);
}

// uniform_lengths changes the training draws only: the held-out set is drawn by value, the
// same problems as without the option, and so is the validation set, from the train split
// (two 1-digit operands: 1 in 10,000 by value, 1 in 9 by length).
TEST(Difficulty, UniformLengthsLeaveTheEvaluationSetsAlone) {
    TaskOptions lengths;
    lengths.uniform_lengths = true;
    const AdditionTask by_value(TaskOptions{}), by_length(lengths);
    const std::vector<Problem> held_out = held_out_set(by_value, 300, 7);
    const std::vector<Problem> same = held_out_set(by_length, 300, 7);
    ASSERT_EQ(same.size(), held_out.size());
    for (std::size_t i = 0; i < held_out.size(); ++i) EXPECT_EQ(same[i].key, held_out[i].key);

    const std::vector<Problem> validation = validation_set(by_length, 2000, 7);
    int both_short = 0, long_pairs = 0;
    for (const Problem& p : validation) {
        EXPECT_EQ(p.split, Split::train);
        const std::string bucket = by_length.difficulty_buckets(p)[0];
        both_short += bucket == "digits 1+1";
        long_pairs += bucket == "digits 3+3";
    }
    EXPECT_LE(both_short, 3);
    EXPECT_NEAR(long_pairs / 2000.0, 0.81, 0.03);  // 0.9 x 0.9 of values have 3 digits
    const std::vector<Problem> same_validation = evaluation_set(by_value, Split::train, 2000, 7);
    for (std::size_t i = 0; i < validation.size(); ++i)
        EXPECT_EQ(same_validation[i].key, validation[i].key);

    Rng rng(5);
    int short_training = 0;
    for (int i = 0; i < 900; ++i)
        short_training +=
            by_length.difficulty_buckets(by_length.sample(Split::train, rng))[0] == "digits 1+1";
    EXPECT_GT(short_training, 60);  // 100 expected
}

// 3-digit addition's held-out set of 300 problems holds almost no short operands; the top-up
// brings every length bucket to 20, except 1+1, which gets every held-out problem there is
// (counted here by enumerating all pairs of digits).
TEST(Difficulty, TopUpFillsRareBucketsWithDistinctHeldOutProblems) {
    AdditionTask task(TaskOptions{});
    const std::vector<Problem> set = held_out_set(task, 300, 7);
    const std::vector<Problem> extra = difficulty_top_up(task, set, 20, 8);
    std::set<std::string> keys;
    for (const Problem& p : set) keys.insert(p.key);
    for (const Problem& p : extra) {
        EXPECT_EQ(p.split, Split::held_out);
        EXPECT_TRUE(keys.insert(p.key).second) << "repeated " << p.key;
    }
    BucketTallies all;
    for (const auto* problems : {&set, &extra})
        for (const Problem& p : *problems) tally_buckets(task, p, false, all);
    std::set<std::string> one_digit_held_out;
    for (int a = 0; a < 10; ++a)
        for (int b = 0; b < 10; ++b)
            if (task.split_of(task.make(a, b).key) == Split::held_out)
                one_digit_held_out.insert(task.make(a, b).key);
    ASSERT_GT(one_digit_held_out.size(), 0u);
    ASSERT_LT(one_digit_held_out.size(), 20u);
    EXPECT_EQ(all["digits 1+1"].n, static_cast<int>(one_digit_held_out.size()));
    for (const char* label : {"digits 2+1", "digits 2+2", "digits 3+1"})
        EXPECT_EQ(all[label].n, 20) << label;
    EXPECT_GT(all["digits 3+3"].n, 200);  // common buckets are left as drawn
    EXPECT_EQ(difficulty_top_up(task, set, 20, 8).size(), extra.size());  // deterministic
    EXPECT_TRUE(difficulty_top_up(task, set, 0, 8).empty());
    // A validation set's top-up comes from the train split: 1+1 then fills to 20 too.
    const std::vector<Problem> train_extra = difficulty_top_up(task, set, 20, 8, Split::train);
    int train_one_digit = 0;
    for (const Problem& p : train_extra) {
        EXPECT_EQ(p.split, Split::train);
        train_one_digit += task.difficulty_buckets(p)[0] == "digits 1+1";
    }
    EXPECT_EQ(train_one_digit, 20);
}

TEST(Difficulty, BucketMetricsNameEveryBucketWithProblems) {
    BucketTallies t;
    t["digits 1+1"] = {4, 3};
    t["carries 2"] = {0, 0};
    std::map<std::string, double> m;
    write_bucket_metrics(t, m);
    EXPECT_EQ(m, (std::map<std::string, double>{{"eval/bucket/digits 1+1", 0.75},
                                                {"eval/bucket_n/digits 1+1", 4.0}}));
}

// The carries family splits the held-out set: its counts add up to the set and its right
// answers to eval/accuracy. The length family holds the set and the top-up of rare lengths, so
// its right answers lie between the set's and the set's plus every extra problem. The top-up
// never moves eval/accuracy (that of a run without buckets).
TEST(Difficulty, RunEvaluationsStoreBucketAccuraciesThatSplitTheSet) {
    const std::string dir = testing::fresh_dir("difficulty");
    TrainConfig c = testing::tiny_config();
    c.eval.n = 40;
    c.eval.bucket_min = 0;
    RunLoop off(c, dir + "/off.db");
    ASSERT_EQ(off.run(), RunStatus::completed) << off.last_error();
    RunStore off_store(dir + "/off.db");
    for (const std::string& key : off_store.metric_keys(off.run_id()))
        EXPECT_NE(key.rfind("eval/bucket", 0), 0u) << key;

    c.eval.bucket_min = 4;
    RunLoop loop(c, dir + "/runs.db");
    ASSERT_EQ(loop.run(), RunStatus::completed) << loop.last_error();
    RunStore store(dir + "/runs.db");
    const auto accuracy = store.metric_series(loop.run_id(), metric::kEvalAccuracy);
    const auto off_accuracy = off_store.metric_series(off.run_id(), metric::kEvalAccuracy);
    ASSERT_EQ(accuracy.size(), off_accuracy.size());
    ASSERT_GE(accuracy.size(), 2u);
    for (std::size_t i = 0; i < accuracy.size(); ++i)
        EXPECT_EQ(accuracy[i].value, off_accuracy[i].value) << "step " << accuracy[i].step;
    const AdditionTask task(c.task_options);
    const std::size_t extra =
        difficulty_top_up(task, held_out_set(task, 40, c.eval.seed), 4, c.eval.seed + 1).size();
    ASSERT_GT(extra, 0u);
    for (const MetricPoint& point : accuracy) {
        const StepReport r = store.load_step(loop.run_id(), point.step);
        std::map<std::string, double> n, right;  // by family
        for (const auto& [key, value] : r.scalars) {
            if (key.rfind(metric::kEvalBucketCountPrefix, 0) != 0) continue;
            const std::string label =
                key.substr(std::string(metric::kEvalBucketCountPrefix).size());
            const std::string family = label.substr(0, label.find(' '));
            n[family] += value;
            right[family] += value * r.scalars.at(bucket_accuracy_metric(label));
        }
        ASSERT_EQ(n.size(), 2u) << "step " << point.step;
        EXPECT_EQ(n["digits"], 40.0 + extra);
        EXPECT_EQ(n["carries"], 40.0);  // the set alone
        EXPECT_NEAR(right["carries"], point.value * 40, 1e-9);
        EXPECT_GE(right["digits"], right["carries"] - 1e-9);
        EXPECT_LE(right["digits"], right["carries"] + extra + 1e-9);
    }
}

}  // namespace
}  // namespace tinyseek
