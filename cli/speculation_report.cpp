#include "cli/speculation_report.h"

#include <cstdio>
#include <map>

namespace tinyseek::cli {

namespace {
bool is_digit(const Tokenizer& tokenizer, int id) {
    if (tokenizer.is_special(id)) return false;
    const std::string text = tokenizer.token_text(id);
    return text.size() == 1 && text[0] >= '0' && text[0] <= '9';
}

double tokens_per_forward(const GenerationResult& r) {
    long forwards = 0;
    for (const SequenceOutput& s : r.sequences) forwards += s.main_forwards;
    return forwards ? static_cast<double>(r.generated_tokens) / forwards : 0.0;
}
}  // namespace

std::string token_class(const Tokenizer& tokenizer, const std::vector<int>& prompt,
                        const std::vector<int>& completion, size_t k) {
    const int id = completion[k];
    if (tokenizer.is_special(id)) return "tag";
    if (!is_digit(tokenizer, id)) return "other";
    // Inside an answer when the latest <answer> / </answer> before the token opens one.
    int last_tag = -1;
    auto scan = [&](const std::vector<int>& ids, size_t end) {
        for (size_t i = 0; i < end; ++i)
            if (ids[i] == Tokenizer::answer_open_id || ids[i] == Tokenizer::answer_close_id)
                last_tag = ids[i];
    };
    scan(prompt, prompt.size());
    scan(completion, k);
    return last_tag == Tokenizer::answer_open_id ? "answer_digit" : "digit";
}

nlohmann::json speculation_json(const Tokenizer& tokenizer,
                                const std::vector<std::vector<int>>& prompts,
                                const GenerationResult& result) {
    const SpeculationStats s = speculation_stats(result.sequences);
    std::map<std::string, std::pair<long, long>> by_class;  // class -> (drafted, accepted)
    long forwards = 0;
    for (size_t i = 0; i < result.sequences.size(); ++i) {
        const SequenceOutput& out = result.sequences[i];
        forwards += out.main_forwards;
        for (size_t k = 0; k < out.draft_outcome.size(); ++k) {
            if (out.draft_outcome[k] == SequenceOutput::kNotDrafted) continue;
            auto& [drafted, accepted] = by_class[token_class(tokenizer, prompts[i], out.tokens, k)];
            ++drafted;
            accepted += out.draft_outcome[k] == SequenceOutput::kDraftAccepted;
        }
    }
    nlohmann::json classes = nlohmann::json::object();
    for (const auto& [name, counts] : by_class)
        classes[name] = {{"drafted", counts.first}, {"accepted", counts.second}};
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
