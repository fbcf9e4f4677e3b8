// ModelConfig: config.json round trip, validation messages (field + value), presets'
// published dimensions and parameter counts.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/model_config.h"
#include "core/param_count.h"
#include "core/param_layout.h"
#include "tests/scratch_dir.h"

namespace fs = std::filesystem;
using namespace tinyseek;

namespace {

void write_text(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

// The ConfigError message for the tiny config with `key` replaced by `value`.
std::string error_for(const std::string& key, const nlohmann::json& value) {
    nlohmann::json j = ModelConfig().to_json();
    j[key] = value;
    try {
        ModelConfig::from_json(j, "cfg.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(ModelConfig, SaveLoadRoundTripKeepsEveryField) {
    ModelConfig c;
    c.name = "roundtrip";
    c.hidden_size = 96;
    c.num_hidden_layers = 3;
    c.first_k_dense_replace = 2;
    c.q_lora_rank = 0;
    c.kv_lora_rank = 24;
    c.n_routed_experts = 6;
    c.num_experts_per_tok = 3;
    c.scoring_func = "softmax";
    c.topk_method = "greedy";
    c.norm_topk_prob = false;
    c.routed_scaling_factor = 2.5f;
    c.rms_norm_eps = 1e-5f;
    c.attention = AttentionKind::gqa;
    c.num_key_value_heads = 2;
    c.balance_mode = BalanceMode::aux_loss;
    c.aux_loss_alpha = 0.01f;
    c.mtp_loss_weight = 0.25f;
    const fs::path file = tinyseek::testing::fresh_dir("test_config", "roundtrip") / "config.json";
    c.save(file.string());
    const ModelConfig back = ModelConfig::load(file.string());
    EXPECT_EQ(back.to_json(), c.to_json());
    EXPECT_EQ(back.q_lora_rank, 0);
    EXPECT_EQ(back.attention, AttentionKind::gqa);
    EXPECT_EQ(back.num_key_value_heads, 2);
    EXPECT_FLOAT_EQ(back.routed_scaling_factor, 2.5f);
    // The file is HF-style JSON (q_lora_rank 0 is written as null, as in DeepSeek-V2-Lite).
    std::ifstream in(file);
    const nlohmann::json j = nlohmann::json::parse(in);
    EXPECT_TRUE(j["q_lora_rank"].is_null());
    EXPECT_EQ(j["model_type"], "deepseek_v3");
    // No temp files are left next to it.
    int files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(file.parent_path())) ++files;
    EXPECT_EQ(files, 1);
}

TEST(ModelConfig, AbsentOptionalKeysKeepDefaults) {
    const ModelConfig c = ModelConfig::from_json({{"hidden_size", 64}}, "x.json");
    EXPECT_EQ(c.hidden_size, 64);
    EXPECT_EQ(c.kv_lora_rank, ModelConfig().kv_lora_rank);
    EXPECT_EQ(c.num_key_value_heads, c.num_attention_heads);
}

struct BadValueCase {
    const char* key;
    nlohmann::json value;
    const char* expect_value;  // how the value appears in the message
    const char* expect_rule;   // part of the "expected" text
};

TEST(ModelConfig, EveryValidationErrorNamesFieldValueAndExpectation) {
    const BadValueCase cases[] = {
        {"num_experts_per_tok", 9, "got 9", "<= n_routed_experts (8)"},
        {"kv_lora_rank", 0, "got 0", "> 0"},
        {"kv_lora_rank", -4, "got -4", "> 0"},
        {"qk_rope_head_dim", 15, "got 15", "even"},
        {"scoring_func", "relu", "got \"relu\"", "\"sigmoid\" or \"softmax\""},
        {"topk_method", "best", "got \"best\"", "noaux_tc"},
        {"attention", "linear", "got \"linear\"", "\"mla\", \"mha\" or \"gqa\""},
        {"balance_mode", "magic", "got \"magic\"", "aux_free"},
        {"first_k_dense_replace", 5, "got 5", "between 0 and num_hidden_layers (4)"},
        {"n_group", 3, "got 3", "divisor of n_routed_experts"},
        {"num_nextn_predict_layers", 2, "got 2", "0 or 1"},
        {"rms_norm_eps", 0.0, "got 0", "> 0"},
        {"routed_scaling_factor", -1.0, "got -1", "> 0"},
        {"hidden_size", "128", "got \"128\"", "an integer"},
        {"hidden_size", 128.5, "got 128.5", "an integer"},
        {"hidden_size", 4294967424LL, "got 4294967424", "fits in 32 bits"},
        {"num_attention_heads", -2147483649LL, "got -2147483649", "fits in 32 bits"},
        {"norm_topk_prob", 1, "got 1", "true or false"},
        {"rope_theta", "10000", "got \"10000\"", "a number"},
        {"rope_theta", 1e300, "got 1e+300", "float range"},
        {"vocab_size", nlohmann::json::array({64}), "got [64]", "an integer"},
        {"scoring_func", 3, "got 3", "a string"},
    };
    for (const BadValueCase& c : cases) {
        const std::string msg = error_for(c.key, c.value);
        SCOPED_TRACE(std::string(c.key) + " = " + c.value.dump() + " -> " + msg);
        EXPECT_NE(msg.find("cfg.json"), std::string::npos);
        EXPECT_NE(msg.find(std::string("'") + c.key + "'"), std::string::npos);
        EXPECT_NE(msg.find(c.expect_value), std::string::npos);
        EXPECT_NE(msg.find(c.expect_rule), std::string::npos);
    }
}

TEST(ModelConfig, GqaHeadsMustDivideQueryHeads) {
    nlohmann::json j = ModelConfig().to_json();
    j["attention"] = "gqa";
    j["num_key_value_heads"] = 3;
    try {
        ModelConfig::from_json(j, "g.json");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("'num_key_value_heads'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("got 3"), std::string::npos);
    }
}

TEST(ModelConfig, LoadRejectsNonJsonNonObjectAndMissingFiles) {
    const fs::path dir = tinyseek::testing::fresh_dir("test_config", "bad_files");
    write_text(dir / "garbage.json", "this is not json {");
    write_text(dir / "array.json", "[1, 2, 3]");
    write_text(dir / "empty.json", "");
    // Valid JSON syntax, but a number no double holds: the parser throws out_of_range, not
    // parse_error (found by fuzz/fuzz_model_config.cpp).
    write_text(dir / "overflow.json", R"({"hidden_size": 1e400})");
    struct Case {
        fs::path path;
        const char* expect;
    };
    const Case cases[] = {
        {dir / "garbage.json", "not valid JSON"},  {dir / "array.json", "expected a JSON object"},
        {dir / "empty.json", "not valid JSON"},    {dir / "overflow.json", "not valid JSON"},
        {dir / "absent.json", "cannot open file"}, {dir, "is a directory"}};
    for (const Case& c : cases) {
        try {
            ModelConfig::load(c.path.string());
            ADD_FAILURE() << c.path << " loaded";
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(c.path.string()), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(c.expect), std::string::npos) << e.what();
        }
    }
}

TEST(ModelConfig, SaveIntoMissingDirectoryThrowsConfigError) {
    const fs::path file =
        tinyseek::testing::fresh_dir("test_config", "no_dir") / "missing" / "config.json";
    EXPECT_THROW(ModelConfig().save(file.string()), ConfigError);
}

TEST(ModelConfig, UnknownPresetListsTheKnownOnes) {
    try {
        ModelConfig::preset("gpt-5");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("'gpt-5'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("tiny, small, medium, deepseek-v2, deepseek-v3"),
                  std::string::npos);
    }
}

TEST(ModelConfig, TinyPresetMatchesDesignTable) {
    const ModelConfig c = ModelConfig::preset("tiny");
    EXPECT_EQ(c.vocab_size, 64);
    EXPECT_EQ(c.hidden_size, 128);
    EXPECT_EQ(c.num_hidden_layers, 4);
    EXPECT_EQ(c.first_k_dense_replace, 1);
    EXPECT_EQ(c.intermediate_size, 384);
    EXPECT_EQ(c.num_attention_heads, 4);
    EXPECT_EQ(c.q_lora_rank, 64);
    EXPECT_EQ(c.kv_lora_rank, 32);
    EXPECT_EQ(c.qk_nope_head_dim, 32);
    EXPECT_EQ(c.qk_rope_head_dim, 16);
    EXPECT_EQ(c.v_head_dim, 32);
    EXPECT_EQ(c.n_routed_experts, 8);
    EXPECT_EQ(c.n_shared_experts, 1);
    EXPECT_EQ(c.num_experts_per_tok, 2);
    EXPECT_EQ(c.moe_intermediate_size, 128);
    EXPECT_EQ(c.num_nextn_predict_layers, 1);
    EXPECT_EQ(c.max_position_embeddings, 256);
}

TEST(ModelConfig, PresetsHaveThePublishedParameterCounts) {
    // DeepSeek-V3: 671B total (main model), 37B activated per token; the MTP module adds
    // 14B in the HF release, 11.6B of it outside the embedding and head it shares.
    const ParamCounts v3 = count_params(ModelConfig::preset("deepseek-v3"));
    EXPECT_EQ(v3.main_model, 671026419200);
    EXPECT_EQ(v3.mtp, 11610068224);
    EXPECT_EQ(v3.active_per_token, 37552297472);
    EXPECT_NEAR(v3.main_model / 1e9, 671.0, 0.5);
    EXPECT_NEAR(v3.active_per_token / 1e9, 37.0, 1.0);
    // DeepSeek-V2: 236B total, 21B activated, no MTP.
    const ParamCounts v2 = count_params(ModelConfig::preset("deepseek-v2"));
    EXPECT_EQ(v2.mtp, 0);
    EXPECT_NEAR(v2.main_model / 1e9, 236.0, 0.5);
    EXPECT_NEAR(v2.active_per_token / 1e9, 21.0, 0.5);
    const ModelConfig c3 = ModelConfig::preset("deepseek-v3");
    EXPECT_EQ(c3.kv_lora_rank + c3.qk_rope_head_dim, 576);
    EXPECT_EQ(c3.num_hidden_layers, 61);
}

TEST(ParamCounts, GroupsSumToTheLayoutTotal) {
    for (const std::string& name : ModelConfig::preset_names()) {
        const ModelConfig c = ModelConfig::preset(name);
        const ParamCounts p = count_params(c);
        int64_t sum = 0;
        for (const auto& [group, n] : p.groups()) sum += n;
        EXPECT_EQ(sum, p.total) << name;
        EXPECT_EQ(static_cast<size_t>(p.total), ParamLayout(c).total_floats()) << name;
    }
    // Tiny, by hand: embedding and head 64*128 each; routed experts 3 layers * 8 experts *
    // 3 * 128*128; active uses 2 of 8 experts per MoE layer.
    const ParamCounts t = count_params(ModelConfig());
    EXPECT_EQ(t.embedding, 64 * 128);
    EXPECT_EQ(t.head, 64 * 128);
    EXPECT_EQ(t.routed_experts, 3 * 8 * 3 * 128 * 128);
    EXPECT_EQ(t.shared_experts, 3 * 3 * 128 * 128);
    EXPECT_EQ(t.dense_mlp, 3 * 384 * 128);
    EXPECT_EQ(t.router, 3 * (8 * 128 + 8));
    EXPECT_EQ(t.total, 2228480);
    EXPECT_EQ(t.active_per_token, t.main_model - t.routed_experts * 6 / 8);
}
