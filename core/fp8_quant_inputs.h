// The real matrices the FP8 scaling experiment quantises (`tinyseek fp8 quant-error`,
// docs/ARCHITECTURE.md "FP8"): a trained checkpoint's linear weights and the inputs its linear
// layers see on a batch of token sequences.
//
// Weights: every 2-D tensor of the checkpoint, grouped by kind (the groups of param_count.h:
// attention, dense_mlp, routed_experts, shared_experts, router, embedding, head, mtp).
//
// Activations: what can be read from the model's forward without reaching into a block:
//   layer0_attn_input  input_layernorm(embedding(tokens)) of block 0, the input of its
//                      attention projections (q_a_proj / q_proj, kv_a_proj_with_mqa);
//   head_input         model.norm(h_L) after the full forward, the input of lm_head.
// Padding rows are left out, so only real tokens are measured.
#pragma once

#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/tokenizer.h"

namespace tinyseek {

// A row-major (rows, cols) matrix with the group it belongs to.
struct Fp8NamedMatrix {
    std::string group;
    std::string name;
    int rows = 0;
    int cols = 0;
    std::vector<float> values;
};

// The param_count.h group of a tensor name ("mtp" for blocks at index >= num_hidden_layers).
std::string fp8_weight_group(const std::string& name, const ModelConfig& config);

// Every 2-D tensor of `params`, in layout order.
std::vector<Fp8NamedMatrix> fp8_checkpoint_weights(const ParamStore& params);

// Runs the model (no MTP) on the sequences (each non-empty, ids in the vocabulary, at most
// max_position_embeddings long; right-padded into one batch) and returns the two captured
// activation matrices, one row per real token. Throws ConfigError on an empty batch.
std::vector<Fp8NamedMatrix> fp8_capture_activations(const ModelConfig& config,
                                                    const ParamStore& params,
                                                    const std::vector<std::vector<TokenId>>& seqs);

}  // namespace tinyseek
