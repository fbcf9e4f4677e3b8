// Checkpoint directories: round trip (bit-identical parameters, optimizer state, metadata),
// optional optimizer state, atomic replacement (an old checkpoint survives any failure),
// and clear errors for missing or corrupt parts.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/checkpoint.h"
#include "core/errors.h"
#include "core/model.h"
#include "tests/scratch_dir.h"

namespace fs = std::filesystem;
using namespace tinyseek;

namespace {

ModelConfig checkpoint_config() {
    ModelConfig c;
    c.name = "small";
    c.vocab_size = 64;
    c.hidden_size = 16;
    c.num_hidden_layers = 2;
    c.intermediate_size = 24;
    c.num_attention_heads = 2;
    c.num_key_value_heads = 2;
    c.q_lora_rank = 8;
    c.kv_lora_rank = 8;
    c.qk_nope_head_dim = 4;
    c.qk_rope_head_dim = 4;
    c.v_head_dim = 4;
    c.n_routed_experts = 4;
    c.moe_intermediate_size = 8;
    c.validate();
    return c;
}

void fill_random(ParamStore& p, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float& v : p.data()) v = normal(rng);
}

bool same_bits(const ParamStore& a, const ParamStore& b) {
    return a.data().size() == b.data().size() &&
           std::memcmp(a.data().data(), b.data().data(), a.data().size() * 4) == 0;
}

// Only the named directory is left in `parent`: no temp or backup directories.
void expect_no_leftovers(const fs::path& parent, const std::string& name) {
    for (const auto& e : fs::directory_iterator(parent))
        EXPECT_EQ(e.path().filename().string(), name) << "leftover " << e.path();
}

struct Fixture {
    ParamStore params{checkpoint_config()};
    ParamStore m{checkpoint_config()};
    ParamStore v{checkpoint_config()};
    Tokenizer tokenizer;

    explicit Fixture(uint64_t seed) {
        init_params(params, seed);
        // Non-zero routing bias, as after some balancing steps.
        float* bias = params.ptr("model.layers.1.mlp.gate.e_score_correction_bias");
        for (int e = 0; e < 4; ++e) bias[e] = 0.01f * (e - 1.5f) + 0.001f * seed;
        fill_random(m, seed + 1);
        fill_random(v, seed + 2);
        for (float& x : v.data()) x = x * x;
    }
    OptimizerStateView view(int64_t step) const { return {&m, &v, step, {{"lr", "0.001"}}}; }
};

}  // namespace

TEST(Checkpoint, RoundTripIsBitIdenticalWithOptimizerAndMetadata) {
    const fs::path dir = tinyseek::testing::fresh_dir("test_checkpoint", "roundtrip") / "ckpt";
    const Fixture fx(5);
    const OptimizerStateView opt = fx.view(42);
    save_checkpoint(dir.string(), fx.params, fx.tokenizer, &opt,
                    {{"step", "42"}, {"run_id", "r7"}});

    for (const char* f : {kConfigFile, kModelFile, kTokenizerFile, kOptimizerFile})
        EXPECT_TRUE(fs::is_regular_file(dir / f)) << f;
    expect_no_leftovers(dir.parent_path(), "ckpt");

    const Checkpoint ck = load_checkpoint(dir.string());
    EXPECT_EQ(ck.config.to_json(), checkpoint_config().to_json());
    EXPECT_TRUE(same_bits(ck.params, fx.params));
    EXPECT_EQ(ck.tokenizer, fx.tokenizer);
    EXPECT_EQ(ck.metadata, (Metadata{{"step", "42"}, {"run_id", "r7"}}));
    ASSERT_TRUE(ck.optimizer.has_value());
    EXPECT_EQ(ck.optimizer->step, 42);
    EXPECT_EQ(ck.optimizer->scalars, (Metadata{{"lr", "0.001"}}));
    // Trainable entries are bit-identical; the routing bias has no moments (zero).
    for (const TensorSpec& t : fx.params.layout().tensors()) {
        const float* m = ck.optimizer->exp_avg.ptr(t.name);
        const float* v = ck.optimizer->exp_avg_sq.ptr(t.name);
        if (t.trainable) {
            EXPECT_EQ(std::memcmp(m, fx.m.ptr(t.name), t.numel * 4), 0) << t.name;
            EXPECT_EQ(std::memcmp(v, fx.v.ptr(t.name), t.numel * 4), 0) << t.name;
        } else {
            for (size_t i = 0; i < t.numel; ++i) EXPECT_EQ(m[i], 0.0f) << t.name;
        }
    }
    // The optimizer file names moments after the tensors, PyTorch style.
    const SafetensorsFile opt_file = SafetensorsFile::read((dir / kOptimizerFile).string());
    EXPECT_NE(opt_file.find("model.layers.0.self_attn.q_a_proj.weight.exp_avg"), nullptr);
    EXPECT_NE(opt_file.find("lm_head.weight.exp_avg_sq"), nullptr);
    EXPECT_EQ(opt_file.find("model.layers.1.mlp.gate.e_score_correction_bias.exp_avg"), nullptr);
    EXPECT_EQ(opt_file.metadata().at("step"), "42");
    // The model file carries the HF "format" key and the bias tensor.
    const SafetensorsFile model_file = SafetensorsFile::read((dir / kModelFile).string());
    EXPECT_EQ(model_file.metadata().at("format"), "pt");
    EXPECT_NE(model_file.find("model.layers.1.mlp.gate.e_score_correction_bias"), nullptr);
}

