// Statistics of speculative decoding for `tinyseek generate --speculative`: acceptance
// overall, by position in the completion and by token class, and tokens per main-model
// forward. The classes are core/token_class.h's (tag, answer_digit, digit, other), shared with
// the window's Inference page.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/generator.h"
#include "core/tokenizer.h"

namespace tinyseek::cli {

// {"drafted", "accepted", "acceptance_rate", "main_forwards", "tokens_per_forward",
//  "drafted_by_position", "accepted_by_position", "by_class": {class: {drafted, accepted}}};
// by_class lists the classes with at least one draft.
nlohmann::json speculation_json(const Tokenizer& tokenizer,
                                const std::vector<std::vector<int>>& prompts,
                                const GenerationResult& result);

// One line: "speculative: D drafted, A accepted (R%), T tokens per main-model forward".
std::string speculation_summary(const GenerationResult& result);

}  // namespace tinyseek::cli
