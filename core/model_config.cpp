#include "core/model_config.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/errors.h"

namespace tinyseek {

namespace {

[[noreturn]] void fail(const std::string& source, const std::string& field,
                       const std::string& expected, const std::string& got) {
    throw ConfigError(source + ": field '" + field + "' must be " + expected + ", got " + got);
}

void require_positive(const std::string& source, const char* field, int v) {
    if (v <= 0) fail(source, field, "> 0", std::to_string(v));
}

void require_at_least(const std::string& source, const char* field, int v, int lo) {
    if (v < lo) fail(source, field, ">= " + std::to_string(lo), std::to_string(v));
}

// Reads j[key] into out when present and not null; `prefix` names the enclosing object in
// messages ("rope_scaling.").
template <typename T>
void read_key(const nlohmann::json& j, const char* key, T& out, const std::string& source,
              const std::string& prefix = "") {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    const std::string field = prefix + key;
    try {
        if constexpr (std::is_same_v<T, int>) {
            // Range-check before narrowing: get<int>() would silently wrap 2^32 + 128 to 128.
            if (!it->is_number_integer()) throw std::invalid_argument("");
            if (it->is_number_unsigned()
                    ? it->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int>::max())
                    : (it->get<int64_t>() > std::numeric_limits<int>::max() ||
                       it->get<int64_t>() < std::numeric_limits<int>::min()))
                fail(source, field, "an integer that fits in 32 bits", it->dump());
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
            if (!it->is_number()) throw std::invalid_argument("");
            const double v = it->get<double>();
            if (!std::isfinite(v) ||
                (std::is_same_v<T, float> && std::fabs(v) > std::numeric_limits<float>::max()))
                fail(source, field, "a finite number in float range", it->dump());
        } else if constexpr (std::is_same_v<T, bool>) {
            if (!it->is_boolean()) throw std::invalid_argument("");
        } else {
            if (!it->is_string()) throw std::invalid_argument("");
        }
        out = it->get<T>();
    } catch (const ConfigError&) {
        throw;
    } catch (const std::exception&) {
        const char* expected = std::is_same_v<T, int> ? "an integer"
                               : std::is_same_v<T, float> || std::is_same_v<T, double> ? "a number"
                               : std::is_same_v<T, bool> ? "true or false"
                                                         : "a string";
        fail(source, field, expected, it->dump());
    }
}

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

// DeepSeek-V3's reference inference/model.py takes log(factor) and log(beta) and ramps from
// beta_fast down to beta_slow; it scales the softmax by mscale alone, Hugging Face's code by
// mscale_all_dim and cos/sin by their ratio, which agree only when the two are equal.
void validate_yarn(const std::string& s, const YarnScaling& y) {
    if (!(y.factor >= 1.0)) fail(s, "rope_scaling.factor", ">= 1", number(y.factor));
    if (y.original_max_position_embeddings <= 0)
        fail(s, "rope_scaling.original_max_position_embeddings", "> 0",
             std::to_string(y.original_max_position_embeddings));
    if (!(y.beta_slow > 0.0)) fail(s, "rope_scaling.beta_slow", "> 0", number(y.beta_slow));
    if (!(y.beta_fast > y.beta_slow))
        fail(s, "rope_scaling.beta_fast", "> beta_slow (" + number(y.beta_slow) + ")",
             number(y.beta_fast));
    if (!(y.mscale_all_dim >= 0.0))
        fail(s, "rope_scaling.mscale_all_dim", ">= 0", number(y.mscale_all_dim));
    if (y.mscale != y.mscale_all_dim)
        fail(s, "rope_scaling.mscale",
             "equal to mscale_all_dim (" + number(y.mscale_all_dim) +
                 "; as in DeepSeek-V2/V3's files, the only case where the reference code and "
                 "Hugging Face's agree)",
             number(y.mscale));
}

// rope_scaling: absent or null = none; an object of type "yarn" (key "type" or "rope_type");
// any other type, or a key YaRN does not have, is refused rather than ignored.
std::optional<YarnScaling> read_rope_scaling(const nlohmann::json& j, const std::string& source) {
    const auto it = j.find("rope_scaling");
    if (it == j.end() || it->is_null()) return std::nullopt;
    const nlohmann::json& r = *it;
    if (!r.is_object())
        fail(source, "rope_scaling", "null or an object such as {\"type\": \"yarn\", ...}",
             r.dump());
    const char* keys[] = {"type",      "rope_type", "factor", "original_max_position_embeddings",
                          "beta_fast", "beta_slow", "mscale", "mscale_all_dim"};
    for (const auto& item : r.items())
        if (std::find(std::begin(keys), std::end(keys), item.key()) == std::end(keys))
            fail(source, "rope_scaling." + item.key(),
                 "absent (YaRN reads type, factor, original_max_position_embeddings, beta_fast, "
                 "beta_slow, mscale, mscale_all_dim)",
                 item.value().dump());
    std::string type, rope_type;
    read_key(r, "type", type, source, "rope_scaling.");
    read_key(r, "rope_type", rope_type, source, "rope_scaling.");
    if (type.empty()) type = rope_type;
    if (type != "yarn" || (!rope_type.empty() && rope_type != type))
        fail(source, "rope_scaling.type",
             "\"yarn\" (the only RoPE scaling implemented, DeepSeek-V2/V3's)",
             "\"" + (type == "yarn" ? rope_type : type) + "\"");
    for (const char* required : {"factor", "original_max_position_embeddings"})
        if (!r.contains(required) || r[required].is_null())
            fail(source, std::string("rope_scaling.") + required, "present for YaRN", "nothing");
    YarnScaling y;
    read_key(r, "factor", y.factor, source, "rope_scaling.");
    read_key(r, "original_max_position_embeddings", y.original_max_position_embeddings, source,
             "rope_scaling.");
    read_key(r, "beta_fast", y.beta_fast, source, "rope_scaling.");
    read_key(r, "beta_slow", y.beta_slow, source, "rope_scaling.");
    read_key(r, "mscale", y.mscale, source, "rope_scaling.");
    read_key(r, "mscale_all_dim", y.mscale_all_dim, source, "rope_scaling.");
    return y;
}

nlohmann::json rope_scaling_json(const YarnScaling& y) {
    return {{"type", "yarn"},
            {"factor", y.factor},
            {"original_max_position_embeddings", y.original_max_position_embeddings},
            {"beta_fast", y.beta_fast},
            {"beta_slow", y.beta_slow},
            {"mscale", y.mscale},
            {"mscale_all_dim", y.mscale_all_dim}};
}

std::vector<BalanceMode> all_balance_modes() {
    return {BalanceMode::aux_free, BalanceMode::aux_free_seq, BalanceMode::aux_loss,
            BalanceMode::none};
}

// A config this program wrote before "mtp_hidden_input" existed: it carries "tinyseek_name"
// (written since the first version) and not the key.
bool written_before_mtp_contract(const nlohmann::json& j) {
    return j.contains("tinyseek_name") && !j.contains("mtp_hidden_input");
}

}  // namespace