TEST(Checkpoint, LogitsAfterSaveAndLoadAreBitIdentical) {
    const fs::path dir = tinyseek::testing::fresh_dir("test_checkpoint", "logits") / "ckpt";
    const Fixture fx(9);
    save_checkpoint(dir.string(), fx.params, fx.tokenizer, nullptr);
    const Checkpoint ck = load_checkpoint(dir.string());

    const std::vector<int> tokens = fx.tokenizer.encode("12+34=<think>4+2=6</think>");
    const int T = static_cast<int>(tokens.size());
    Model before(fx.params.config()), after(ck.config);
    before.set_num_shards(1);
    after.set_num_shards(1);
    const Model::Output a = before.forward(fx.params, tokens.data(), 1, T);
    std::vector<float> expected(a.logits, a.logits + size_t(a.rows) * a.vocab);
    const Model::Output b = after.forward(ck.params, tokens.data(), 1, T);
    ASSERT_EQ(b.rows * b.vocab, static_cast<int>(expected.size()));
    EXPECT_EQ(std::memcmp(b.logits, expected.data(), expected.size() * 4), 0);
}

TEST(Checkpoint, OptimizerStateIsOptional) {
    const fs::path dir = tinyseek::testing::fresh_dir("test_checkpoint", "no_opt") / "ckpt";
    const Fixture fx(6);
    save_checkpoint(dir.string(), fx.params, fx.tokenizer, nullptr);
    EXPECT_FALSE(fs::exists(dir / kOptimizerFile));
    const Checkpoint ck = load_checkpoint(dir.string());
    EXPECT_FALSE(ck.optimizer.has_value());
    EXPECT_TRUE(same_bits(ck.params, fx.params));
    EXPECT_TRUE(ck.metadata.empty());

    // With optimizer state present, inference can still skip it.
    const OptimizerStateView opt = fx.view(3);
    save_checkpoint(dir.string(), fx.params, fx.tokenizer, &opt);
    EXPECT_TRUE(load_checkpoint(dir.string()).optimizer.has_value());
    EXPECT_FALSE(load_checkpoint(dir.string(), {.optimizer = false}).optimizer.has_value());
}

TEST(Checkpoint, ReplacingAnExistingCheckpointLeavesOnlyTheNewOne) {
    const fs::path parent = tinyseek::testing::fresh_dir("test_checkpoint", "replace");
    const fs::path dir = parent / "ckpt";
    const Fixture a(1), b(2);
    const OptimizerStateView opt = a.view(1);
    save_checkpoint(dir.string(), a.params, a.tokenizer, &opt);
    save_checkpoint((dir.string() + "/"), b.params, b.tokenizer, nullptr);  // trailing slash
    const Checkpoint ck = load_checkpoint(dir.string());
    EXPECT_TRUE(same_bits(ck.params, b.params));
    EXPECT_FALSE(ck.optimizer.has_value());  // the old optimizer file went with the old dir
    expect_no_leftovers(parent, "ckpt");
}

