// The small model config shared by the fuzz target and its seed generator: every tensor
// kind (dense and MoE layers, MTP) at a size whose file is a few KB, so mutations are cheap.
#pragma once

#include "core/model_config.h"

namespace tinyseek {

inline ModelConfig fuzz_small_config() {
    ModelConfig c;
    c.name = "fuzz-small";
    c.vocab_size = 8;
    c.hidden_size = 4;
    c.num_hidden_layers = 2;
    c.intermediate_size = 4;
    c.num_attention_heads = 1;
    c.num_key_value_heads = 1;
    c.q_lora_rank = 2;
    c.kv_lora_rank = 2;
    c.qk_nope_head_dim = 2;
    c.qk_rope_head_dim = 2;
    c.v_head_dim = 2;
    c.n_routed_experts = 2;
    c.num_experts_per_tok = 1;
    c.moe_intermediate_size = 2;
    return c;
}

}  // namespace tinyseek
