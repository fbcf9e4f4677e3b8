// pass@k and maj@k of a checkpoint on held-out problems: does sampling more often find a right
// answer (pass@k), and does a vote over k samples pick it (maj@k)? n samples are drawn per
// problem at one temperature; pass@k uses the unbiased estimator of Chen et al. (2021),
// 1 - C(n-c, k) / C(n, k) for c right samples of n, so every k <= n comes from the same draws.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/param_store.h"
#include "core/sampler.h"
#include "core/tokenizer.h"
#include "training/task.h"

namespace tinyseek {

// Probability that a random k-subset of n samples, c of them right, holds a right one.
// Throws Error unless 0 <= c <= n and 1 <= k <= n.
double pass_at_k(int n, int c, int k);

// One problem's samples in draw order: each one's vote (its answer in canonical form: an
// integer without leading zeros, otherwise the trimmed text; empty when it gave no readable
// answer) and whether it is right.
struct ProblemSamples {
    std::vector<std::string> votes;
    std::vector<bool> correct;
};

// The canonical vote of an answer text (see ProblemSamples).
std::string vote_of(std::string_view answer);

// maj@k over the n / k disjoint blocks of k consecutive samples (the rest is unused): in each
// block the most frequent non-empty vote wins; a tie among t votes credits the share of right
// ones among them (a random pick), and a block without a readable answer scores 0. Returns
// the mean over the blocks. Throws Error unless 1 <= k <= n.
double majority_at_k(const ProblemSamples& samples, int k);

struct PassAtKCurve {
    std::vector<int> ks;
    std::vector<double> pass;      // mean over problems of pass_at_k(n, c, k)
    std::vector<double> majority;  // mean over problems of majority_at_k(samples, k)
    int problems = 0;
    int samples = 0;             // n per problem
    double mean_accuracy = 0.0;  // right samples / all samples (= pass@1)
};

// Called after each batch of samples with the samples drawn so far and the total.
using PassAtKProgress = std::function<void(long done, long total)>;

// Draws `samples` completions of every problem (problem i's sample j from the stream
// (seed, i * samples + j), so results do not depend on batching) and scores them with the
// task's verifier. Throws ConfigError for k outside [1, samples] or invalid sampling, Cancelled
// when `cancel` is raised.
PassAtKCurve measure_pass_at_k(const ParamStore& params, const Tokenizer& tokenizer,
                               const Task& task, const std::vector<Problem>& problems,
                               const SamplingParams& sampling, std::uint64_t seed, int samples,
                               int max_new_tokens, const std::vector<int>& ks,
                               const std::atomic<bool>* cancel = nullptr,
                               const PassAtKProgress& progress = {});

}  // namespace tinyseek