TEST(Checkpoint, TwoRenameFallbackReplacesAndCleansUp) {
    const fs::path parent = tinyseek::testing::fresh_dir("test_checkpoint", "fallback");
    const fs::path dir = parent / "ckpt";
    const Fixture a(31), b(32);
    CheckpointSaveOptions options;
    options.allow_rename_exchange = false;
    save_checkpoint(dir.string(), a.params, a.tokenizer, nullptr, {}, options);
    save_checkpoint(dir.string(), b.params, b.tokenizer, nullptr, {{"v", "2"}}, options);
    const Checkpoint ck = load_checkpoint(dir.string());
    EXPECT_TRUE(same_bits(ck.params, b.params));
    EXPECT_EQ(ck.metadata.at("v"), "2");
    expect_no_leftovers(parent, "ckpt");
}

TEST(Checkpoint, OldCheckpointSurvivesAFailureAtEveryStage) {
    const fs::path parent = tinyseek::testing::fresh_dir("test_checkpoint", "atomic");
    const fs::path dir = parent / "ckpt";
    const Fixture old_fx(10), new_fx(20);
    const OptimizerStateView old_opt = old_fx.view(100);
    save_checkpoint(dir.string(), old_fx.params, old_fx.tokenizer, &old_opt, {{"step", "100"}});

    const OptimizerStateView new_opt = new_fx.view(200);
    // Fail after each file, and right before the swap ("").
    for (const std::string& stage :
         {std::string(kConfigFile), std::string(kTokenizerFile), std::string(kModelFile),
          std::string(kOptimizerFile), std::string()}) {
        SCOPED_TRACE("failing at '" + stage + "'");
        CheckpointSaveOptions options;
        int calls = 0;
        options.on_progress = [&](std::string_view file) {
            ++calls;
            if (file == stage) throw std::runtime_error("simulated disk failure");
        };
        EXPECT_THROW(save_checkpoint(dir.string(), new_fx.params, new_fx.tokenizer, &new_opt,
                                     {{"step", "200"}}, options),
                     std::runtime_error);
        EXPECT_GE(calls, 1);
        const Checkpoint ck = load_checkpoint(dir.string());
        EXPECT_TRUE(same_bits(ck.params, old_fx.params));
        EXPECT_EQ(ck.metadata.at("step"), "100");
        ASSERT_TRUE(ck.optimizer.has_value());
        EXPECT_EQ(ck.optimizer->step, 100);
        expect_no_leftovers(parent, "ckpt");
    }
    // A save that does not fail replaces it.
    save_checkpoint(dir.string(), new_fx.params, new_fx.tokenizer, &new_opt, {{"step", "200"}});
    EXPECT_TRUE(same_bits(load_checkpoint(dir.string()).params, new_fx.params));
}

TEST(Checkpoint, NeverReplacesADirectoryThatIsNotACheckpoint) {
    const fs::path dir = tinyseek::testing::fresh_dir("test_checkpoint", "not_ckpt") / "photos";
    fs::create_directories(dir);
    std::ofstream(dir / "holiday.jpg") << "precious";
    const Fixture fx(3);
    try {
        save_checkpoint(dir.string(), fx.params, fx.tokenizer, nullptr);
        FAIL();
    } catch (const CheckpointError& e) {
        EXPECT_NE(std::string(e.what()).find("refusing to replace"), std::string::npos);
    }
    EXPECT_TRUE(fs::exists(dir / "holiday.jpg"));
    expect_no_leftovers(dir.parent_path(), "photos");
    // A regular file in the way is refused too; an empty directory is fine.
    std::ofstream(dir.parent_path() / "file") << "x";
    EXPECT_THROW(
        save_checkpoint((dir.parent_path() / "file").string(), fx.params, fx.tokenizer, nullptr),
        CheckpointError);
    fs::create_directories(dir.parent_path() / "empty");
    save_checkpoint((dir.parent_path() / "empty").string(), fx.params, fx.tokenizer, nullptr);
    EXPECT_TRUE(is_checkpoint_dir((dir.parent_path() / "empty").string()));
}

