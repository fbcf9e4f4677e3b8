#include "core/token_class.h"

namespace tinyseek {

namespace {

bool is_digit(const Tokenizer& tokenizer, int id) {
    if (tokenizer.is_special(id)) return false;
    const std::string text = tokenizer.token_text(id);
    return text.size() == 1 && text[0] >= '0' && text[0] <= '9';
}

// Updates `inside` (within <answer>...</answer>) after token `id`.
void follow_answer_tags(int id, bool& inside) {
    if (id == Tokenizer::answer_open_id) inside = true;
    if (id == Tokenizer::answer_close_id) inside = false;
}

}  // namespace

const char* to_string(TokenClass c) {
    switch (c) {
        case TokenClass::tag:
            return "tag";
        case TokenClass::answer_digit:
            return "answer_digit";
        case TokenClass::digit:
            return "digit";
        case TokenClass::other:
            return "other";
    }
    return "other";
}

std::vector<TokenClass> classify_completion(const Tokenizer& tokenizer,
                                            const std::vector<int>& prompt,
                                            const std::vector<int>& completion) {
    // Inside an answer when the latest <answer> / </answer> before the token opens one.
    bool inside = false;
    for (int id : prompt) follow_answer_tags(id, inside);
    std::vector<TokenClass> out;
    out.reserve(completion.size());
    for (int id : completion) {
        if (tokenizer.is_special(id))
            out.push_back(TokenClass::tag);
        else if (!is_digit(tokenizer, id))
            out.push_back(TokenClass::other);
        else
            out.push_back(inside ? TokenClass::answer_digit : TokenClass::digit);
        follow_answer_tags(id, inside);
    }
    return out;
}

SpeculationByClass speculation_by_class(const Tokenizer& tokenizer,
                                        const std::vector<std::vector<int>>& prompts,
                                        const std::vector<SequenceOutput>& sequences) {
    SpeculationByClass out;
    for (std::size_t i = 0; i < sequences.size() && i < prompts.size(); ++i) {
        const SequenceOutput& s = sequences[i];
        if (s.draft_outcome.empty()) continue;
        const std::vector<TokenClass> classes =
            classify_completion(tokenizer, prompts[i], s.tokens);
        for (std::size_t k = 0; k < s.draft_outcome.size() && k < classes.size(); ++k) {
            if (s.draft_outcome[k] == SequenceOutput::kNotDrafted) continue;
            const int c = static_cast<int>(classes[k]);
            ++out.drafted[c];
            out.accepted[c] += s.draft_outcome[k] == SequenceOutput::kDraftAccepted;
        }
    }
    return out;
}

}  // namespace tinyseek