const char* to_string(AttentionKind kind) {
    switch (kind) {
        case AttentionKind::mla:
            return "mla";
        case AttentionKind::mha:
            return "mha";
        case AttentionKind::gqa:
            return "gqa";
    }
    return "?";
}

const char* to_string(BalanceMode mode) {
    switch (mode) {
        case BalanceMode::aux_free:
            return "aux_free";
        case BalanceMode::aux_loss:
            return "aux_loss";
        case BalanceMode::none:
            return "none";
        case BalanceMode::aux_free_seq:
            return "aux_free_seq";
    }
    return "?";
}

const char* to_string(MtpHiddenInput input) {
    return input == MtpHiddenInput::final_norm ? "final_norm" : "pre_norm";
}

std::vector<std::string> balance_mode_names() {
    std::vector<std::string> names;
    for (BalanceMode m : all_balance_modes()) names.push_back(to_string(m));
    return names;
}

std::optional<BalanceMode> parse_balance_mode(std::string_view name) {
    for (BalanceMode m : all_balance_modes())
        if (name == to_string(m)) return m;
    return std::nullopt;
}

void ModelConfig::validate(const std::string& s) const {
    require_positive(s, "vocab_size", vocab_size);
    require_positive(s, "hidden_size", hidden_size);
    require_positive(s, "num_hidden_layers", num_hidden_layers);
    require_positive(s, "num_attention_heads", num_attention_heads);
    require_positive(s, "intermediate_size", intermediate_size);
    require_positive(s, "max_position_embeddings", max_position_embeddings);
    require_at_least(s, "q_lora_rank", q_lora_rank, 0);
    require_positive(s, "qk_nope_head_dim", qk_nope_head_dim);
    require_positive(s, "v_head_dim", v_head_dim);
    require_positive(s, "qk_rope_head_dim", qk_rope_head_dim);
    if (qk_rope_head_dim % 2 != 0)
        fail(s, "qk_rope_head_dim", "even (RoPE rotates pairs)", std::to_string(qk_rope_head_dim));
    if (attention == AttentionKind::mla) require_positive(s, "kv_lora_rank", kv_lora_rank);
    if (attention == AttentionKind::gqa) {
        require_positive(s, "num_key_value_heads", num_key_value_heads);
        if (num_attention_heads % num_key_value_heads != 0)
            fail(s, "num_key_value_heads",
                 "a divisor of num_attention_heads (" + std::to_string(num_attention_heads) + ")",
                 std::to_string(num_key_value_heads));
    }
    if (first_k_dense_replace < 0 || first_k_dense_replace > num_hidden_layers)
        fail(s, "first_k_dense_replace",
             "between 0 and num_hidden_layers (" + std::to_string(num_hidden_layers) + ")",
             std::to_string(first_k_dense_replace));
    const bool has_moe = first_k_dense_replace < num_hidden_layers || num_nextn_predict_layers > 0;
    if (has_moe) {
        require_positive(s, "n_routed_experts", n_routed_experts);
        require_at_least(s, "n_shared_experts", n_shared_experts, 0);
        require_positive(s, "moe_intermediate_size", moe_intermediate_size);
        require_positive(s, "num_experts_per_tok", num_experts_per_tok);
        if (num_experts_per_tok > n_routed_experts)
            fail(s, "num_experts_per_tok",
                 "<= n_routed_experts (" + std::to_string(n_routed_experts) + ")",
                 std::to_string(num_experts_per_tok));
        require_positive(s, "n_group", n_group);
        if (n_routed_experts % n_group != 0)
            fail(s, "n_group", "a divisor of n_routed_experts", std::to_string(n_group));
        if (topk_group < 1 || topk_group > n_group)
            fail(s, "topk_group", "between 1 and n_group", std::to_string(topk_group));
    }
    if (scoring_func != "sigmoid" && scoring_func != "softmax")
        fail(s, "scoring_func", "\"sigmoid\" or \"softmax\"", "\"" + scoring_func + "\"");
    if (topk_method != "noaux_tc" && topk_method != "greedy" &&
        topk_method != "group_limited_greedy")
        fail(s, "topk_method", "\"noaux_tc\", \"greedy\" or \"group_limited_greedy\"",
             "\"" + topk_method + "\"");
    if (!(routed_scaling_factor > 0.0f))
        fail(s, "routed_scaling_factor", "> 0", std::to_string(routed_scaling_factor));
    if (num_nextn_predict_layers < 0 || num_nextn_predict_layers > 1)
        fail(s, "num_nextn_predict_layers", "0 or 1", std::to_string(num_nextn_predict_layers));
    if (!(rms_norm_eps > 0.0f)) fail(s, "rms_norm_eps", "> 0", std::to_string(rms_norm_eps));
    if (!(rope_theta > 0.0f)) fail(s, "rope_theta", "> 0", std::to_string(rope_theta));
    if (!(bias_update_speed >= 0.0f))
        fail(s, "bias_update_speed", ">= 0", std::to_string(bias_update_speed));
    if (!(aux_loss_alpha >= 0.0f))
        fail(s, "aux_loss_alpha", ">= 0", std::to_string(aux_loss_alpha));
    if (!(seq_balance_alpha >= 0.0f))
        fail(s, "seq_balance_alpha", ">= 0", std::to_string(seq_balance_alpha));
    if (!(mtp_loss_weight >= 0.0f))
        fail(s, "mtp_loss_weight", ">= 0", std::to_string(mtp_loss_weight));
    if (rope_scaling) validate_yarn(s, *rope_scaling);
}

