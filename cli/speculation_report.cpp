#include "cli/speculation_report.h"

#include <cstdio>

#include "core/token_class.h"

namespace tinyseek::cli {

namespace {
double tokens_per_forward(const GenerationResult& r) {
    long forwards = 0;
    for (const SequenceOutput& s : r.sequences) forwards += s.main_forwards;
    return forwards ? static_cast<double>(r.generated_tokens) / forwards : 0.0;
}
}  // namespace

nlohmann::json speculation_json(const Tokenizer& tokenizer,
                                const std::vector<std::vector<int>>& prompts,
                                const GenerationResult& result) {
    const SpeculationStats s = speculation_stats(result.sequences);
    const SpeculationByClass by_class = speculation_by_class(tokenizer, prompts, result.sequences);
    long forwards = 0;
    for (const SequenceOutput& out : result.sequences) forwards += out.main_forwards;
    nlohmann::json classes = nlohmann::json::object();
    for (int c = 0; c < kTokenClassCount; ++c)
        if (by_class.drafted[c] > 0)
            classes[to_string(static_cast<TokenClass>(c))] = {{"drafted", by_class.drafted[c]},
                                                              {"accepted", by_class.accepted[c]}};
    return {{"drafted", s.drafted},
            {"accepted", s.accepted},
            {"acceptance_rate", s.acceptance_rate()},
            {"main_forwards", forwards},
            {"tokens_per_forward", tokens_per_forward(result)},
            {"drafted_by_position", s.drafted_at},
            {"accepted_by_position", s.accepted_at},
            {"by_class", classes}};
}

std::string speculation_summary(const GenerationResult& result) {
    const SpeculationStats s = speculation_stats(result.sequences);
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "speculative: %ld drafted, %ld accepted (%.1f%%), %.2f tokens per main-model "
                  "forward",
                  s.drafted, s.accepted, 100.0 * s.acceptance_rate(), tokens_per_forward(result));
    return buf;
}

}  // namespace tinyseek::cli
