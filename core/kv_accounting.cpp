#include "core/kv_accounting.h"

#include <nlohmann/json.hpp>

#include "core/errors.h"

namespace tinyseek {

const char* to_string(KvDtype dtype) {
    switch (dtype) {
        case KvDtype::fp32:
            return "fp32";
        case KvDtype::bf16:
            return "bf16";
        case KvDtype::fp8:
            return "fp8";
    }
    return "?";
}

const char* to_string(KvScheme scheme) {
    switch (scheme) {
        case KvScheme::mha:
            return "mha";
        case KvScheme::gqa:
            return "gqa";
        case KvScheme::mqa:
            return "mqa";
        case KvScheme::mla:
            return "mla";
    }
    return "?";
}

KvDtype kv_dtype_from_string(const std::string& name) {
    for (KvDtype d : {KvDtype::fp32, KvDtype::bf16, KvDtype::fp8})
        if (name == to_string(d)) return d;
    throw ConfigError("unknown KV-cache dtype '" + name + "' (expected fp32, bf16 or fp8)");
}

int64_t bytes_per_element(KvDtype dtype) {
    switch (dtype) {
        case KvDtype::fp32:
            return 4;
        case KvDtype::bf16:
            return 2;
        case KvDtype::fp8:
            return 1;
    }
    return 0;
}

GqaGroups gqa_groups(const ModelConfig& c, int requested) {
    const int H = c.num_attention_heads;
    if (requested > 0) {
        if (H % requested != 0)
            throw ConfigError("GQA KV heads must divide num_attention_heads (" + std::to_string(H) +
                              "), got " + std::to_string(requested));
        return {requested, false};
    }
    if (c.attention == AttentionKind::gqa) return {c.num_key_value_heads, false};
    int g = 1;
    for (int d = 1; d <= 8 && d < H; ++d)
        if (H % d == 0) g = d;
    return {g, true};
}

int64_t kv_elements_per_token_per_layer(const ModelConfig& c, KvScheme scheme, int gqa_kv_heads) {
    const int64_t per_head = static_cast<int64_t>(c.qk_head_dim()) + c.v_head_dim;  // K + V
    switch (scheme) {
        case KvScheme::mha:
            return c.num_attention_heads * per_head;
        case KvScheme::gqa:
            return gqa_groups(c, gqa_kv_heads).kv_heads * per_head;
        case KvScheme::mqa:
            return per_head;
        case KvScheme::mla:
            return static_cast<int64_t>(c.kv_lora_rank) + c.qk_rope_head_dim;
    }
    return 0;
}

int64_t kv_bytes_per_token_per_layer(const ModelConfig& c, KvScheme scheme, KvDtype dtype,
                                     int gqa_kv_heads) {
    return kv_elements_per_token_per_layer(c, scheme, gqa_kv_heads) * bytes_per_element(dtype);
}

int kv_cached_layers(const ModelConfig& c, bool include_mtp) {
    return c.num_hidden_layers + (include_mtp ? c.num_nextn_predict_layers : 0);
}

const KvRow& KvReport::row(KvScheme scheme) const {
    for (const KvRow& r : rows)
        if (r.scheme == scheme) return r;
    throw Error(std::string("KV report has no row for ") + to_string(scheme));
}

nlohmann::json KvReport::to_json(int64_t seq_len) const {
    nlohmann::json schemes = nlohmann::json::array();
    for (const KvRow& r : rows) {
        schemes.push_back({{"scheme", to_string(r.scheme)},
                           {"label", r.label},
                           {"kv_heads", r.kv_heads},
                           {"elements_per_token_per_layer", r.elements_per_token_per_layer},
                           {"bytes_per_token_per_layer", r.bytes_per_token_per_layer},
                           {"bytes_per_token", r.bytes_per_token},
                           {"bytes_for_seq", kv_cache_bytes(r.bytes_per_token, seq_len)},
                           {"ratio_to_mha", r.ratio_to_mha}});
    }
    return {{"config", config_name},
            {"dtype", to_string(dtype)},
            {"bytes_per_element", bytes_per_element(dtype)},
            {"layers", layers},
            {"mtp_counted", mtp_counted},
            {"seq", seq_len},
            {"schemes", schemes}};
}

KvReport kv_report(const ModelConfig& c, const KvAccountingOptions& options) {
    KvReport report;
    report.config_name = c.name;
    report.dtype = options.dtype;
    report.layers = kv_cached_layers(c, options.include_mtp);
    report.mtp_counted = options.include_mtp;
    const GqaGroups groups = gqa_groups(c, options.gqa_kv_heads);
    const int H = c.num_attention_heads;
    auto add = [&](KvScheme scheme, std::string label, int kv_heads) {
        KvRow r;
        r.scheme = scheme;
        r.label = std::move(label);
        r.kv_heads = kv_heads;
        r.elements_per_token_per_layer =
            kv_elements_per_token_per_layer(c, scheme, groups.kv_heads);
        r.bytes_per_token_per_layer =
            r.elements_per_token_per_layer * bytes_per_element(options.dtype);
        r.bytes_per_token = r.bytes_per_token_per_layer * report.layers;
        report.rows.push_back(std::move(r));
    };
    add(KvScheme::mha, "MHA (" + std::to_string(H) + " KV heads)", H);
    add(KvScheme::gqa,
        "GQA (" + std::to_string(groups.kv_heads) + " KV heads" +
            (groups.assumed ? ", assumed" : "") + ")",
        groups.kv_heads);
    add(KvScheme::mqa, "MQA (1 KV head)", 1);
    add(KvScheme::mla,
        "MLA (latent " + std::to_string(c.kv_lora_rank) + " + rope " +
            std::to_string(c.qk_rope_head_dim) + ")",
        0);
    const double mha = static_cast<double>(report.rows.front().bytes_per_token);
    for (KvRow& r : report.rows) r.ratio_to_mha = mha > 0 ? r.bytes_per_token / mha : 0.0;
    return report;
}

int64_t kv_cache_bytes(int64_t bytes_per_token, int64_t seq_len, int64_t batch) {
    int64_t tokens = 0;
    int64_t bytes = 0;
    if (bytes_per_token < 0 || seq_len < 0 || batch < 0 ||
        __builtin_mul_overflow(seq_len, batch, &tokens) ||
        __builtin_mul_overflow(tokens, bytes_per_token, &bytes))
        throw Error("KV cache size out of range: " + std::to_string(bytes_per_token) +
                    " bytes/token x " + std::to_string(seq_len) + " tokens x " +
                    std::to_string(batch) + " sequences");
    return bytes;
}

int64_t kv_max_batch(int64_t bytes_per_token, int64_t seq_len, int64_t budget_bytes) {
    if (bytes_per_token <= 0 || seq_len <= 0)
        throw Error("max batch needs positive bytes per token and sequence length, got " +
                    std::to_string(bytes_per_token) + " and " + std::to_string(seq_len));
    if (budget_bytes <= 0) return 0;
    return budget_bytes / kv_cache_bytes(bytes_per_token, seq_len);
}

KvScheme kv_scheme_of(const ModelConfig& config) {
    switch (config.attention) {
        case AttentionKind::mla:
            return KvScheme::mla;
        case AttentionKind::gqa:
            return KvScheme::gqa;
        case AttentionKind::mha:
            return KvScheme::mha;
    }
    return KvScheme::mha;
}

}  // namespace tinyseek
