// The next-token distribution as the Explore page draws it: the model's own probabilities
// (softmax of the logits) beside the distribution the sampler would actually draw from under
// temperature, top-k and top-p (Sampler::distribution, so the two can never disagree), the
// most likely tokens first and the remainder summed into "rest".
#pragma once

#include <span>
#include <vector>

#include "core/sampler.h"

namespace tinyseek {

struct NextTokenEntry {
    int token = -1;
    double model_prob = 0;    // softmax(logits)[token]
    double sampler_prob = 0;  // what the sampler draws it with (0: excluded)
};

struct NextTokenDistribution {
    std::vector<NextTokenEntry> top;  // the `shown` most likely tokens, by model probability
    double rest_model = 0;            // mass of every other token
    double rest_sampler = 0;
    double entropy_model = 0;    // nats
    double entropy_sampler = 0;  // nats (0 when greedy)
    int kept = 0;                // tokens with sampler probability > 0
};

NextTokenDistribution next_token_distribution(std::span<const float> logits,
                                              const SamplingParams& params, int shown = 10);

}  // namespace tinyseek
