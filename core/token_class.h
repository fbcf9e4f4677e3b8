// Token classes of a completion, and speculative acceptance per class. The character
// tokenizer (core/tokenizer.h) makes a token's role plain from its id and the tags before it:
//   tag            a special token (<eos>, <think>, </answer>, ...)
//   answer_digit   a digit between <answer> and </answer>
//   digit          any other digit (the reasoning inside <think>)
//   other          everything else (operators, spaces, letters, punctuation)
// `tinyseek generate --speculative` and the Inference page both count drafts by these classes.
#pragma once

#include <array>
#include <vector>

#include "core/generator.h"
#include "core/tokenizer.h"

namespace tinyseek {

enum class TokenClass { tag, answer_digit, digit, other };
inline constexpr int kTokenClassCount = 4;
// "tag" | "answer_digit" | "digit" | "other"
const char* to_string(TokenClass c);

// The class of every token of `completion`; `prompt` (the tokens fed before it) decides
// whether the completion starts inside an answer.
std::vector<TokenClass> classify_completion(const Tokenizer& tokenizer,
                                            const std::vector<int>& prompt,
                                            const std::vector<int>& completion);

// Drafts and acceptances of speculative decoding by the class of the completion token at the
// drafted position (for a rejected draft: the main model's token that replaced it).
struct SpeculationByClass {
    std::array<long, kTokenClassCount> drafted{};   // indexed by TokenClass
    std::array<long, kTokenClassCount> accepted{};  // indexed by TokenClass
};
// sequences[i] is the output for prompts[i]; sequences without draft outcomes count nothing.
SpeculationByClass speculation_by_class(const Tokenizer& tokenizer,
                                        const std::vector<std::vector<int>>& prompts,
                                        const std::vector<SequenceOutput>& sequences);

}  // namespace tinyseek
