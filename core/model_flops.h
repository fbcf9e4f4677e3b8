// Model FLOPs per token, the convention large training runs report their MFU (model FLOPs
// utilisation) in: PaLM (Chowdhery et al. 2022, appendix B),
//   forward  = 2 x (matmul weights one token passes through) + 2 x sum over blocks H (Dqk + Dv) T
//   training = 3 x forward (the backward computes two products for each of the forward's)
// The first term counts the projections a token actually runs: its K routed experts of an MoE
// layer (not all E), the shared experts, the router, lm_head; the embedding is a lookup, not a
// matmul. The second term is attention's Q K^T and P V against all T positions, as PaLM counts
// it (a causal kernel computes about half). The MTP module counts when it runs: eh_proj, its
// block and the shared lm_head once more. Used by the benchmark, `model-info` and the MFU metric.
#pragma once

#include "core/model_config.h"

namespace tinyseek {

struct FlopsPerToken {
    double matmul_weights = 0;  // weights a token multiplies with (active parameters of matmuls)
    double forward = 0;         // FLOPs of one token's forward at sequence length T
    double training = 0;        // forward + backward = 3 x forward
};

FlopsPerToken model_flops_per_token(const ModelConfig& config, int seq_len, bool with_mtp = true);

}  // namespace tinyseek
