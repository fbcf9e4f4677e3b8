// The model commands run as the real binary: model-info (human and --json), init (a
// checkpoint directory whose files are checked byte by byte here, independently of core/),
// kv-report (the published DeepSeek-V3 number), and errors (stderr, non-zero exit).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace {

using namespace cli_test;

// A safetensors file read by hand: 8-byte little-endian header length, JSON header.
struct RawSafetensors {
    nlohmann::json header;
    uint64_t header_length = 0;
    uint64_t buffer_size = 0;
};

RawSafetensors read_raw(const fs::path& path) {
    const std::string bytes = slurp(path);
    RawSafetensors raw;
    if (bytes.size() < 8) return raw;
    for (int i = 0; i < 8; ++i)
        raw.header_length |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
    if (8 + raw.header_length > bytes.size()) return raw;
    raw.header = nlohmann::json::parse(bytes.substr(8, raw.header_length));
    raw.buffer_size = bytes.size() - 8 - raw.header_length;
    return raw;
}

}  // namespace

TEST(CliModel, ModelInfoJsonHasTheLayoutParameterCount) {
    const Result r = tinyseek({"model-info", "--preset", "tiny", "--json"}, "info_json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    // Tiny: 2,228,480 floats in ParamLayout (checked in test_core against the layout).
    EXPECT_EQ(j["parameters"]["total"], 2228480);
    int64_t sum = 0;
    for (const auto& [group, n] : j["parameters"]["groups"].items()) sum += n.get<int64_t>();
    EXPECT_EQ(sum, 2228480);
    EXPECT_EQ(j["parameters"]["groups"]["routed_experts"], 3 * 8 * 3 * 128 * 128);
    EXPECT_LT(j["parameters"]["active_per_token"], j["parameters"]["main_model"]);
    EXPECT_EQ(j["config"]["hidden_size"], 128);
    EXPECT_EQ(j["config"]["kv_lora_rank"], 32);
    // By hand (tests/core/test_model_structure.cpp works them out): active per token and the
    // latent cache, (32 + 16) values x 4 layers.
    EXPECT_EQ(j["parameters"]["active_per_token"], 815640);
    EXPECT_EQ(j["kv_cache_per_token"]["scheme"], "mla");
    EXPECT_EQ(j["kv_cache_per_token"]["bf16"], (32 + 16) * 2 * 4);
    EXPECT_EQ(j["kv_cache_per_token"]["fp32"], (32 + 16) * 4 * 4);
    EXPECT_NEAR(j["flops_per_token"]["training"].get<double>(), 7.51e6, 0.005e6);
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CliModel, ModelInfoOfDeepSeekV3AndHumanOutput) {
    const Result j = tinyseek({"model-info", "--preset", "deepseek-v3", "--json"}, "info_v3");
    ASSERT_EQ(j.exit_code, 0) << j.err;
    const nlohmann::json doc = nlohmann::json::parse(j.out);
    EXPECT_EQ(doc["parameters"]["main_model"], 671026419200);
    EXPECT_NEAR(doc["parameters"]["active_per_token"].get<double>() / 1e9, 37.0, 1.0);

    const Result h = tinyseek({"model-info"}, "info_human");
    ASSERT_EQ(h.exit_code, 0) << h.err;
    EXPECT_TRUE(contains(h.out, "2,228,480")) << h.out;
    EXPECT_TRUE(contains(h.out, "routed_experts")) << h.out;
    EXPECT_TRUE(contains(h.out, "active per token")) << h.out;
    EXPECT_TRUE(contains(h.out, "KV cache per token")) << h.out;
    EXPECT_EQ(doc["kv_cache_per_token"]["bf16"], 70272);
}

// The activation table of tiny (4 blocks of hidden 128, 4 heads of q/k 48 and v 32, vocab 64,
// MTP as block 4) for
// 2 sequences of 8 tokens: named slots with their shapes, on 64-byte boundaries, in order.
TEST(CliModel, ModelInfoPrintsTheActivationLayout) {
    const Result r = tinyseek({"model-info", "--batch", "2", "--seq", "8", "--json"}, "info_act");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json a = nlohmann::json::parse(r.out)["activations"];
    const int shard_b = a["shard_sequences"];
    EXPECT_EQ(shard_b * a["shards"].get<int>(), 2);
    std::map<std::string, nlohmann::json> shapes;
    std::size_t end = 0;
    for (const auto& slot : a["shard"]) {
        const std::size_t offset = slot["offset"];
        EXPECT_EQ(offset % 64, 0u) << slot;
        EXPECT_GE(offset, end) << slot;
        end = offset + slot["bytes"].get<std::size_t>();
        shapes[slot["name"]] = slot["shape"];
    }
    EXPECT_EQ(a["shard_bytes"], end);
    const int n = shard_b * 8;
    EXPECT_EQ(shapes["model.residual"], nlohmann::json({5, n, 128}));  // embeddings + 4 blocks
    EXPECT_EQ(shapes["model.layers.0.self_attn.probs"], nlohmann::json({shard_b, 4, 8, 8}));
    EXPECT_EQ(shapes["model.layers.0.self_attn.k"], nlohmann::json({n, 4 * 48}));
    EXPECT_EQ(shapes["model.layers.4.shared_head.norm"], nlohmann::json({n, 128}));
    EXPECT_EQ(a["outputs"][0]["name"], "output.logits");
    EXPECT_EQ(a["outputs"][0]["shape"], nlohmann::json({16, 64}));

    const Result h = tinyseek({"model-info", "--batch", "2", "--seq", "8"}, "info_act_human");
    ASSERT_EQ(h.exit_code, 0) << h.err;
    EXPECT_TRUE(contains(h.out, "2 sequences x 8 tokens")) << h.out;
    EXPECT_TRUE(contains(h.out, "model.layers.0.self_attn.probs")) << h.out;
    EXPECT_TRUE(contains(h.out, "arena per shard")) << h.out;
}

TEST(CliModel, ModelInfoReadsAConfigFile) {
    const fs::path dir = scratch("config_file");
    std::ofstream(dir / "config.json") << R"({"hidden_size": 64, "tinyseek_name": "mini"})";
    const Result r =
        tinyseek({"model-info", "--config", (dir / "config.json").string(), "--json"}, "info_cfg");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["name"], "mini");
    EXPECT_EQ(j["config"]["hidden_size"], 64);
    EXPECT_EQ(j["parameters"]["groups"]["embedding"], 64 * 64);
}

