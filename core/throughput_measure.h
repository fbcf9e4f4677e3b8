// Generation throughput on the real generator (core/generator.h), as the Inference page shows
// it: tokens per second by cache mode (latent, expanded), batch size, and plain against
// speculative decoding with the MTP draft. Plain C++ (no Qt).
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/generator.h"
#include "core/speculation_measure.h"

namespace tinyseek {

struct ThroughputRequest {
    std::vector<CacheMode> modes = {CacheMode::latent};
    std::vector<int> batches = {1};
    // Decoding kinds to time: false = plain, true = speculative. Each repeat of a (mode,
    // batch) times every kind back to back, so they share the machine's load of that moment.
    std::vector<bool> speculative = {false};
    // Batch b decodes prompts 0..b-1 (cycled when fewer are given); empty: "<bos>" alone.
    std::vector<std::vector<int>> prompts;
    GenerationOptions generation;  // length, sampling and stop tokens; seed = repeat index
    int repeats = 3;               // each point is the fastest of this many samples
    // A sample repeats generate() until this much time has passed (at least one call), so a
    // short generation (batch 1, a few dozen tokens: milliseconds) is not at the mercy of one
    // scheduler hiccup on a shared machine.
    double min_seconds = 0.0;
};

struct ThroughputPoint {
    CacheMode mode{};
    int batch = 1;
    bool speculative = false;
    std::int64_t tokens = 0;         // generated, in the fastest sample
    std::int64_t main_forwards = 0;  // summed over its sequences (speculative: < tokens)
    double seconds = 0.0;            // the fastest sample
    int calls = 1;                   // generate() calls in that sample
    double tokens_per_second() const { return seconds > 0 ? tokens / seconds : 0.0; }
};

// Points in the order mode, batch, kind; the fastest sample is the one with the most tokens per
// second. Every (mode, kind) has its own Generator, warmed up once at the largest batch (cache
// and packed weights sized before anything is timed). `cancel` stops it between decode steps;
// points not finished by then are left out. `progress` counts samples and warm-ups. Throws
// ConfigError when a mode does not fit the model or speculation is asked of a model without MTP.
std::vector<ThroughputPoint> measure_throughput(const ParamStore& params,
                                                const ThroughputRequest& request,
                                                const std::atomic<bool>* cancel = nullptr,
                                                const MeasureProgress& progress = {});

}  // namespace tinyseek