nlohmann::json ModelConfig::to_json() const {
    nlohmann::json j;
    j["architectures"] = {"DeepseekV3ForCausalLM"};
    j["model_type"] = "deepseek_v3";
    j["vocab_size"] = vocab_size;
    j["hidden_size"] = hidden_size;
    j["num_hidden_layers"] = num_hidden_layers;
    j["first_k_dense_replace"] = first_k_dense_replace;
    j["intermediate_size"] = intermediate_size;
    j["num_attention_heads"] = num_attention_heads;
    j["num_key_value_heads"] = num_key_value_heads;
    j["q_lora_rank"] = q_lora_rank == 0 ? nlohmann::json(nullptr) : nlohmann::json(q_lora_rank);
    j["kv_lora_rank"] = kv_lora_rank;
    j["qk_nope_head_dim"] = qk_nope_head_dim;
    j["qk_rope_head_dim"] = qk_rope_head_dim;
    j["v_head_dim"] = v_head_dim;
    j["n_routed_experts"] = n_routed_experts;
    j["n_shared_experts"] = n_shared_experts;
    j["num_experts_per_tok"] = num_experts_per_tok;
    j["moe_intermediate_size"] = moe_intermediate_size;
    j["scoring_func"] = scoring_func;
    j["topk_method"] = topk_method;
    j["norm_topk_prob"] = norm_topk_prob;
    j["n_group"] = n_group;
    j["topk_group"] = topk_group;
    j["routed_scaling_factor"] = routed_scaling_factor;
    j["num_nextn_predict_layers"] = num_nextn_predict_layers;
    j["max_position_embeddings"] = max_position_embeddings;
    j["rms_norm_eps"] = rms_norm_eps;
    j["rope_theta"] = rope_theta;
    if (rope_scaling) j["rope_scaling"] = rope_scaling_json(*rope_scaling);
    j["tie_word_embeddings"] = false;
    j["torch_dtype"] = "float32";
    j["attention"] = to_string(attention);
    j["balance_mode"] = to_string(balance_mode);
    j["bias_update_speed"] = bias_update_speed;
    j["aux_loss_alpha"] = aux_loss_alpha;
    j["seq_balance_alpha"] = seq_balance_alpha;
    j["mtp_loss_weight"] = mtp_loss_weight;
    j["mtp_hidden_input"] = to_string(mtp_hidden_input);
    j["tinyseek_name"] = name;
    return j;
}

