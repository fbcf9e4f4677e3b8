// How a batch of sequences of different lengths is cut into shards and the shards handed to
// the threads (core/model.h; docs/ARCHITECTURE.md "Threading rules").
#pragma once

#include <cstdint>
#include <vector>

namespace tinyseek {

// S shards of B sequences whose lengths are sorted longest first: shard k holds sorted
// positions first[k] .. first[k+1] and computes (its sequences) x (its longest) rows; the
// shards go to min(S, threads) workers longest first, each to the least loaded one.
struct ShardPlan {
    std::vector<int> first;                       // (S + 1)
    std::vector<std::vector<int>> worker_shards;  // (workers)
    std::int64_t most_rows = 0;                   // of one worker
};

// With one shard per worker (S <= threads) and lengths that differ, the cuts are
// balanced_cuts' (up to 256 sequences); otherwise the shards hold equal counts (the assignment
// balances several shards per worker). 1 <= S <= B.
ShardPlan shard_plan(const std::vector<int>& sorted_lengths, int S, int threads);

// Cut points (S + 1) of the sorted lengths into S contiguous shards whose largest row count
// (sequences x the shard's longest) is the smallest possible; among such cuts, each the one
// nearest to equal counts. Equal counts give the shard of the longest sequences the most
// rows: on SFT's batches of 32 traces of 35-52 tokens one thread waited a tenth of every
// step. Takes S B^2 steps. 1 <= S <= B.
std::vector<int> balanced_cuts(const std::vector<int>& sorted_lengths, int S);

}  // namespace tinyseek
