// What the commands that run a checkpoint on a text share: loading the checkpoint named by
// --model, encoding a text option, and the sampling options --temperature, --top-k, --top-p.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"
#include "core/checkpoint.h"
#include "core/sampler.h"

namespace tinyseek::cli {

// The weights of --model DIR (no optimizer state). Throws UsageError without --model and
// CheckpointError naming what is missing when DIR is not a checkpoint directory.
Checkpoint load_model(const Args& args);

// The ids of `text` as given (special tags become their tokens, nothing is added). Throws
// UsageError when it is empty and TokenizerError naming an unknown character.
std::vector<int> encode_text(const Tokenizer& tokenizer, const std::string& text,
                             const std::string& option);

// --temperature (default `temperature`), --top-k (default 0 = off), --top-p (default 1 =
// off); UsageError naming the option when a value is out of range.
SamplingParams sampling_options(const Args& args, double temperature);

}  // namespace tinyseek::cli
