#include "training/evaluator.h"

#include <algorithm>
#include <string>

#include "core/generator.h"
#include "training/reward.h"
#include "training/trainer.h"

namespace tinyseek {

std::vector<int> evaluation_stop_tokens() {
    return {Tokenizer::eos_id, Tokenizer::answer_close_id};
}

GenerationOptions evaluation_options(const SamplingParams& sampling, std::uint64_t seed,
                                     int max_new_tokens, const std::atomic<bool>* cancel) {
    GenerationOptions options;
    options.max_new_tokens = max_new_tokens;
    options.sampling = sampling;
    options.seed = seed;
    options.stop_tokens = evaluation_stop_tokens();
    options.cancel = cancel;
    return options;
}

std::vector<int> prompt_tokens(const Tokenizer& tokenizer, const Problem& problem) {
    std::vector<int> p = {Tokenizer::bos_id};
    const std::vector<TokenId> ids = tokenizer.encode(problem.prompt);
    p.insert(p.end(), ids.begin(), ids.end());
    return p;
}

std::vector<std::vector<int>> held_out_prompts(const Task& task, const Tokenizer& tokenizer, int n,
                                               std::uint64_t seed) {
    if (n < 1) throw ConfigError("held_out_prompts: n must be >= 1, got " + std::to_string(n));
    std::vector<std::vector<int>> out;
    for (const Problem& p : held_out_prefix(task, static_cast<std::size_t>(n), seed))
        out.push_back(prompt_tokens(tokenizer, p));
    return out;
}

namespace {

RolloutSample evaluation_sample(const Problem& problem, int index, const std::string& text,
                                const RewardBreakdown& reward, const SequenceOutput& s) {
    RolloutSample r;
    r.prompt = problem.prompt;
    r.completion = text;
    r.reward = reward;
    r.length = static_cast<int>(s.tokens.size());
    r.source = RolloutSource::eval;
    r.group = index;
    r.member = 0;
    r.set_token_values({s.tokens, s.logprob_model, s.entropy_model}, /*keep=*/true);
    return r;
}

}  // namespace

EvalResult evaluate(const ParamStore& params, const Tokenizer& tokenizer, const Task& task,
                    const std::vector<Problem>& problems, const SamplingParams& sampling,
                    std::uint64_t seed, int max_new_tokens, const std::atomic<bool>* cancel,
                    int keep_samples) {
    sampling.validate();
    if (max_new_tokens < 1)
        throw ConfigError("evaluate: max_new_tokens must be >= 1, got " +
                          std::to_string(max_new_tokens));
    EvalResult result;
    result.n = static_cast<int>(problems.size());
    if (problems.empty()) return result;

    Generator generator(params, CacheMode::latent);
    GenerationOptions options = evaluation_options(sampling, seed, max_new_tokens, cancel);

    RewardTally tally;
    std::int64_t generated = 0;
    const int n = static_cast<int>(problems.size());
    for (int first = 0; first < n; first += kEvalBatch) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            throw Cancelled("evaluation cancelled after " + std::to_string(first) + " of " +
                            std::to_string(n) + " problems");
        const int count = std::min(kEvalBatch, n - first);
        std::vector<std::vector<int>> prompts(count);
        options.sequence_ids.resize(count);
        for (int i = 0; i < count; ++i) {
            prompts[i] = prompt_tokens(tokenizer, problems[first + i]);
            // The stream of problem i is (seed, i) whatever batch it lands in.
            options.sequence_ids[i] = static_cast<std::uint64_t>(first + i);
        }
        const GenerationResult out = generator.generate(prompts, options);
        for (int i = 0; i < count; ++i) {
            const SequenceOutput& s = out.sequences[i];
            if (s.stop_reason == StopReason::cancelled)
                throw Cancelled("evaluation cancelled after " + std::to_string(first) + " of " +
                                std::to_string(n) + " problems");
            std::vector<int> text_ids = s.tokens;
            if (!text_ids.empty() && text_ids.back() == Tokenizer::eos_id) text_ids.pop_back();
            const std::string text = tokenizer.decode(text_ids);
            const RewardBreakdown reward = score_completion(task, problems[first + i], text);
            tally.add(reward);
            result.styles.add(text, double(s.tokens.size()), reward.accuracy);
            tally_buckets(task, problems[first + i], reward.accuracy > 0.0, result.buckets);
            generated += static_cast<std::int64_t>(s.tokens.size());
            if (first + i < keep_samples)
                result.samples.push_back(
                    evaluation_sample(problems[first + i], first + i, text, reward, s));
        }
    }
    result.accuracy = tally.mean_accuracy();
    result.format = tally.mean_format();
    result.malformed = tally.malformed;
    result.mean_length = static_cast<double>(generated) / n;
    return result;
}

void evaluate_top_up(const ParamStore& params, const Tokenizer& tokenizer, const Task& task,
                     const std::vector<Problem>& top_up, const SamplingParams& sampling,
                     std::uint64_t seed, int max_new_tokens, BucketTallies& buckets,
                     const std::atomic<bool>* cancel) {
    if (top_up.empty()) return;
    const EvalResult r =
        evaluate(params, tokenizer, task, top_up, sampling, seed, max_new_tokens, cancel);
    merge_top_up(task, r.buckets, buckets);
}

}  // namespace tinyseek
