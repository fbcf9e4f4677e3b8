#include "training/grm/sampling.h"

#include <algorithm>

#include "core/errors.h"
#include "core/generator.h"
#include "training/trainer.h"

namespace tinyseek {

std::vector<int> judge_prompt_tokens(const JudgeItem& item, const Tokenizer& tokenizer) {
    std::vector<int> ids{Tokenizer::bos_id};
    const std::vector<TokenId> text = tokenizer.encode(judge_prompt(item));
    ids.insert(ids.end(), text.begin(), text.end());
    return ids;
}

std::vector<int> meta_rm_tokens(const JudgeItem& item, const SampledJudgment& sample,
                                const Tokenizer& tokenizer) {
    std::vector<int> ids = judge_prompt_tokens(item, tokenizer);
    ids.insert(ids.end(), sample.tokens.begin(), sample.tokens.end());
    // A judge that stopped at once wrote only <eos> (not kept in `tokens`): the meta RM reads
    // that token, so its span is never empty.
    if (sample.tokens.empty()) ids.push_back(Tokenizer::eos_id);
    return ids;
}

int meta_rm_pool_from(const JudgeItem& item, const Tokenizer& tokenizer) {
    return static_cast<int>(judge_prompt_tokens(item, tokenizer).size());
}

std::vector<int> scalar_rm_tokens(const JudgeItem& item, int candidate,
                                  const Tokenizer& tokenizer) {
    std::vector<int> ids{Tokenizer::bos_id};
    const std::vector<TokenId> text =
        tokenizer.encode(item.problem.prompt + item.candidates.at(std::size_t(candidate)));
    ids.insert(ids.end(), text.begin(), text.end());
    return ids;
}

std::vector<std::vector<SampledJudgment>> sample_judgments(const ParamStore& params,
                                                           const Tokenizer& tokenizer,
                                                           const std::vector<JudgeItem>& items,
                                                           const JudgmentSamplingOptions& options) {
    options.sampling.validate();
    const int k = options.samples_per_item;
    if (k < 1 || static_cast<std::uint64_t>(k) > kSampleStride)
        throw ConfigError("judgment sampling: samples_per_item is " + std::to_string(k) +
                          ", expected 1.." + std::to_string(kSampleStride));
    if (options.sampling.greedy() && k != 1)
        throw ConfigError("judgment sampling: greedy decoding gives one judgment per item, " +
                          std::to_string(k) + " were asked for");
    if (options.max_new_tokens < 1)
        throw ConfigError("judgment sampling: max_new_tokens must be >= 1");
    const int max_len = params.config().max_position_embeddings;
    const std::size_t per_call = static_cast<std::size_t>(std::max(1, options.batch_sequences / k));

    std::vector<std::vector<SampledJudgment>> out(items.size());
    Generator generator(params, CacheMode::latent);
    for (std::size_t start = 0; start < items.size(); start += per_call) {
        const std::size_t end = std::min(items.size(), start + per_call);
        std::vector<std::vector<int>> prompts;
        GenerationOptions g;
        g.max_new_tokens = options.max_new_tokens;
        g.sampling = options.sampling;
        g.seed = options.seed;
        g.stop_tokens = {Tokenizer::eos_id, Tokenizer::answer_close_id};
        g.cancel = options.cancel;
        std::vector<int> prompt_len;
        for (std::size_t i = start; i < end; ++i) {
            const std::vector<int> ids = judge_prompt_tokens(items[i], tokenizer);
            for (int j = 0; j < k; ++j) {
                prompts.push_back(ids);
                prompt_len.push_back(static_cast<int>(ids.size()));
                g.sequence_ids.push_back((options.first_item + i) * kSampleStride +
                                         static_cast<std::uint64_t>(j));
            }
        }
        GenerationResult result = generator.generate(prompts, g);
        for (std::size_t s = 0; s < result.sequences.size(); ++s) {
            SequenceOutput& seq = result.sequences[s];
            if (seq.stop_reason == StopReason::cancelled)
                throw Cancelled("judgment sampling cancelled");
            const std::size_t i = start + s / static_cast<std::size_t>(k);
            SampledJudgment sj;
            sj.generated = static_cast<int>(seq.tokens.size());
            sj.tokens = std::move(seq.tokens);
            if (!sj.tokens.empty() && sj.tokens.back() == Tokenizer::eos_id) sj.tokens.pop_back();
            // The generator may sample one token past the context; readers need it to fit.
            const std::size_t room = static_cast<std::size_t>(max_len - prompt_len[s]);
            if (sj.tokens.size() > room) sj.tokens.resize(room);
            sj.text = tokenizer.decode(sj.tokens);
            sj.judgment = parse_judgment(sj.text, items[i].size());
            out[i].push_back(std::move(sj));
        }
        if (options.cancel && options.cancel->load(std::memory_order_relaxed))
            throw Cancelled("judgment sampling cancelled");
        if (options.progress) options.progress(end);
    }
    return out;
}

}  // namespace tinyseek
