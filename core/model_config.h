// ModelConfig: the model's hyper-parameters, named as in a Hugging Face DeepSeek-V3
// config.json. One plain struct; defaults: the `tiny` preset (docs/ARCHITECTURE.md "Model config").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace tinyseek {

// Attention variant. `mla` is DeepSeek's multi-head latent attention; `mha` and `gqa` are the
// standard variants built for comparison on the KV-cache page (extension key "attention").
enum class AttentionKind { mla, mha, gqa };

// How routed-expert load is balanced during training (extension key "balance_mode").
// aux_free_seq is DeepSeek-V3's recipe: the bias update of aux_free together with a tiny
// complementary sequence-wise balance loss (seq_balance_alpha).
enum class BalanceMode { aux_free, aux_loss, none, aux_free_seq };

// Which hidden state the MTP module's hnorm reads (extension key "mtp_hidden_input").
// final_norm: model.norm(h_L), the contract of the released DeepSeek-V3 checkpoints and
// inference engines. pre_norm: h_L itself, what this program did before the key existed; a
// config written by an earlier version (it has "tinyseek_name" but not this key) loads as
// pre_norm, so its trained MTP weights keep their meaning.
enum class MtpHiddenInput { final_norm, pre_norm };

// `rope_scaling` of a config.json. Only YaRN ("type": "yarn"), as DeepSeek-V2/V3 use it and
// their reference inference/model.py applies it (core/rope_scaling.h); other types are refused.
struct YarnScaling {
    double factor = 1.0;                       // context extension factor s
    int original_max_position_embeddings = 0;  // context length the model was trained at
    double beta_fast = 32.0;                   // ramp ends (rotations over the original length)
    double beta_slow = 1.0;
    double mscale = 1.0;          // must equal mscale_all_dim (DeepSeek's files: both 1 or 0.707)
    double mscale_all_dim = 1.0;  // softmax scale *= (0.1 mscale_all_dim ln s + 1)^2

    bool operator==(const YarnScaling&) const = default;
};

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
    std::optional<YarnScaling> rope_scaling;  // none: plain RoPE

    // Extension keys (not in the HF file of DeepSeek-V3, written with the checkpoint).
    AttentionKind attention = AttentionKind::mla;
    BalanceMode balance_mode = BalanceMode::aux_free_seq;  // DeepSeek-V3's recipe
    float bias_update_speed = 1e-3f;                       // gamma of aux-loss-free balancing
    float aux_loss_alpha = 1e-3f;  // alpha of the sequence-wise balance loss (aux_loss mode)
    // alpha of the complementary sequence-wise loss in aux_free_seq mode (DeepSeek-V3 §4.2)
    float seq_balance_alpha = 1e-4f;
    float mtp_loss_weight = 0.3f;  // lambda of the MTP loss
    MtpHiddenInput mtp_hidden_input = MtpHiddenInput::final_norm;

    int qk_head_dim() const { return qk_nope_head_dim + qk_rope_head_dim; }
    // Balancing: whether the sequence-wise loss is a term of the loss (and with which alpha),
    // whether the router bias is updated after each optimizer step.
    bool balance_loss_on() const {
        return balance_mode == BalanceMode::aux_loss || balance_mode == BalanceMode::aux_free_seq;
    }
    float balance_loss_alpha() const {
        return balance_mode == BalanceMode::aux_free_seq ? seq_balance_alpha : aux_loss_alpha;
    }
    bool bias_update_on() const {
        return balance_mode == BalanceMode::aux_free || balance_mode == BalanceMode::aux_free_seq;
    }
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
    // Makes explicit the defaults a config written by an earlier version of this program
    // relied on ("mtp_hidden_input": "pre_norm"), so that merging it into a newer config does
    // not replace them with today's defaults. Other JSON is left as it is.
    static void pin_legacy_defaults(nlohmann::json& j);
    static ModelConfig load(const std::string& path);  // reads and parses a config.json
    void save(const std::string& path) const;          // atomic: temp file + rename

    // "tiny", "small", "medium" (trainable; ~2, ~12 and ~57 M parameters), "deepseek-v2",
    // "deepseek-v3" (published configs, for accounting only).
    static ModelConfig preset(const std::string& name);
    static std::vector<std::string> preset_names();
};

const char* to_string(AttentionKind kind);
const char* to_string(BalanceMode mode);
const char* to_string(MtpHiddenInput input);
// "aux_free" | "aux_loss" | "none" | "aux_free_seq"; nullopt for anything else.
std::optional<BalanceMode> parse_balance_mode(std::string_view name);
std::vector<std::string> balance_mode_names();

}  // namespace tinyseek
