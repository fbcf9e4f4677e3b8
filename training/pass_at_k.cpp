#include "training/pass_at_k.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "core/errors.h"
#include "core/generator.h"
#include "training/evaluator.h"
#include "training/reward.h"

namespace tinyseek {

double pass_at_k(int n, int c, int k) {
    if (c < 0 || c > n || k < 1 || k > n)
        throw Error("pass@k needs 0 <= c <= n and 1 <= k <= n, got n=" + std::to_string(n) +
                    " c=" + std::to_string(c) + " k=" + std::to_string(k));
    if (n - c < k) return 1.0;  // every k-subset holds a right sample
    // C(n-c, k) / C(n, k) = prod_{i=n-c+1}^{n} (1 - k / i): no large binomials.
    double miss = 1.0;
    for (int i = n - c + 1; i <= n; ++i) miss *= 1.0 - double(k) / double(i);
    return 1.0 - miss;
}

std::string vote_of(std::string_view answer) {
    const std::string_view t = text::trim(answer);
    return text::is_integer(t) ? text::canonical_integer(t) : std::string(t);
}

double majority_at_k(const ProblemSamples& samples, int k) {
    const int n = static_cast<int>(samples.votes.size());
    if (k < 1 || k > n)
        throw Error("maj@k needs 1 <= k <= n, got n=" + std::to_string(n) +
                    " k=" + std::to_string(k));
    double credit = 0.0;
    const int blocks = n / k;
    for (int b = 0; b < blocks; ++b) {
        std::map<std::string, std::pair<int, bool>> tally;  // vote -> (count, right)
        for (int i = b * k; i < (b + 1) * k; ++i) {
            if (samples.votes[i].empty()) continue;
            auto& [count, right] = tally[samples.votes[i]];
            ++count;
            right = right || samples.correct[i];
        }
        int top = 0, tied = 0, tied_right = 0;
        for (const auto& [vote, entry] : tally) {
            if (entry.first > top) top = entry.first, tied = 0, tied_right = 0;
            if (entry.first == top) ++tied, tied_right += entry.second;
        }
        if (tied > 0) credit += double(tied_right) / tied;
    }
    return credit / blocks;
}

namespace {

// Every sample of every problem, scored.
std::vector<ProblemSamples> draw_samples(const ParamStore& params, const Tokenizer& tokenizer,
                                         const Task& task, const std::vector<Problem>& problems,
                                         const GenerationOptions& base, int samples,
                                         const PassAtKProgress& progress) {
    Generator generator(params, CacheMode::latent);
    GenerationOptions options = base;
    std::vector<ProblemSamples> out(problems.size());
    const long total = static_cast<long>(problems.size()) * samples;
    for (long first = 0; first < total; first += kEvalBatch) {
        const int count = static_cast<int>(std::min<long>(kEvalBatch, total - first));
        std::vector<std::vector<int>> prompts(count);
        options.sequence_ids.resize(count);
        for (int i = 0; i < count; ++i) {
            prompts[i] = prompt_tokens(tokenizer, problems[(first + i) / samples]);
            options.sequence_ids[i] = static_cast<std::uint64_t>(first + i);
        }
        const GenerationResult result = generator.generate(prompts, options);
        for (int i = 0; i < count; ++i) {
            const SequenceOutput& s = result.sequences[i];
            if (s.stop_reason == StopReason::cancelled) throw Cancelled("pass@k cancelled");
            std::vector<int> ids = s.tokens;
            if (!ids.empty() && ids.back() == Tokenizer::eos_id) ids.pop_back();
            const std::string text = tokenizer.decode(ids);
            const Problem& p = problems[(first + i) / samples];
            const ParsedCompletion parsed = parse_completion(text);
            ProblemSamples& ps = out[(first + i) / samples];
            ps.votes.push_back(parsed.has_answer ? vote_of(parsed.answer) : std::string());
            ps.correct.push_back(score_completion(task, p, text).accuracy > 0.0);
        }
        if (progress) progress(first + count, total);
    }
    return out;
}

}  // namespace

PassAtKCurve measure_pass_at_k(const ParamStore& params, const Tokenizer& tokenizer,
                               const Task& task, const std::vector<Problem>& problems,
                               const SamplingParams& sampling, std::uint64_t seed, int samples,
                               int max_new_tokens, const std::vector<int>& ks,
                               const std::atomic<bool>* cancel, const PassAtKProgress& progress) {
    sampling.validate();
    for (int k : ks)
        if (k < 1 || k > samples)
            throw ConfigError("pass@k: k must be in [1, samples = " + std::to_string(samples) +
                              "], got " + std::to_string(k));
    const std::vector<ProblemSamples> drawn =
        draw_samples(params, tokenizer, task, problems,
                     evaluation_options(sampling, seed, max_new_tokens, cancel), samples, progress);

    PassAtKCurve curve;
    curve.ks = ks;
    curve.problems = static_cast<int>(problems.size());
    curve.samples = samples;
    std::vector<int> right;  // per problem
    for (const ProblemSamples& s : drawn)
        right.push_back(static_cast<int>(std::count(s.correct.begin(), s.correct.end(), true)));
    const long all_right = std::accumulate(right.begin(), right.end(), 0L);
    curve.mean_accuracy =
        drawn.empty() ? 0.0 : double(all_right) / (double(drawn.size()) * samples);
    for (int k : ks) {
        double pass = 0.0, majority = 0.0;
        for (std::size_t i = 0; i < drawn.size(); ++i) {
            pass += pass_at_k(samples, right[i], k);
            majority += majority_at_k(drawn[i], k);
        }
        curve.pass.push_back(drawn.empty() ? 0.0 : pass / drawn.size());
        curve.majority.push_back(drawn.empty() ? 0.0 : majority / drawn.size());
    }
    return curve;
}

}  // namespace tinyseek
