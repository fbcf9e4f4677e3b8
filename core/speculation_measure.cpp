#include "core/speculation_measure.h"

#include <algorithm>
#include <string>

#include "core/errors.h"

namespace tinyseek {

AcceptanceMeasurement measure_acceptance(const ParamStore& params, const Tokenizer& tokenizer,
                                         const std::vector<std::vector<int>>& prompts,
                                         const AcceptanceOptions& options,
                                         const std::atomic<bool>* cancel,
                                         const MeasureProgress& progress) {
    if (options.batch < 1)
        throw ConfigError("measure_acceptance: batch must be >= 1, got " +
                          std::to_string(options.batch));
    Generator generator(params, options.mode);
    GenerationOptions gen;
    gen.max_new_tokens = options.max_new_tokens;
    gen.sampling.temperature = 0.0f;  // greedy: a draft is kept iff it is the argmax
    gen.stop_tokens = options.stop_tokens;
    gen.cancel = cancel;
    gen.speculative = true;

    AcceptanceMeasurement m;
    const int n = static_cast<int>(prompts.size());
    const int parts = (n + options.batch - 1) / options.batch;
    for (int first = 0, part = 0; first < n; first += options.batch, ++part) {
        const auto cancelled = [&] {
            return Cancelled("acceptance measurement cancelled after " + std::to_string(first) +
                             " of " + std::to_string(n) + " prompts");
        };
        if (cancel && cancel->load()) throw cancelled();
        const int count = std::min(options.batch, n - first);
        const std::vector<std::vector<int>> batch(prompts.begin() + first,
                                                  prompts.begin() + first + count);
        GenerationResult r = generator.generate(batch, gen);
        for (const SequenceOutput& s : r.sequences)
            if (s.stop_reason == StopReason::cancelled) throw cancelled();
        for (SequenceOutput& s : r.sequences) {
            m.main_forwards += s.main_forwards;
            m.generated_tokens += static_cast<long>(s.tokens.size());
            m.sequences.push_back(std::move(s));
        }
        if (progress) progress(part + 1, parts);
    }
    m.stats = speculation_stats(m.sequences);
    m.by_class = speculation_by_class(tokenizer, prompts, m.sequences);
    return m;
}

}  // namespace tinyseek
