// Held-out evaluation: generate a completion for every problem with the batched KV-cache
// Generator (latent cache, <eos> and </answer> stop) and score it with the task's verifier.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/generator.h"
#include "core/param_store.h"
#include "core/sampler.h"
#include "core/tokenizer.h"
#include "training/difficulty.h"
#include "training/step_report.h"
#include "training/task.h"
#include "training/trace_style.h"

namespace tinyseek {

struct EvalResult {
    double accuracy = 0.0;       // fraction of problems answered correctly
    double format = 0.0;         // fraction with well-formed tags (reward.h "format")
    double mean_length = 0.0;    // generated tokens per completion (stop token included)
    int n = 0;                   // problems evaluated
    std::int64_t malformed = 0;  // completions without a readable answer
    StyleTally styles;           // the completions by style (think or direct)
    BucketTallies buckets;       // the problems by difficulty bucket (training/difficulty.h)
    // The completions of the first `keep_samples` problems (source eval, group = the problem's
    // index, per-token values of the model's own distribution).
    std::vector<RolloutSample> samples;
};

// Prompts per Generator call: large enough to amortise the packed weights, small enough to
// keep the KV cache modest.
inline constexpr int kEvalBatch = 128;

// Where an evaluation completion stops: <eos> or </answer>.
std::vector<int> evaluation_stop_tokens();

// The generation options of an evaluation: at most `max_new_tokens`, `sampling` from streams
// of `seed`, stopping at evaluation_stop_tokens(); sequence_ids are the caller's.
GenerationOptions evaluation_options(const SamplingParams& sampling, std::uint64_t seed,
                                     int max_new_tokens, const std::atomic<bool>* cancel);

// What the model is fed for a problem: <bos> and the prompt's tokens.
std::vector<int> prompt_tokens(const Tokenizer& tokenizer, const Problem& problem);

// prompt_tokens() of the first n problems of the evaluator's held-out set
// (held_out_set(task, ., seed), the same problems whatever n, since the set is drawn in order;
// all of them when the held-out split holds fewer than n). For measurements beside the
// accuracy, such as the MTP draft's acceptance: never tuned on.
std::vector<std::vector<int>> held_out_prompts(const Task& task, const Tokenizer& tokenizer, int n,
                                               std::uint64_t seed);

// Greedy when sampling.temperature <= 0; otherwise problem i is sampled from the stream
// (seed, i), so results do not depend on the batching. Throws Cancelled when `cancel` is
// raised (checked inside generation), ConfigError on invalid sampling parameters.
EvalResult evaluate(const ParamStore& params, const Tokenizer& tokenizer, const Task& task,
                    const std::vector<Problem>& problems, const SamplingParams& sampling,
                    std::uint64_t seed, int max_new_tokens,
                    const std::atomic<bool>* cancel = nullptr, int keep_samples = 0);

// Evaluates the top-up problems of rare buckets (difficulty_top_up) as evaluate() does and adds
// them to the length buckets of `buckets` (merge_top_up). Nothing when `top_up` is empty.
void evaluate_top_up(const ParamStore& params, const Tokenizer& tokenizer, const Task& task,
                     const std::vector<Problem>& top_up, const SamplingParams& sampling,
                     std::uint64_t seed, int max_new_tokens, BucketTallies& buckets,
                     const std::atomic<bool>* cancel = nullptr);

}  // namespace tinyseek
