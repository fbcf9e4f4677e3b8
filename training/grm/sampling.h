// Sampling judgments from the judge with the batched KV-cache Generator, for rejective
// fine-tuning, the meta RM's training data, validation and the scaling experiment.
//
// Sample j of item i is drawn from the random stream (seed, i * kSampleStride + j) where i is
// the item's position in the caller's list: the samples do not depend on the batching, and
// the first k of k_max samples are exactly the samples a run with k would draw, so voting@k
// over prefixes of one k_max draw is voting@k.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/param_store.h"
#include "core/sampler.h"
#include "core/tokenizer.h"
#include "training/grm/format.h"
#include "training/grm/items.h"

namespace tinyseek {

inline constexpr std::uint64_t kSampleStride = 4096;  // most samples per item

struct SampledJudgment {
    std::vector<int> tokens;  // generated ids, the stop token included, no <eos> at the end
    std::string text;         // decoded tokens (the judgment from <think> on)
    Judgment judgment;        // parse_judgment(text, item.size())
    int generated = 0;        // generated tokens, the stop token (or <eos>) included
};

struct JudgmentSamplingOptions {
    SamplingParams sampling;       // temperature <= 0: greedy (then k must be 1)
    std::uint64_t seed = 0;        // of the random streams
    int samples_per_item = 1;      // k, 1..kSampleStride
    int max_new_tokens = 128;      // per judgment
    int batch_sequences = 512;     // sequences per Generator call (whole items per call)
    std::uint64_t first_item = 0;  // index of items[0] in the caller's full list (streams)
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(std::size_t items_done)> progress;  // after each Generator call
};

// out[i][j] = sample j of items[i]. Throws Cancelled when `cancel` is raised, ConfigError on
// bad options.
std::vector<std::vector<SampledJudgment>> sample_judgments(const ParamStore& params,
                                                           const Tokenizer& tokenizer,
                                                           const std::vector<JudgeItem>& items,
                                                           const JudgmentSamplingOptions& options);

// <bos> + prompt tokens of an item (what the judge reads), and the same followed by a
// judgment's tokens (what the meta RM reads).
std::vector<int> judge_prompt_tokens(const JudgeItem& item, const Tokenizer& tokenizer);
std::vector<int> meta_rm_tokens(const JudgeItem& item, const SampledJudgment& sample,
                                const Tokenizer& tokenizer);
// Position in meta_rm_tokens() where the judgment starts (the span the meta RM pools).
int meta_rm_pool_from(const JudgeItem& item, const Tokenizer& tokenizer);
// <bos> + question + candidate c (what the scalar RM reads), e.g. "357+468=825".
std::vector<int> scalar_rm_tokens(const JudgeItem& item, int candidate, const Tokenizer& tokenizer);

}  // namespace tinyseek
