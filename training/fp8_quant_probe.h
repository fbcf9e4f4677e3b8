// The FP8 scaling-granularity experiment (core/fp8_quant_error.h) on a checkpoint at work:
// its weights, and its activations on worked held-out addition problems, the text the default
// run learns ("<bos>57+68=<think>…</think><answer>125</answer><eos>"). Shared by
// `tinyseek fp8 quant-error` and the Precision page.
#pragma once

#include "core/checkpoint.h"
#include "core/fp8_quant_error.h"

namespace tinyseek {

struct Fp8QuantProbe {
    Fp8QuantErrorResult result;
    int sequences = 0;  // problems run for the activations
    int tokens = 0;     // activation rows (real tokens)
};

// `prompts` problems drawn with seed 1000 + config.seed. Throws ConfigError for an invalid
// config or a non-positive prompt count.
Fp8QuantProbe probe_fp8_quant_error(const Checkpoint& checkpoint, const Fp8QuantErrorConfig& config,
                                    int prompts);

}  // namespace tinyseek
