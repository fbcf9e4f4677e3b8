// ModelConfig keys that change what the model computes: the balance modes, the MTP input
// contract (and how configs written before it existed keep theirs), rope_scaling (YaRN
// accepted, everything else refused by name), and the bundled tiny.json being the preset.
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/model_config.h"

using namespace tinyseek;

namespace {

// DeepSeek-V3's published rope_scaling.
nlohmann::json v3_yarn() {
    return {{"beta_fast", 32}, {"beta_slow", 1},        {"factor", 40},
            {"mscale", 1.0},   {"mscale_all_dim", 1.0}, {"original_max_position_embeddings", 4096},
            {"type", "yarn"}};
}

std::string error_of(const nlohmann::json& j) {
    try {
        ModelConfig::from_json(j, "cfg.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

nlohmann::json with_rope_scaling(const nlohmann::json& r) {
    nlohmann::json j = ModelConfig().to_json();
    j["rope_scaling"] = r;
    return j;
}

}  // namespace

TEST(ModelConfigContracts, EveryBalanceModeRoundTrips) {
    for (const std::string& name : balance_mode_names()) {
        nlohmann::json j = ModelConfig().to_json();
        j["balance_mode"] = name;
        const ModelConfig c = ModelConfig::from_json(j, "b.json");
        EXPECT_EQ(to_string(c.balance_mode), name);
        EXPECT_EQ(parse_balance_mode(name), c.balance_mode);
    }
    EXPECT_FALSE(parse_balance_mode("aux_free+seq"));
    const std::string msg = error_of({{"balance_mode", "seq"}});
    EXPECT_NE(msg.find("\"aux_free_seq\""), std::string::npos) << msg;
}

TEST(ModelConfigContracts, BalanceModesSayWhatTheyTurnOn) {
    ModelConfig c;
    c.aux_loss_alpha = 0.01f;
    c.seq_balance_alpha = 0.0001f;
    c.balance_mode = BalanceMode::aux_free_seq;  // DeepSeek-V3: both, with the tiny alpha
    EXPECT_TRUE(c.balance_loss_on());
    EXPECT_TRUE(c.bias_update_on());
    EXPECT_FLOAT_EQ(c.balance_loss_alpha(), 0.0001f);
    c.balance_mode = BalanceMode::aux_loss;
    EXPECT_TRUE(c.balance_loss_on());
    EXPECT_FALSE(c.bias_update_on());
    EXPECT_FLOAT_EQ(c.balance_loss_alpha(), 0.01f);
    c.balance_mode = BalanceMode::aux_free;
    EXPECT_FALSE(c.balance_loss_on());
    EXPECT_TRUE(c.bias_update_on());
    c.balance_mode = BalanceMode::none;
    EXPECT_FALSE(c.balance_loss_on() || c.bias_update_on());
    EXPECT_FLOAT_EQ(ModelConfig().seq_balance_alpha, 1e-4f);  // DeepSeek-V3 §4.2
    nlohmann::json j = ModelConfig().to_json();
    j["seq_balance_alpha"] = -1.0;
    EXPECT_NE(error_of(j).find("'seq_balance_alpha'"), std::string::npos);
}

TEST(ModelConfigContracts, MtpInputIsTheReleasedContractUnlessAnOldFileSaysOtherwise) {
    // New configs and Hugging Face files (no tinyseek_name): model.norm(h_L) feeds hnorm.
    EXPECT_EQ(ModelConfig().mtp_hidden_input, MtpHiddenInput::final_norm);
    EXPECT_EQ(ModelConfig::from_json({{"hidden_size", 64}}).mtp_hidden_input,
              MtpHiddenInput::final_norm);
    EXPECT_EQ(ModelConfig().to_json()["mtp_hidden_input"], "final_norm");
    // A file this program wrote before the key existed: it has tinyseek_name, not the key.
    nlohmann::json old = ModelConfig().to_json();
    old.erase("mtp_hidden_input");
    EXPECT_EQ(ModelConfig::from_json(old).mtp_hidden_input, MtpHiddenInput::pre_norm);
    // Saving it again writes the contract down, so it stays pre_norm.
    EXPECT_EQ(ModelConfig::from_json(old).to_json()["mtp_hidden_input"], "pre_norm");
    // pin_legacy_defaults makes it explicit before a merge; new files are left alone.
    nlohmann::json pinned = old;
    ModelConfig::pin_legacy_defaults(pinned);
    EXPECT_EQ(pinned["mtp_hidden_input"], "pre_norm");
    nlohmann::json fresh = ModelConfig().to_json();
    ModelConfig::pin_legacy_defaults(fresh);
    EXPECT_EQ(fresh, ModelConfig().to_json());
    nlohmann::json patch = {{"hidden_size", 64}};
    ModelConfig::pin_legacy_defaults(patch);
    EXPECT_FALSE(patch.contains("mtp_hidden_input"));
    const std::string msg = error_of({{"mtp_hidden_input", "after_norm"}});
    EXPECT_NE(msg.find("'mtp_hidden_input'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("\"final_norm\" or \"pre_norm\""), std::string::npos) << msg;
}

TEST(ModelConfigContracts, YarnRopeScalingIsReadAndWrittenBack) {
    const ModelConfig c = ModelConfig::from_json(with_rope_scaling(v3_yarn()), "y.json");
    ASSERT_TRUE(c.rope_scaling);
    EXPECT_EQ(c.rope_scaling->factor, 40.0);
    EXPECT_EQ(c.rope_scaling->original_max_position_embeddings, 4096);
    EXPECT_EQ(c.rope_scaling->beta_fast, 32.0);
    EXPECT_EQ(c.rope_scaling->beta_slow, 1.0);
    EXPECT_EQ(c.rope_scaling->mscale_all_dim, 1.0);
    EXPECT_EQ(ModelConfig::from_json(c.to_json()).to_json(), c.to_json());
    EXPECT_EQ(c.to_json()["rope_scaling"]["type"], "yarn");
    // "rope_type" (newer transformers) is the same key; null means no scaling.
    nlohmann::json r = v3_yarn();
    r.erase("type");
    r["rope_type"] = "yarn";
    EXPECT_TRUE(ModelConfig::from_json(with_rope_scaling(r)).rope_scaling);
    EXPECT_FALSE(ModelConfig::from_json(with_rope_scaling(nullptr)).rope_scaling);
    EXPECT_FALSE(ModelConfig().to_json().contains("rope_scaling"));
    // The DeepSeek presets carry their published YaRN settings.
    EXPECT_EQ(ModelConfig::preset("deepseek-v3").rope_scaling,
              (YarnScaling{40.0, 4096, 32.0, 1.0, 1.0, 1.0}));
    EXPECT_EQ(ModelConfig::preset("deepseek-v2").rope_scaling->mscale_all_dim, 0.707);
}

TEST(ModelConfigContracts, RopeScalingThatIsNotImplementedIsRefusedByName) {
    struct Case {
        const char* key;  // changed key of v3_yarn(); "" = the value below replaces the object
        nlohmann::json value;
        const char* expect;
    };
    const Case cases[] = {
        {"type", "linear", "'rope_scaling.type' must be \"yarn\""},
        {"type", "dynamic", "got \"dynamic\""},
        {"rope_type", "llama3", "got \"llama3\""},
        {"low_freq_factor", 1.0, "'rope_scaling.low_freq_factor' must be absent"},
        {"factor", nullptr, "'rope_scaling.factor' must be present"},
        {"original_max_position_embeddings", nullptr, "must be present"},
        {"factor", 0.5, "'rope_scaling.factor' must be >= 1"},
        {"factor", "40", "'rope_scaling.factor' must be a number"},
        {"beta_fast", 0.5, "'rope_scaling.beta_fast' must be > beta_slow"},
        {"beta_slow", 0, "'rope_scaling.beta_slow' must be > 0"},
        {"mscale", 0.707, "'rope_scaling.mscale' must be equal to mscale_all_dim"},
        {"original_max_position_embeddings", 0, "must be > 0"},
        {"", "yarn", "'rope_scaling' must be null or an object"},
    };
    for (const Case& c : cases) {
        nlohmann::json r = v3_yarn();
        if (*c.key == '\0')
            r = c.value;
        else if (c.value.is_null())
            r.erase(c.key);
        else
            r[c.key] = c.value;
        const std::string msg = error_of(with_rope_scaling(r));
        SCOPED_TRACE(r.dump() + " -> " + msg);
        EXPECT_NE(msg.find("cfg.json"), std::string::npos);
        EXPECT_NE(msg.find(c.expect), std::string::npos);
    }
}

TEST(ModelConfigContracts, BundledTinyJsonIsTheTinyPreset) {
    std::ifstream in(std::string(TINYSEEK_SOURCE_DIR) + "/assets/configs/tiny.json");
    ASSERT_TRUE(in);
    const nlohmann::json bundled = nlohmann::json::parse(in);
    EXPECT_EQ(bundled, ModelConfig::preset("tiny").to_json());
}
