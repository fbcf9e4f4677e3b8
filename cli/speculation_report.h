// Statistics of speculative decoding for `tinyseek generate --speculative`: acceptance
// overall, by position in the completion and by token class, and tokens per main-model
// forward. The classes come from the character tokenizer (core/tokenizer.h):
//   tag            a special token (<eos>, <think>, </answer>, ...)
//   answer_digit   a digit between <answer> and </answer>
//   digit          any other digit (reasoning inside <think>, the prompt's echo)
//   other          everything else (operators, spaces, letters, punctuation)
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/generator.h"
#include "core/tokenizer.h"

namespace tinyseek::cli {

// Class of completion token k, given the prompt before it (for the <answer> context).
std::string token_class(const Tokenizer& tokenizer, const std::vector<int>& prompt,
                        const std::vector<int>& completion, size_t k);

// {"drafted", "accepted", "acceptance_rate", "main_forwards", "tokens_per_forward",
//  "drafted_by_position", "accepted_by_position", "by_class": {class: {drafted, accepted}}}
nlohmann::json speculation_json(const Tokenizer& tokenizer,
                                const std::vector<std::vector<int>>& prompts,
                                const GenerationResult& result);

// One line: "speculative: D drafted, A accepted (R%), T tokens per main-model forward".
std::string speculation_summary(const GenerationResult& result);

}  // namespace tinyseek::cli
