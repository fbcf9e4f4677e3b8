// What `tinyseek inspect` computes for a text, and the hook through which the window's build
// adds the Explore page's figures to its files (cli/ never calls into gui/).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/forward_inspection.h"
#include "core/next_token.h"

namespace tinyseek::cli {

struct InspectResult {
    const Tokenizer& tokenizer;
    const ModelConfig& config;
    ForwardInspection inspection;
    NextTokenDistribution next;   // under the sampling options given
    int64_t kv_latent_bytes = 0;  // cache per token in the model's own scheme, fp32, all layers
    int64_t kv_mha_bytes = 0;     // what MHA would hold for the same heads
};

// One forward of `tokens` through the checkpoint (throws core errors).
InspectResult inspect_text(const Checkpoint& checkpoint, const std::vector<int>& tokens,
                           const SamplingParams& sampling);
// The result refers to the checkpoint's tokenizer and config: never to a temporary's.
InspectResult inspect_text(Checkpoint&& checkpoint, const std::vector<int>& tokens,
                           const SamplingParams& sampling) = delete;

// Writes figures of `result` into the folder and returns their paths.
using InspectFigureWriter = std::function<std::vector<std::string>(
    const InspectResult& result, const std::filesystem::path& dir)>;
void set_inspect_figure_writer(InspectFigureWriter writer);

}  // namespace tinyseek::cli
