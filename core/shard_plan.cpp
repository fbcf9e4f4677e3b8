#include "core/shard_plan.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace tinyseek {

std::vector<int> balanced_cuts(const std::vector<int>& sorted, int S) {
    const int B = static_cast<int>(sorted.size());
    auto rows = [&](int i, int j) { return static_cast<std::int64_t>(j - i) * sorted[i]; };
    // worst[s][j]: the smallest largest shard of the first j sequences in s shards; from[s][j]
    // where its last shard starts. Ties keep the start nearest equal counts.
    constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();
    std::vector<std::vector<std::int64_t>> worst(S + 1, std::vector<std::int64_t>(B + 1, kNone));
    std::vector<std::vector<int>> from(S + 1, std::vector<int>(B + 1, 0));
    worst[0][0] = 0;
    for (int s = 1; s <= S; ++s) {
        const int even = B * (s - 1) / S;  // where equal counts would start shard s
        for (int j = s; j <= B; ++j)
            for (int i = s - 1; i < j; ++i) {
                if (worst[s - 1][i] == kNone) continue;
                const std::int64_t w = std::max(worst[s - 1][i], rows(i, j));
                const bool nearer = std::abs(i - even) <= std::abs(from[s][j] - even);
                if (w < worst[s][j] || (w == worst[s][j] && nearer)) {
                    worst[s][j] = w;
                    from[s][j] = i;
                }
            }
    }
    std::vector<int> first(S + 1, B);
    for (int s = S, j = B; s > 0; --s) first[s - 1] = j = from[s][j];
    return first;
}

ShardPlan shard_plan(const std::vector<int>& sorted_lengths, int S, int threads) {
    const std::int64_t B = static_cast<std::int64_t>(sorted_lengths.size());
    ShardPlan plan;
    plan.worker_shards.resize(std::min(S, threads));
    std::vector<std::int64_t> load(plan.worker_shards.size(), 0);
    // balanced_cuts takes S B^2 steps: batches beyond training's size keep equal counts.
    if (S <= threads && B <= 256 && sorted_lengths.front() != sorted_lengths.back()) {
        plan.first = balanced_cuts(sorted_lengths, S);  // one shard per worker
    } else {  // equal counts (several shards per worker: the assignment below balances them)
        for (int k = 0; k <= S; ++k) plan.first.push_back(static_cast<int>(B * k / S));
    }
    for (int k = 0; k < S; ++k) {
        const auto w = std::min_element(load.begin(), load.end()) - load.begin();
        plan.worker_shards[w].push_back(k);
        load[w] += static_cast<std::int64_t>(plan.first[k + 1] - plan.first[k]) *
                   sorted_lengths[plan.first[k]];
    }
    plan.most_rows = *std::max_element(load.begin(), load.end());
    return plan;
}

}  // namespace tinyseek