namespace {

// j[key], a string, into the enum value whose to_string() it is (out keeps its value when the
// key is absent); anything else is refused, listing the names: "a", "b" or "c".
template <typename E>
void read_enum(const nlohmann::json& j, const char* key, E& out, const std::vector<E>& values,
               const std::string& source) {
    std::string name = to_string(out);
    read_key(j, key, name, source);
    std::vector<std::string> names;
    for (E v : values) {
        if (name == to_string(v)) {
            out = v;
            return;
        }
        std::string quoted = "\"";
        quoted.append(to_string(v)).append("\"");
        names.push_back(std::move(quoted));
    }
    std::string expected = names.front();
    for (size_t i = 1; i < names.size(); ++i)
        expected += (i + 1 == names.size() ? " or " : ", ") + names[i];
    fail(source, key, expected, "\"" + name + "\"");
}

// The keys of this program: balancing, loss weights, the MTP contract, the attention kind.
void read_extension_keys(const nlohmann::json& j, const std::string& source, ModelConfig& c) {
    read_key(j, "bias_update_speed", c.bias_update_speed, source);
    read_key(j, "aux_loss_alpha", c.aux_loss_alpha, source);
    read_key(j, "seq_balance_alpha", c.seq_balance_alpha, source);
    read_key(j, "mtp_loss_weight", c.mtp_loss_weight, source);

    c.mtp_hidden_input =
        written_before_mtp_contract(j) ? MtpHiddenInput::pre_norm : MtpHiddenInput::final_norm;
    read_enum(j, "mtp_hidden_input", c.mtp_hidden_input,
              {MtpHiddenInput::final_norm, MtpHiddenInput::pre_norm}, source);
    read_enum(j, "attention", c.attention,
              {AttentionKind::mla, AttentionKind::mha, AttentionKind::gqa}, source);
    read_enum(j, "balance_mode", c.balance_mode, all_balance_modes(), source);
}

}  // namespace

