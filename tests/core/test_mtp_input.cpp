// Which hidden state feeds the MTP module's hnorm. Released DeepSeek-V3 checkpoints and
// inference engines use model.norm(h_L) (final_norm, the default); checkpoints this program
// wrote before the contract was recorded used h_L (pre_norm) and must load as such. The
// gradient through model.norm is checked by the model gradient table (test_model_grad.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checkpoint.h"
#include "core/model.h"
#include "tests/core/model_fixtures.h"

namespace fs = std::filesystem;

namespace tinyseek {
namespace {

using testing::random_params;
using testing::small_config;

constexpr int kTokens = 6;

std::vector<int> some_tokens(int vocab) {
    std::vector<int> t(kTokens);
    for (int i = 0; i < kTokens; ++i) t[i] = (5 * i + 2) % vocab;
    return t;
}

struct ForwardLogits {
    std::vector<double> main, mtp;
};

ForwardLogits run(const ModelConfig& c, const std::vector<double>& params) {
    BasicModel<double> model(c);
    const std::vector<int> tokens = some_tokens(c.vocab_size);
    const auto out = model.forward(params.data(), tokens.data(), 1, kTokens);
    const size_t NV = size_t(kTokens) * c.vocab_size;
    return {{out.logits, out.logits + NV}, {out.mtp_logits, out.mtp_logits + NV}};
}

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
    double d = 0;
    for (size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

// model.norm's weight reaches the MTP logits only through the final_norm contract: scaling
// its entries unevenly changes them there and leaves pre_norm's (and rescaling it evenly
// changes neither, RMSNorm being scale-invariant).
TEST(MtpInput, OnlyTheFinalNormContractReadsModelNorm) {
    ModelConfig final_norm = small_config();
    ModelConfig pre_norm = final_norm;
    pre_norm.mtp_hidden_input = MtpHiddenInput::pre_norm;
    const ParamLayout layout(final_norm);
    const std::vector<double> params = random_params(layout, 21);
    std::vector<double> uneven = params;
    const TensorSpec& norm = layout.at("model.norm.weight");
    for (size_t i = 0; i < norm.numel; ++i) uneven[norm.offset + i] *= 1.0 + 0.5 * (i % 3);

    const ForwardLogits f0 = run(final_norm, params), f1 = run(final_norm, uneven);
    const ForwardLogits p0 = run(pre_norm, params), p1 = run(pre_norm, uneven);
    EXPECT_LT(max_diff(f0.main, p0.main), 1e-12);  // the main path ignores the contract
    EXPECT_GT(max_diff(f0.mtp, p0.mtp), 1e-3);
    EXPECT_GT(max_diff(f0.mtp, f1.mtp), 1e-3);
    EXPECT_LT(max_diff(p0.mtp, p1.mtp), 1e-12);
}

// assets/configs/tiny.json as this program wrote config.json before "mtp_hidden_input"
// existed (HEAD of the old format, byte for byte apart from indentation).
const char* kOldTinyConfig = R"({
  "architectures": ["DeepseekV3ForCausalLM"], "attention": "mla",
  "aux_loss_alpha": 0.0010000000474974513, "balance_mode": "aux_free",
  "bias_update_speed": 0.0010000000474974513, "first_k_dense_replace": 1, "hidden_size": 128,
  "intermediate_size": 384, "kv_lora_rank": 32, "max_position_embeddings": 256,
  "model_type": "deepseek_v3", "moe_intermediate_size": 128,
  "mtp_loss_weight": 0.30000001192092896, "n_group": 1, "n_routed_experts": 8,
  "n_shared_experts": 1, "norm_topk_prob": true, "num_attention_heads": 4,
  "num_experts_per_tok": 2, "num_hidden_layers": 4, "num_key_value_heads": 4,
  "num_nextn_predict_layers": 1, "q_lora_rank": 64, "qk_nope_head_dim": 32,
  "qk_rope_head_dim": 16, "rms_norm_eps": 9.999999974752427e-07, "rope_theta": 10000.0,
  "routed_scaling_factor": 1.0, "scoring_func": "sigmoid", "tie_word_embeddings": false,
  "tinyseek_name": "tiny", "topk_group": 1, "topk_method": "noaux_tc",
  "torch_dtype": "float32", "v_head_dim": 32, "vocab_size": 64
})";

TEST(MtpInput, AnOldFormatCheckpointLoadsWithItsOwnContract) {
    const fs::path dir = fs::path(TINYSEEK_TEST_TMP) / "test_mtp_input" / "old";
    fs::remove_all(dir);
    fs::create_directories(dir.parent_path());
    ParamStore params{ModelConfig::preset("tiny")};
    init_params(params, 8);
    float* norm = params.ptr("model.norm.weight");  // uneven, as after training
    for (int i = 0; i < 128; ++i) norm[i] = 1.0f + 0.5f * static_cast<float>(i % 3);
    save_checkpoint(dir.string(), params, Tokenizer(), nullptr);
    std::ofstream(dir / kConfigFile, std::ios::trunc) << kOldTinyConfig;  // the old file

    const Checkpoint old = load_checkpoint(dir.string());
    EXPECT_EQ(old.config.mtp_hidden_input, MtpHiddenInput::pre_norm);
    EXPECT_EQ(old.config.balance_mode, BalanceMode::aux_free);
    ModelConfig expected = ModelConfig::preset("tiny");
    expected.mtp_hidden_input = MtpHiddenInput::pre_norm;
    expected.balance_mode = BalanceMode::aux_free;        // written in the file, so kept
    EXPECT_EQ(old.config.to_json(), expected.to_json());  // nothing else changed meaning

    // It computes what it computed before: its MTP logits are those of a pre_norm model.
    Model model(old.config);
    const std::vector<int> tokens = some_tokens(old.config.vocab_size);
    const auto out = model.forward(old.params, tokens.data(), 1, kTokens);
    const std::vector<float> mtp(out.mtp_logits, out.mtp_logits + kTokens * out.vocab);
    ModelConfig now_config = expected;
    now_config.mtp_hidden_input = MtpHiddenInput::final_norm;
    Model today(now_config);
    ParamStore same(now_config);
    same.data() = old.params.data();
    const auto now = today.forward(same, tokens.data(), 1, kTokens);
    double diff = 0;
    for (size_t i = 0; i < mtp.size(); ++i)
        diff = std::max(diff, std::abs(double(mtp[i]) - now.mtp_logits[i]));
    EXPECT_GT(diff, 1e-3);

    // Saved again, it says so explicitly and stays pre_norm.
    save_checkpoint(dir.string(), old.params, old.tokenizer, nullptr);
    std::ifstream in(dir / kConfigFile);
    EXPECT_EQ(nlohmann::json::parse(in)["mtp_hidden_input"], "pre_norm");
    EXPECT_EQ(load_checkpoint(dir.string()).config.mtp_hidden_input, MtpHiddenInput::pre_norm);
}

}  // namespace
}  // namespace tinyseek
