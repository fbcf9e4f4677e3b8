// Speculative sampling: the acceptance rule that keeps draft-and-verify decoding distributed
// exactly as the target model (Leviathan et al. 2023, "Fast Inference from Transformers via
// Speculative Decoding", Algorithm 1; Chen et al. 2023). With the draft token d ~ q:
//   accept d with probability min(1, p(d) / q(d));
//   otherwise draw from normalise(max(0, p - q)).
// For every token x, P(x) = q(x) min(1, p(x)/q(x)) + (1 - sum_y min(p(y), q(y))) r(x) = p(x).
// In generation p is the main model's sampling distribution (temperature, top-k, top-p
// applied) and q the MTP module's, under the same sampling parameters.
#pragma once

#include "core/sampler.h"

namespace tinyseek {

struct DraftVerdict {
    int token = -1;  // the emitted token: the draft when accepted, else the residual draw
    bool accepted = false;
};

// p, q: (vocab) normalised distributions; `draft` was drawn from q. Consumes one uniform
// number for the acceptance test and, on rejection, one more for the residual draw.
DraftVerdict verify_draft(const double* p, const double* q, int vocab, int draft, SequenceRng& rng);

}  // namespace tinyseek