TEST(CliModel, InitWritesALoadableCheckpointDirectory) {
    const fs::path dir = scratch("init") / "ckpt";
    const Result r =
        tinyseek({"init", "--preset", "tiny", "--out", dir.string(), "--seed", "7"}, "init");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "2,228,480 parameters")) << r.out;

    // config.json is valid and model-info reads it back with the same count.
    const Result info =
        tinyseek({"model-info", "--config", (dir / "config.json").string(), "--json"}, "init_info");
    ASSERT_EQ(info.exit_code, 0) << info.err;
    EXPECT_EQ(nlohmann::json::parse(info.out)["parameters"]["total"], 2228480);

    // model.safetensors: every tensor F32, offsets tile the buffer, numel sums to the total.
    const RawSafetensors raw = read_raw(dir / "model.safetensors");
    ASSERT_TRUE(raw.header.is_object());
    EXPECT_EQ((8 + raw.header_length) % 8, 0u);
    EXPECT_EQ(raw.header["__metadata__"]["format"], "pt");
    EXPECT_EQ(raw.header["__metadata__"]["seed"], "7");
    uint64_t floats = 0, bytes = 0;
    for (const auto& [name, e] : raw.header.items()) {
        if (name == "__metadata__") continue;
        EXPECT_EQ(e["dtype"], "F32") << name;
        uint64_t n = 1;
        for (const auto& d : e["shape"]) n *= d.get<uint64_t>();
        EXPECT_EQ(e["data_offsets"][1].get<uint64_t>() - e["data_offsets"][0].get<uint64_t>(),
                  n * 4)
            << name;
        floats += n;
        bytes = std::max(bytes, e["data_offsets"][1].get<uint64_t>());
    }
    EXPECT_EQ(floats, 2228480u);
    EXPECT_EQ(bytes, raw.buffer_size);
    EXPECT_TRUE(raw.header.contains("model.layers.1.mlp.gate.e_score_correction_bias"));
    EXPECT_TRUE(raw.header.contains("model.layers.4.eh_proj.weight"));  // MTP block

    const nlohmann::json tok = nlohmann::json::parse(slurp(dir / "tokenizer.json"));
    EXPECT_EQ(tok["model"]["type"], "char");
    EXPECT_EQ(tok["model"]["vocab"].size(), 64u);
    EXPECT_FALSE(fs::exists(dir / "optimizer.safetensors"));

    // Same seed, same bytes; another seed, other weights. Replacing needs --force.
    const Result again = tinyseek({"init", "--out", dir.string(), "--seed", "7"}, "init_again");
    EXPECT_NE(again.exit_code, 0);
    EXPECT_TRUE(contains(again.err, "--force")) << again.err;
    const std::string first = slurp(dir / "model.safetensors");
    ASSERT_EQ(tinyseek({"init", "--out", dir.string(), "--seed", "7", "--force"}, "i2").exit_code,
              0);
    EXPECT_EQ(slurp(dir / "model.safetensors"), first);
    ASSERT_EQ(tinyseek({"init", "--out", dir.string(), "--seed", "8", "--force"}, "i3").exit_code,
              0);
    EXPECT_NE(slurp(dir / "model.safetensors"), first);
    for (const auto& e : fs::directory_iterator(dir.parent_path()))
        EXPECT_EQ(e.path().filename(), "ckpt") << "leftover " << e.path();
}

