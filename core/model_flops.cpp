#include "core/model_flops.h"

namespace tinyseek {

namespace {

// Projections of one block's attention (weights a token multiplies with).
double attention_weights(const ModelConfig& c) {
    const double C = c.hidden_size, H = c.num_attention_heads, Dqk = c.qk_head_dim(),
                 Dv = c.v_head_dim;
    double w = H * Dv * C;  // o_proj
    if (c.attention == AttentionKind::mla) {
        w += c.q_lora_rank > 0 ? C * c.q_lora_rank + c.q_lora_rank * H * Dqk : C * H * Dqk;
        w += C * (c.kv_lora_rank + c.qk_rope_head_dim);               // kv_a_proj_with_mqa
        w += double(c.kv_lora_rank) * H * (c.qk_nope_head_dim + Dv);  // kv_b_proj
    } else {
        const double Hkv = c.attention == AttentionKind::mha ? H : c.num_key_value_heads;
        w += C * H * Dqk + C * Hkv * Dqk + C * Hkv * Dv;  // q, k, v
    }
    return w;
}

// The feed-forward of block `layer`: dense SwiGLU, or router + K routed + shared experts.
double ffn_weights(const ModelConfig& c, int layer) {
    const double C = c.hidden_size;
    if (!c.is_moe_layer(layer)) return 3 * C * c.intermediate_size;
    const double F = c.moe_intermediate_size;
    return C * c.n_routed_experts + c.num_experts_per_tok * 3 * C * F +
           c.n_shared_experts * 3 * C * F;
}

}  // namespace

FlopsPerToken model_flops_per_token(const ModelConfig& c, int seq_len, bool with_mtp) {
    const int blocks = c.num_hidden_layers + (with_mtp ? c.num_nextn_predict_layers : 0);
    const double C = c.hidden_size, head = C * c.vocab_size;
    FlopsPerToken f;
    f.matmul_weights = head;
    for (int l = 0; l < blocks; ++l) f.matmul_weights += attention_weights(c) + ffn_weights(c, l);
    if (blocks > c.num_hidden_layers) f.matmul_weights += 2 * C * C + head;  // eh_proj, lm_head
    const double attention_per_block =
        2.0 * c.num_attention_heads * (c.qk_head_dim() + c.v_head_dim) * seq_len;
    f.forward = 2 * f.matmul_weights + blocks * attention_per_block;
    f.training = 3 * f.forward;
    return f;
}

}  // namespace tinyseek
