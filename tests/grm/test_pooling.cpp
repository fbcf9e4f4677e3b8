// Voting, meta-RM selection and the SPCT rule reward on hand-made judgments.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "training/grm/pooling.h"

namespace tinyseek {
namespace {

Judgment valid(std::vector<int> scores) {
    Judgment j;
    j.valid = true;
    j.scores = std::move(scores);
    return j;
}

Judgment broken() {
    Judgment j;
    j.error = "no </think>";
    return j;
}

TEST(GrmPooling, VotingSumsScoresOfValidJudgments) {
    const std::vector<Judgment> js = {valid({10, 4, 1}), broken(), valid({7, 10, 1}),
                                      valid({10, 7, 4})};
    const PooledDecision d = vote(js, 3);
    EXPECT_EQ(d.totals, (std::vector<double>{27, 21, 6}));
    EXPECT_EQ(d.best, 0);
    EXPECT_EQ(d.voters, 3);
    EXPECT_EQ(d.invalid, 1);
    EXPECT_EQ(d.kept, (std::vector<int>{0, 2, 3}));
    EXPECT_TRUE(d.correct(0));
    EXPECT_FALSE(d.correct(1));
    EXPECT_EQ(d.credit(0), 1.0);
    EXPECT_EQ(d.credit(1), 0.0);
    EXPECT_EQ(tie_credit({}, 0), 0.0);
    EXPECT_EQ(tie_credit({1.0, 2.0}, 5), 0.0);
}

TEST(GrmPooling, SumsNotMajority) {
    // Two lukewarm votes for b lose to one confident vote for a plus its low scores for b:
    // a = 10 + 5 + 5 = 20, b = 1 + 7 + 7 = 15.
    const std::vector<Judgment> js = {valid({10, 1}), valid({5, 7}), valid({5, 7})};
    EXPECT_EQ(vote(js, 2).best, 0);
}

TEST(GrmPooling, TieAtTheTopIsNoDecision) {
    const std::vector<Judgment> js = {valid({10, 4}), valid({4, 10})};
    const PooledDecision d = vote(js, 2);
    EXPECT_EQ(d.totals, (std::vector<double>{14, 14}));
    EXPECT_EQ(d.best, -1);
    EXPECT_FALSE(d.correct(0));
    EXPECT_FALSE(d.correct(1));
    // Random tie-breaking in expectation: half a point for each of the two tied candidates.
    EXPECT_DOUBLE_EQ(d.credit(0), 0.5);
    EXPECT_DOUBLE_EQ(d.credit(1), 0.5);
    const PooledDecision three = vote({valid({10, 10, 10, 1})}, 4);
    EXPECT_DOUBLE_EQ(three.credit(2), 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(three.credit(3), 0.0);
    // A tie below the top does not matter.
    EXPECT_EQ(vote({valid({10, 4, 4})}, 3).best, 0);
}

TEST(GrmPooling, AllInvalidIsNoDecision) {
    const std::vector<Judgment> js = {broken(), broken(), broken()};
    const PooledDecision d = vote(js, 3);
    EXPECT_EQ(d.best, -1);
    EXPECT_EQ(d.voters, 0);
    EXPECT_EQ(d.invalid, 3);
    EXPECT_EQ(d.totals, (std::vector<double>{0, 0, 0}));
    EXPECT_FALSE(d.correct(0));
    EXPECT_EQ(d.credit(0), 0.0);  // all scores 0, but no judgment voted: a miss
    const PooledDecision m = meta_rm_vote(js, {0.5f, 0.9f, 0.1f}, 2, 3);
    EXPECT_EQ(m.best, -1);
    EXPECT_TRUE(m.kept.empty());
    // No judgments at all.
    EXPECT_EQ(vote({}, 2).best, -1);
}

TEST(GrmPooling, JudgmentWithWrongScoreCountDoesNotVote) {
    const std::vector<Judgment> js = {valid({10, 1}), valid({1, 10, 1})};
    const PooledDecision d = vote(js, 2);
    EXPECT_EQ(d.voters, 1);
    EXPECT_EQ(d.best, 0);
}

TEST(GrmPooling, MetaRmKeepsTheTopKMetaValidJudgments) {
    // Voting over all four picks b (a 24, b 25); the meta RM trusts judgments 0 and 3.
    const std::vector<Judgment> js = {valid({10, 4}), valid({1, 10}), broken(), valid({10, 1}),
                                      valid({3, 10})};
    const std::vector<float> meta = {2.0f, -1.0f, 9.0f, 1.5f, 0.5f};
    EXPECT_EQ(vote(js, 2).best, 1);
    EXPECT_EQ(meta_rm_select(js, meta, 2), (std::vector<int>{0, 3}));  // invalid 2 skipped
    const PooledDecision d = meta_rm_vote(js, meta, 2, 2);
    EXPECT_EQ(d.kept, (std::vector<int>{0, 3}));
    EXPECT_EQ(d.totals, (std::vector<double>{20, 5}));
    EXPECT_EQ(d.best, 0);
    EXPECT_EQ(d.voters, 2);
    EXPECT_EQ(d.invalid, 1);
    // k_meta = 1: only the single most trusted valid judgment decides.
    EXPECT_EQ(meta_rm_select(js, meta, 1), (std::vector<int>{0}));
    EXPECT_EQ(meta_rm_vote(js, meta, 1, 2).best, 0);
    const std::vector<float> trust_b = {0.0f, 3.0f, 9.0f, 0.0f, 0.0f};
    EXPECT_EQ(meta_rm_vote(js, trust_b, 1, 2).best, 1);
    // k_meta beyond the valid count keeps every valid judgment = voting.
    EXPECT_EQ(meta_rm_vote(js, meta, 10, 2).totals, vote(js, 2).totals);
}

TEST(GrmPooling, MetaRmTiesKeepTheEarlierSample) {
    const std::vector<Judgment> js = {valid({1, 10}), valid({10, 1}), valid({10, 1})};
    EXPECT_EQ(meta_rm_select(js, {0.7f, 0.7f, 0.7f}, 1), (std::vector<int>{0}));
    EXPECT_EQ(meta_rm_select(js, {0.1f, 0.7f, 0.7f}, 1), (std::vector<int>{1}));
    EXPECT_EQ(meta_rm_select(js, {0.1f, 0.7f, 0.7f}, 2), (std::vector<int>{1, 2}));
}

TEST(GrmPooling, MetaRmRejectsBadArguments) {
    const std::vector<Judgment> js = {valid({1, 10})};
    EXPECT_THROW(meta_rm_select(js, {}, 1), Error);
    EXPECT_THROW(meta_rm_select(js, {1.0f}, 0), Error);
}

TEST(GrmPooling, DefaultKMetaIsHalfAtLeastOne) {
    EXPECT_EQ(default_k_meta(1), 1);
    EXPECT_EQ(default_k_meta(2), 1);
    EXPECT_EQ(default_k_meta(3), 1);
    EXPECT_EQ(default_k_meta(8), 4);
    EXPECT_EQ(default_k_meta(32), 16);
}

TEST(GrmPooling, SpctRuleReward) {
    EXPECT_EQ(spct_reward(valid({10, 7, 4}), 0), 1.0);
    EXPECT_EQ(spct_reward(valid({10, 7, 4}), 1), -1.0);   // wrong pick
    EXPECT_EQ(spct_reward(valid({10, 10, 4}), 0), -1.0);  // tie for the top
    EXPECT_EQ(spct_reward(valid({7, 10, 4}), 1), 1.0);
    EXPECT_EQ(spct_reward(broken(), 0), -1.0);  // invalid
    EXPECT_EQ(spct_reward(valid({10, 7}), -1), -1.0);
    EXPECT_TRUE(singles_out(valid({4, 9}), 1));
    EXPECT_FALSE(singles_out(valid({9, 9}), 1));
}

}  // namespace
}  // namespace tinyseek