ModelConfig ModelConfig::from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object()) throw ConfigError(source + ": expected a JSON object at the top level");
    ModelConfig c;
    read_key(j, "tinyseek_name", c.name, source);
    read_key(j, "vocab_size", c.vocab_size, source);
    read_key(j, "hidden_size", c.hidden_size, source);
    read_key(j, "num_hidden_layers", c.num_hidden_layers, source);
    read_key(j, "first_k_dense_replace", c.first_k_dense_replace, source);
    read_key(j, "intermediate_size", c.intermediate_size, source);
    read_key(j, "num_attention_heads", c.num_attention_heads, source);
    c.num_key_value_heads = c.num_attention_heads;
    read_key(j, "num_key_value_heads", c.num_key_value_heads, source);
    if (j.contains("q_lora_rank") && j["q_lora_rank"].is_null()) c.q_lora_rank = 0;
    read_key(j, "q_lora_rank", c.q_lora_rank, source);
    read_key(j, "kv_lora_rank", c.kv_lora_rank, source);
    read_key(j, "qk_nope_head_dim", c.qk_nope_head_dim, source);
    read_key(j, "qk_rope_head_dim", c.qk_rope_head_dim, source);
    read_key(j, "v_head_dim", c.v_head_dim, source);
    read_key(j, "n_routed_experts", c.n_routed_experts, source);
    read_key(j, "n_shared_experts", c.n_shared_experts, source);
    read_key(j, "num_experts_per_tok", c.num_experts_per_tok, source);
    read_key(j, "moe_intermediate_size", c.moe_intermediate_size, source);
    read_key(j, "scoring_func", c.scoring_func, source);
    read_key(j, "topk_method", c.topk_method, source);
    read_key(j, "norm_topk_prob", c.norm_topk_prob, source);
    read_key(j, "n_group", c.n_group, source);
    read_key(j, "topk_group", c.topk_group, source);
    read_key(j, "routed_scaling_factor", c.routed_scaling_factor, source);
    read_key(j, "num_nextn_predict_layers", c.num_nextn_predict_layers, source);
    read_key(j, "max_position_embeddings", c.max_position_embeddings, source);
    read_key(j, "rms_norm_eps", c.rms_norm_eps, source);
    read_key(j, "rope_theta", c.rope_theta, source);
    c.rope_scaling = read_rope_scaling(j, source);
    read_extension_keys(j, source, c);
    c.validate(source);
    return c;
}

void ModelConfig::pin_legacy_defaults(nlohmann::json& j) {
    if (j.is_object() && written_before_mtp_contract(j))
        j["mtp_hidden_input"] = to_string(MtpHiddenInput::pre_norm);
}

ModelConfig ModelConfig::load(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw ConfigError(path + ": is a directory, expected a config.json file");
    std::ifstream in(path);
    if (!in) throw ConfigError(path + ": cannot open file");
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(ss.str());
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e400
        throw ConfigError(path + ": not valid JSON (" + e.what() + ")");
    }
    ModelConfig c = from_json(j, path);
    if (!j.contains("tinyseek_name")) c.name = std::filesystem::path(path).parent_path().filename();
    return c;
}

void ModelConfig::save(const std::string& path) const {
    try {
        write_file_atomic(path, to_json().dump(2) + "\n");
    } catch (const CheckpointError& e) {
        throw ConfigError(e.what());
    }
}

std::vector<std::string> ModelConfig::preset_names() {
    return {"tiny", "small", "medium", "deepseek-v2", "deepseek-v3"};
}

