#include "core/param_layout.h"

#include <stdexcept>

namespace tinyseek {

std::string layer_prefix(int layer) {
    return "model.layers." + std::to_string(layer) + ".";
}

bool name_contains(std::string_view name, std::string_view part) {
    return name.find(part) != std::string_view::npos;
}

ParamLayout::ParamLayout(const ModelConfig& c) {
    const int64_t C = c.hidden_size;
    add("model.embed_tokens.weight", {c.vocab_size, C});
    for (int l = 0; l < c.num_hidden_layers; ++l) add_block(c, l);
    for (int m = 0; m < c.num_nextn_predict_layers; ++m) {
        // MTP module (DeepSeek-V3 §2.2): h' = eh_proj([enorm(emb(t_{i+1})); hnorm(h_i)]),
        // then one transformer block, then shared_head.norm and the shared lm_head.
        const int l = c.num_hidden_layers + m;
        const std::string p = layer_prefix(l);
        add(p + "enorm.weight", {C});
        add(p + "hnorm.weight", {C});
        add(p + "eh_proj.weight", {C, 2 * C});
        add_block(c, l);
        add(p + "shared_head.norm.weight", {C});
    }
    add("model.norm.weight", {C});
    add("lm_head.weight", {c.vocab_size, C});
}

void ParamLayout::add_block(const ModelConfig& c, int layer) {
    const std::string p = layer_prefix(layer);
    const int64_t C = c.hidden_size;
    const int64_t H = c.num_attention_heads;
    add(p + "input_layernorm.weight", {C});
    if (c.attention == AttentionKind::mla) {
        if (c.q_lora_rank > 0) {
            add(p + "self_attn.q_a_proj.weight", {c.q_lora_rank, C});
            add(p + "self_attn.q_a_layernorm.weight", {c.q_lora_rank});
            add(p + "self_attn.q_b_proj.weight", {H * c.qk_head_dim(), c.q_lora_rank});
        } else {
            add(p + "self_attn.q_proj.weight", {H * c.qk_head_dim(), C});
        }
        add(p + "self_attn.kv_a_proj_with_mqa.weight", {c.kv_lora_rank + c.qk_rope_head_dim, C});
        add(p + "self_attn.kv_a_layernorm.weight", {c.kv_lora_rank});
        add(p + "self_attn.kv_b_proj.weight",
            {H * (c.qk_nope_head_dim + c.v_head_dim), c.kv_lora_rank});
    } else {
        // MHA/GQA comparison models: per-head [k_nope | k_rope] keys, RoPE on the last
        // qk_rope_head_dim dims of each query and key head (partial rotary).
        const int64_t Hkv = c.attention == AttentionKind::mha ? H : c.num_key_value_heads;
        add(p + "self_attn.q_proj.weight", {H * c.qk_head_dim(), C});
        add(p + "self_attn.k_proj.weight", {Hkv * c.qk_head_dim(), C});
        add(p + "self_attn.v_proj.weight", {Hkv * c.v_head_dim, C});
    }
    add(p + "self_attn.o_proj.weight", {C, H * c.v_head_dim});
    add(p + "post_attention_layernorm.weight", {C});
    if (!c.is_moe_layer(layer)) {
        add(p + "mlp.gate_proj.weight", {c.intermediate_size, C});
        add(p + "mlp.up_proj.weight", {c.intermediate_size, C});
        add(p + "mlp.down_proj.weight", {C, c.intermediate_size});
        return;
    }
    const int64_t E = c.n_routed_experts;
    const int64_t F = c.moe_intermediate_size;
    add(p + "mlp.gate.weight", {E, C});
    add(p + "mlp.gate.e_score_correction_bias", {E}, /*trainable=*/false);
    for (int e = 0; e < E; ++e) {
        const std::string ep = p + "mlp.experts." + std::to_string(e) + ".";
        add(ep + "gate_proj.weight", {F, C});
        add(ep + "up_proj.weight", {F, C});
        add(ep + "down_proj.weight", {C, F});
    }
    if (c.n_shared_experts > 0) {
        // Shared experts are fused into one SwiGLU of width n_shared * F, as in HF's V3.
        const int64_t S = c.n_shared_experts * F;
        add(p + "mlp.shared_experts.gate_proj.weight", {S, C});
        add(p + "mlp.shared_experts.up_proj.weight", {S, C});
        add(p + "mlp.shared_experts.down_proj.weight", {C, S});
    }
}

void ParamLayout::add(std::string name, std::vector<int64_t> shape, bool trainable) {
    TensorSpec t;
    t.numel = 1;
    for (int64_t d : shape) t.numel *= static_cast<size_t>(d);
    t.name = std::move(name);
    t.shape = std::move(shape);
    t.offset = total_;
    t.trainable = trainable;
    t.weight_decay = trainable && t.shape.size() == 2;
    total_ += t.numel;
    index_.emplace(t.name, tensors_.size());
    tensors_.push_back(std::move(t));
}

const TensorSpec* ParamLayout::find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

const TensorSpec& ParamLayout::at(std::string_view name) const {
    if (const TensorSpec* t = find(name)) return *t;
    throw std::out_of_range("model has no tensor '" + std::string(name) + "'");
}

}  // namespace tinyseek
