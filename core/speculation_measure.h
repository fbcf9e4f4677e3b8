// How often the MTP module's draft is accepted (docs/ARCHITECTURE.md "MTP"): greedy
// speculative decoding of a set of prompts, summed overall, by position in the completion
// (speculation_stats) and by token class (core/token_class.h), with every completion kept so a
// caller can show which of its tokens were drafted. Greedy output does not depend on the batch
// (core/decode_gemm.h), so neither do these counts.
#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include "core/generator.h"
#include "core/token_class.h"

namespace tinyseek {

// Called after each finished part of a measurement with the parts done and the total.
using MeasureProgress = std::function<void(int done, int total)>;

struct AcceptanceOptions {
    int max_new_tokens = 64;       // per completion, the stop token included
    std::vector<int> stop_tokens;  // e.g. <eos> and </answer>, as the evaluator stops
    CacheMode mode = CacheMode::latent;
    int batch = 32;  // prompts per generate() call: the progress step
};

struct AcceptanceMeasurement {
    SpeculationStats stats;  // speculation_stats() over every completion
    SpeculationByClass by_class;
    long main_forwards = 0;     // summed over the completions (each prefill counts once)
    long generated_tokens = 0;  // summed over the completions
    std::vector<SequenceOutput> sequences;  // one per prompt, in prompt order
    double tokens_per_forward() const {
        return main_forwards ? static_cast<double>(generated_tokens) / main_forwards : 0.0;
    }
};

// Throws ConfigError when the model has no MTP module, Cancelled when `cancel` is raised
// (checked before every decode step). `progress` (may be empty) runs on the calling thread.
AcceptanceMeasurement measure_acceptance(const ParamStore& params, const Tokenizer& tokenizer,
                                         const std::vector<std::vector<int>>& prompts,
                                         const AcceptanceOptions& options,
                                         const std::atomic<bool>* cancel = nullptr,
                                         const MeasureProgress& progress = {});

}  // namespace tinyseek
