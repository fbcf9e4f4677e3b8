// Small models and configs shared by the trainer tests, and one briefly SFT-trained model per
// test program (trained on first use) for the GRPO and evaluator tests.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/model_config.h"
#include "tests/same_bits.h"
#include "training/sft_trainer.h"
#include "training/task.h"
#include "training/train_config.h"
#include "training/trainer.h"

namespace tinyseek::testing {

// Every feature of the tiny preset (MLA with query compression, a dense block then an MoE
// block with shared + routed experts, MTP depth 1), at a width that trains in milliseconds.
// vocab_size stays 64: the default tokenizer has 64 ids.
inline ModelConfig small_model() {
    ModelConfig c;
    c.name = "trainer-test";
    c.vocab_size = 64;
    c.hidden_size = 48;
    c.num_hidden_layers = 2;
    c.first_k_dense_replace = 1;
    c.intermediate_size = 96;
    c.num_attention_heads = 2;
    c.num_key_value_heads = 2;
    c.q_lora_rank = 24;
    c.kv_lora_rank = 16;
    c.qk_nope_head_dim = 16;
    c.qk_rope_head_dim = 8;
    c.v_head_dim = 16;
    c.n_routed_experts = 4;
    c.n_shared_experts = 1;
    c.num_experts_per_tok = 2;
    c.moe_intermediate_size = 48;
    c.max_position_embeddings = 64;
    return c;
}

// SFT on 1-digit addition (prompts like "3+4=", traces of ~20 tokens).
inline TrainConfig small_train_config(std::uint64_t seed = 1) {
    TrainConfig c;
    c.model = small_model();
    c.model_preset = "tiny";
    c.task = "addition";
    c.task_options.digits = 1;
    c.seed = seed;
    c.sft.steps = 60;
    c.sft.batch_size = 16;
    c.sft.lr = 3e-3f;
    c.sft.min_lr = 3e-4f;
    c.sft.warmup_steps = 5;
    c.grpo.prompts_per_step = 4;
    c.grpo.group_size = 4;
    c.grpo.max_new_tokens = 24;
    c.grpo.steps = 20;
    c.grpo.warmup_steps = 0;
    c.grpo.beta = 0.04f;  // the KL term and its reference pass (the default, 0, has neither)
    return c;
}

// The state after kWarmStartSteps SFT steps of small_train_config() at lr 1e-2: it writes
// the <think>…</think><answer>…</answer> format but is still weak at the sums. Trained once
// per test program (about a second) and shared read-only.
inline constexpr std::int64_t kWarmStartSteps = 40;
inline const TrainingState& sft_warm_start() {
    static const std::unique_ptr<TrainingState> state = [] {
        TrainConfig config = small_train_config();
        config.sft.lr = 1e-2f;
        config.sft.min_lr = 1e-3f;
        config.sft.steps = kWarmStartSteps;
        auto s = std::make_unique<TrainingState>(config.model, config.seed);
        const std::unique_ptr<Task> task = make_task(config.task, config.task_options);
        SftTrainer sft(config, *task);
        for (std::int64_t i = 0; i < kWarmStartSteps; ++i) {
            StepReport report;
            sft.step(*s, report, nullptr);
        }
        return s;
    }();
    return *state;
}

}  // namespace tinyseek::testing
