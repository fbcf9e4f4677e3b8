// Small model configurations and double-precision parameter blocks for the core tests.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/model_config.h"
#include "core/param_layout.h"

namespace tinyseek::testing {

// A model small enough for finite differences but with every feature of the tiny preset:
// MLA with query compression, one dense block then MoE blocks, shared + routed experts,
// MTP depth 1.
inline ModelConfig small_config() {
    ModelConfig c;
    c.name = "grad-check";
    c.vocab_size = 11;
    c.hidden_size = 16;
    c.num_hidden_layers = 2;
    c.first_k_dense_replace = 1;
    c.intermediate_size = 12;
    c.num_attention_heads = 2;
    c.num_key_value_heads = 2;
    c.q_lora_rank = 8;
    c.kv_lora_rank = 6;
    c.qk_nope_head_dim = 4;
    c.qk_rope_head_dim = 4;
    c.v_head_dim = 6;
    c.n_routed_experts = 4;
    c.n_shared_experts = 1;
    c.num_experts_per_tok = 2;
    c.moe_intermediate_size = 5;
    c.max_position_embeddings = 16;
    c.rope_theta = 100.0f;  // faster rotation, so positions differ visibly at small T
    return c;
}

// Flat parameter block in double: matrices ~ N(0, std^2), norm weights 1 + N(0, 0.1^2),
// router biases N(0, 0.05^2) (non-zero so that "bias only for choosing" is exercised).
inline std::vector<double> random_params(const ParamLayout& layout, uint64_t seed,
                                         double std = 0.3) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> p(layout.total_floats());
    for (const TensorSpec& t : layout.tensors()) {
        const bool bias = t.name.find("e_score_correction_bias") != std::string::npos;
        for (size_t i = 0; i < t.numel; ++i) {
            const double z = normal(rng);
            p[t.offset + i] = t.shape.size() == 2 ? std * z : bias ? 0.05 * z : 1.0 + 0.1 * z;
        }
    }
    return p;
}

}  // namespace tinyseek::testing
