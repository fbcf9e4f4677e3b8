// ModelConfig: the model's hyper-parameters, named as in a Hugging Face DeepSeek-V3
// config.json. One plain struct; defaults: the `tiny` preset (docs/ARCHITECTURE.md "Model config").
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace tinyseek {

// Attention variant. `mla` is DeepSeek's multi-head latent attention; `mha` and `gqa` are the
// standard variants built for comparison on the KV-cache page (extension key "attention").
enum class AttentionKind { mla, mha, gqa };

// How routed-expert load is balanced during training (extension key "balance_mode").
enum class BalanceMode { aux_free, aux_loss, none };

struct ModelConfig {
    std::string name = "tiny";  // preset name or file stem; not part of the math

    int vocab_size = 64;
    int hidden_size = 128;
    int num_hidden_layers = 4;
    int first_k_dense_replace = 1;  // layers [0, k) use the dense SwiGLU MLP, the rest MoE
    int intermediate_size = 384;    // dense SwiGLU width
    int num_attention_heads = 4;
    int num_key_value_heads = 4;  // used by mha/gqa only
    int q_lora_rank = 64;         // 0 = no query compression (q_proj directly)
    int kv_lora_rank = 32;        // d_c: width of the cached latent c_KV
    int qk_nope_head_dim = 32;
    int qk_rope_head_dim = 16;
    int v_head_dim = 32;

    int n_routed_experts = 8;
    int n_shared_experts = 1;
    int num_experts_per_tok = 2;
    int moe_intermediate_size = 128;
    std::string scoring_func = "sigmoid";  // sigmoid (V3) | softmax (V2)
    std::string topk_method = "noaux_tc";  // noaux_tc (V3) | greedy | group_limited_greedy (V2)
    bool norm_topk_prob = true;
    int n_group = 1;
    int topk_group = 1;
    float routed_scaling_factor = 1.0f;

    int num_nextn_predict_layers = 1;  // MTP depth (0 or 1)
    int max_position_embeddings = 256;
    float rms_norm_eps = 1e-6f;
    float rope_theta = 10000.0f;

    // Extension keys (not in the HF file of DeepSeek-V3, written with the checkpoint).
    AttentionKind attention = AttentionKind::mla;
    BalanceMode balance_mode = BalanceMode::aux_free;
    float bias_update_speed = 1e-3f;  // gamma of aux-loss-free balancing
    float aux_loss_alpha = 1e-3f;     // alpha of the sequence-wise balance loss (aux_loss mode)
    float mtp_loss_weight = 0.3f;     // lambda of the MTP loss

    int qk_head_dim() const { return qk_nope_head_dim + qk_rope_head_dim; }
    bool is_moe_layer(int layer) const { return layer >= first_k_dense_replace; }
    // Main layers plus MTP layers; the MTP block sits at index num_hidden_layers.
    int num_blocks() const { return num_hidden_layers + num_nextn_predict_layers; }

    // Throws ConfigError naming `source`, the field, the value and what was expected.
    void validate(const std::string& source = "config") const;

    nlohmann::json to_json() const;
    // Reads the keys it knows, keeps defaults for absent optional keys, rejects wrong types
    // and invalid values (calls validate). `source` names the file in error messages.
    static ModelConfig from_json(const nlohmann::json& j,
                                 const std::string& source = "config.json");
    static ModelConfig load(const std::string& path);  // reads and parses a config.json
    void save(const std::string& path) const;          // atomic: temp file + rename

    // "tiny", "deepseek-v2", "deepseek-v3". The last two are for accounting only.
    static ModelConfig preset(const std::string& name);
    static std::vector<std::string> preset_names();
};

const char* to_string(AttentionKind kind);
const char* to_string(BalanceMode mode);

}  // namespace tinyseek