namespace {

// The trainable presets beyond tiny, for seeing how cost grows with size: the same family
// (MLA, one dense layer then MoE with a shared expert, sigmoid routing, MTP depth 1), wider,
// with more and finer-grained experts, and a 1,024-token context.
//   small:  ~12 M parameters (2.8 M active), 16 experts (top-2)
//   medium: ~57 M parameters (12 M active), 32 experts (top-4)
ModelConfig scaled_preset(const std::string& name) {
    ModelConfig c;
    c.name = name;
    c.max_position_embeddings = 1024;
    const bool medium = name == "medium";
    c.hidden_size = medium ? 512 : 256;
    c.intermediate_size = 3 * c.hidden_size;
    c.num_hidden_layers = medium ? 5 : 4;
    c.num_attention_heads = 8;
    c.num_key_value_heads = 8;
    c.q_lora_rank = c.hidden_size / 2;
    c.kv_lora_rank = c.hidden_size / 4;
    c.qk_nope_head_dim = medium ? 64 : 32;
    c.qk_rope_head_dim = medium ? 32 : 16;
    c.v_head_dim = medium ? 64 : 32;
    c.n_routed_experts = medium ? 32 : 16;
    c.num_experts_per_tok = medium ? 4 : 2;
    c.moe_intermediate_size = 192;
    return c;
}

}  // namespace

ModelConfig ModelConfig::preset(const std::string& name) {
    ModelConfig c;  // defaults are `tiny`
    if (name == "tiny") return c;
    if (name == "small" || name == "medium") return scaled_preset(name);
    if (name == "deepseek-v3") {
        // Published config.json of deepseek-ai/DeepSeek-V3 (671B total, 37B active).
        c.name = name;
        c.vocab_size = 129280;
        c.hidden_size = 7168;
        c.num_hidden_layers = 61;
        c.first_k_dense_replace = 3;
        c.intermediate_size = 18432;
        c.num_attention_heads = 128;
        c.num_key_value_heads = 128;
        c.q_lora_rank = 1536;
        c.kv_lora_rank = 512;
        c.qk_nope_head_dim = 128;
        c.qk_rope_head_dim = 64;
        c.v_head_dim = 128;
        c.n_routed_experts = 256;
        c.n_shared_experts = 1;
        c.num_experts_per_tok = 8;
        c.moe_intermediate_size = 2048;
        c.n_group = 8;
        c.topk_group = 4;
        c.routed_scaling_factor = 2.5f;
        c.num_nextn_predict_layers = 1;
        c.max_position_embeddings = 163840;
        c.rope_scaling = YarnScaling{40.0, 4096, 32.0, 1.0, 1.0, 1.0};
        return c;
    }
    if (name == "deepseek-v2") {
        // Published config.json of deepseek-ai/DeepSeek-V2 (236B total, 21B active).
        c.name = name;
        c.vocab_size = 102400;
        c.hidden_size = 5120;
        c.num_hidden_layers = 60;
        c.first_k_dense_replace = 1;
        c.intermediate_size = 12288;
        c.num_attention_heads = 128;
        c.num_key_value_heads = 128;
        c.q_lora_rank = 1536;
        c.kv_lora_rank = 512;
        c.qk_nope_head_dim = 128;
        c.qk_rope_head_dim = 64;
        c.v_head_dim = 128;
        c.n_routed_experts = 160;
        c.n_shared_experts = 2;
        c.num_experts_per_tok = 6;
        c.moe_intermediate_size = 1536;
        c.scoring_func = "softmax";
        c.topk_method = "group_limited_greedy";
        c.norm_topk_prob = false;
        c.n_group = 8;
        c.topk_group = 3;
        c.routed_scaling_factor = 16.0f;
        c.num_nextn_predict_layers = 0;
        c.max_position_embeddings = 163840;
        c.rope_scaling = YarnScaling{40.0, 4096, 32.0, 1.0, 0.707, 0.707};
        return c;
    }
    std::string names;
    for (const auto& n : preset_names()) names += (names.empty() ? "" : ", ") + n;
    throw ConfigError("unknown preset '" + name + "' (expected one of: " + names + ")");
}

}  // namespace tinyseek
