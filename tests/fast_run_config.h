// The smallest model every run-level test trains (RunLoop, the GUI's worker and window): a
// model of a few thousand parameters (the tokenizer needs vocab 64) on 2-digit addition, SFT
// only, so a step takes milliseconds. Tests change what they exercise on top of it.
#pragma once

#include <cstdint>

#include "training/train_config.h"

namespace tinyseek::testing {

inline TrainConfig fast_run_config(std::int64_t sft_steps) {
    TrainConfig c;
    c.task_options.digits = 2;
    ModelConfig& m = c.model;
    m.hidden_size = 32;
    m.num_hidden_layers = 2;
    m.intermediate_size = 48;
    m.num_attention_heads = 2;
    m.num_key_value_heads = 2;
    m.q_lora_rank = 16;
    m.kv_lora_rank = 8;
    m.qk_nope_head_dim = 8;
    m.qk_rope_head_dim = 8;
    m.v_head_dim = 8;
    m.n_routed_experts = 4;
    m.num_experts_per_tok = 2;
    m.moe_intermediate_size = 16;
    m.max_position_embeddings = 96;
    c.pipeline = {Stage::sft};
    c.sft.steps = sft_steps;
    c.sft.batch_size = 4;
    c.sft.warmup_steps = 1;
    c.grpo.max_new_tokens = 24;
    c.eval.bucket_min = 3;  // accuracy by difficulty exercised, at a few problems per bucket
    return c;
}

}  // namespace tinyseek::testing