TEST(CliModel, KvReportDeepSeekV3Bf16Is70272BytesPerToken) {
    const Result r = tinyseek(
        {"kv-report", "--preset", "deepseek-v3", "--dtype", "bf16", "--seq", "4096", "--json"},
        "kv_v3");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["layers"], 61);
    EXPECT_EQ(j["mtp_counted"], false);
    bool found = false;
    for (const auto& s : j["schemes"]) {
        if (s["scheme"] != "mla") continue;
        found = true;
        EXPECT_EQ(s["elements_per_token_per_layer"], 576);
        EXPECT_EQ(s["bytes_per_token"], 70272);
        EXPECT_EQ(s["bytes_for_seq"], 70272LL * 4096);
    }
    EXPECT_TRUE(found);
    EXPECT_EQ(j["schemes"][0]["scheme"], "mha");
    EXPECT_EQ(j["schemes"][0]["bytes_per_token"], 40960LL * 2 * 61);

    const Result h = tinyseek({"kv-report", "--preset", "deepseek-v3", "--dtype", "bf16",
                               "--budget-gib", "16", "--seq", "4096"},
                              "kv_human");
    ASSERT_EQ(h.exit_code, 0) << h.err;
    EXPECT_TRUE(contains(h.out, "70,272")) << h.out;
    EXPECT_TRUE(contains(h.out, "MLA (latent 512 + rope 64)")) << h.out;
    EXPECT_TRUE(contains(h.out, "max batch")) << h.out;
}

TEST(CliModel, KvReportTinyFp32) {
    const Result r = tinyseek({"kv-report", "--dtype", "fp32", "--json"}, "kv_tiny");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["seq"], 256);  // max_position_embeddings
    EXPECT_EQ(j["schemes"][3]["bytes_per_token"], (32 + 16) * 4 * 4);
    EXPECT_EQ(j["schemes"][3]["bytes_for_seq"], (32 + 16) * 4 * 4 * 256);
}

TEST(CliModel, ErrorsGoToStderrWithNonZeroExit) {
    const fs::path dir = scratch("errors");
    std::ofstream(dir / "bad.json") << R"({"num_experts_per_tok": 12})";
    std::ofstream(dir / "garbage.json") << "not json";
    struct Case {
        std::vector<std::string> args;
        int exit_code;
        const char* expect;
    };
    const Case cases[] = {
        {{"model-info", "--preset", "gpt-5"}, 2, "unknown preset 'gpt-5'"},
        {{"model-info", "--config", (dir / "absent.json").string()}, 1, "cannot open file"},
        {{"model-info", "--config", (dir / "bad.json").string()}, 1, "'num_experts_per_tok'"},
        {{"model-info", "--config", (dir / "garbage.json").string()}, 1, "not valid JSON"},
        {{"model-info", "--preset", "tiny", "--config", (dir / "bad.json").string()},
         2,
         "either --preset or --config"},
        {{"model-info", "--seq", "0"}, 2, "must be positive"},
        {{"model-info", "--seq", "100000"}, 2, "exceeds max_position_embeddings 256"},
        {{"kv-report", "--dtype", "int4"}, 2, "unknown KV-cache dtype 'int4'"},
        {{"kv-report", "--seq", "0"}, 2, "--seq"},
        {{"kv-report", "--seq", "many"}, 2, "expects an integer"},
        {{"init", "--preset", "tiny"}, 2, "missing --out"},
        {{"init", "--preset", "deepseek-v3", "--out", (dir / "v3").string()},
         1,
         "model-info and kv-report only"},
    };
    int i = 0;
    for (const Case& c : cases) {
        const Result r = tinyseek(c.args, "err" + std::to_string(i++));
        SCOPED_TRACE(c.args[0] + " ... -> " + r.err);
        EXPECT_EQ(r.exit_code, c.exit_code);
        EXPECT_TRUE(contains(r.err, c.expect));
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
    EXPECT_FALSE(fs::exists(dir / "v3"));
}