TEST(Checkpoint, InvalidInputsAreRefusedBeforeWriting) {
    const fs::path parent = tinyseek::testing::fresh_dir("test_checkpoint", "invalid");
    const Fixture fx(4);
    ParamStore other(ModelConfig::preset("tiny"));
    const OptimizerStateView bad_opt{&other, &fx.v, 1, {}};
    EXPECT_THROW(save_checkpoint((parent / "a").string(), fx.params, fx.tokenizer, &bad_opt),
                 CheckpointError);
    const OptimizerStateView reserved{&fx.m, &fx.v, 1, {{"step", "9"}}};
    EXPECT_THROW(save_checkpoint((parent / "b").string(), fx.params, fx.tokenizer, &reserved),
                 CheckpointError);
    EXPECT_THROW(save_checkpoint((parent / "c").string(), fx.params, fx.tokenizer, nullptr,
                                 {{"format", "tf"}}),
                 CheckpointError);
    ModelConfig small_vocab = checkpoint_config();
    small_vocab.vocab_size = 32;  // the default tokenizer has 64 ids
    ParamStore p(small_vocab);
    EXPECT_THROW(save_checkpoint((parent / "d").string(), p, fx.tokenizer, nullptr), ConfigError);
    EXPECT_TRUE(fs::is_empty(parent));
}

TEST(Checkpoint, LoadErrorsNameTheMissingOrBrokenPart) {
    const fs::path parent = tinyseek::testing::fresh_dir("test_checkpoint", "load_errors");
    const Fixture fx(8);
    const OptimizerStateView opt = fx.view(5);
    auto fresh = [&](const std::string& name) {
        const fs::path d = parent / name;
        save_checkpoint(d.string(), fx.params, fx.tokenizer, &opt);
        return d;
    };
    auto expect_error = [](const fs::path& d, const std::string& part) {
        try {
            load_checkpoint(d.string());
            ADD_FAILURE() << d << " loaded";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
        }
    };
    expect_error(parent / "absent", "not a checkpoint directory");
    {
        const fs::path d = fresh("no_tokenizer");
        fs::remove(d / kTokenizerFile);
        expect_error(d, "missing tokenizer.json");
    }
    {
        const fs::path d = fresh("truncated_model");
        fs::resize_file(d / kModelFile, fs::file_size(d / kModelFile) - 3);
        expect_error(d, "model.safetensors");
    }
    {
        const fs::path d = fresh("truncated_optimizer");
        fs::resize_file(d / kOptimizerFile, 100);
        expect_error(d, "optimizer.safetensors");
        // Inference does not read it.
        EXPECT_NO_THROW(load_checkpoint(d.string(), {.optimizer = false}));
    }
    {
        const fs::path d = fresh("config_mismatch");
        ModelConfig c = checkpoint_config();
        c.moe_intermediate_size = 16;  // expert shapes differ from the saved tensors
        c.save((d / kConfigFile).string());
        expect_error(d,
                     "model.layers.1.mlp.experts.0.gate_proj.weight' has shape [8,16], "
                     "expected [16,16]");
    }
    {
        // A config describing far more tensors than the file holds is refused before any
        // layout is built or memory allocated.
        const fs::path d = fresh("config_huge");
        ModelConfig c = ModelConfig::preset("deepseek-v3");
        c.vocab_size = 64;
        c.save((d / kConfigFile).string());
        expect_error(d, "far fewer than config.json describes");
    }
    {
        const fs::path d = fresh("bad_config");
        std::ofstream(d / kConfigFile) << R"({"kv_lora_rank": 0})";
        expect_error(d, "'kv_lora_rank'");
    }
    {
        const fs::path d = fresh("bad_step");
        ParamStore m = fx.m;
        std::vector<TensorRef> refs;
        for (const TensorSpec& t : m.layout().tensors())
            if (t.trainable) {
                refs.push_back({t.name + ".exp_avg", t.shape, m.ptr(t.name)});
                refs.push_back({t.name + ".exp_avg_sq", t.shape, m.ptr(t.name)});
            }
        write_safetensors((d / kOptimizerFile).string(), refs, {{"step", "-3"}});
        expect_error(d, "'step' must be a non-negative integer");
    }
}
