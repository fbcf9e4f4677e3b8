// How a batch is cut into shards: balanced_cuts against every possible cut (brute force) on
// small batches, and the plans the model gets for equal and for differing lengths.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include "core/shard_plan.h"

namespace tinyseek {
namespace {

// The largest shard's rows under cuts `first` of lengths sorted longest first.
std::int64_t largest(const std::vector<int>& sorted, const std::vector<int>& first) {
    std::int64_t most = 0;
    for (size_t k = 0; k + 1 < first.size(); ++k)
        most =
            std::max<std::int64_t>(most, std::int64_t(first[k + 1] - first[k]) * sorted[first[k]]);
    return most;
}

// The smallest largest shard over every way to cut B sequences into S non-empty shards.
std::int64_t brute_force(const std::vector<int>& sorted, int S) {
    const int B = static_cast<int>(sorted.size());
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    std::vector<int> first{0};
    std::function<void(int)> cut = [&](int from) {
        if (static_cast<int>(first.size()) == S) {
            first.push_back(B);
            best = std::min(best, largest(sorted, first));
            first.pop_back();
            return;
        }
        for (int i = from + 1; i <= B - (S - static_cast<int>(first.size())); ++i) {
            first.push_back(i);
            cut(i);
            first.pop_back();
        }
    };
    cut(0);
    return best;
}

TEST(ShardPlan, BalancedCutsAreTheBestOfEveryCut) {
    std::mt19937 rng(17);
    for (int trial = 0; trial < 300; ++trial) {
        const int B = 1 + static_cast<int>(rng() % 12);
        const int S = 1 + static_cast<int>(rng() % std::min(B, 4));
        std::vector<int> sorted(B);
        for (int& len : sorted) len = 1 + static_cast<int>(rng() % 60);
        std::sort(sorted.rbegin(), sorted.rend());
        const std::vector<int> first = balanced_cuts(sorted, S);
        ASSERT_EQ(first.size(), size_t(S + 1));
        EXPECT_EQ(first.front(), 0);
        EXPECT_EQ(first.back(), B);
        for (int k = 0; k < S; ++k) EXPECT_LT(first[k], first[k + 1]) << "empty shard " << k;
        EXPECT_EQ(largest(sorted, first), brute_force(sorted, S)) << "B=" << B << " S=" << S;
    }
}

// An SFT batch: the shard of the longest traces gets fewer of them than equal counts would
// give it, and no thread computes more rows than with equal counts.
TEST(ShardPlan, OneShardPerThreadBalancesRowsNotCounts) {
    std::vector<int> sorted;
    for (int i = 0; i < 32; ++i) sorted.push_back(52 - i / 3);  // 52 .. 42 tokens
    const ShardPlan plan = shard_plan(sorted, 2, 2);
    ASSERT_EQ(plan.first.size(), 3u);
    EXPECT_LT(plan.first[1], 16);
    const std::int64_t equal_counts = std::max(16 * sorted[0], 16 * sorted[16]);
    EXPECT_LT(plan.most_rows, equal_counts);
    EXPECT_EQ(plan.worker_shards.size(), 2u);

    // One length: equal counts, as the batch's contiguous halves.
    const ShardPlan even = shard_plan(std::vector<int>(10, 7), 2, 2);
    EXPECT_EQ(even.first, (std::vector<int>{0, 5, 10}));
    // More shards than threads: equal counts, handed out by load.
    const ShardPlan finer = shard_plan(sorted, 8, 2);
    EXPECT_EQ(finer.first, (std::vector<int>{0, 4, 8, 12, 16, 20, 24, 28, 32}));
}

}  // namespace
}  // namespace tinyseek
