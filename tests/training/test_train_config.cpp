// TrainConfig: JSON round trip of every field, defaults for absent keys, model overrides on
// top of the preset, and errors that name the field, the value and what was expected.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/errors.h"
#include "training/task.h"
#include "training/train_config.h"

namespace tinyseek {
namespace {

// The message of the ConfigError `f` throws ("" when it throws nothing).
template <typename F>
std::string config_error(F&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

TrainConfig changed_config() {
    TrainConfig c;
    c.name = "my run";
    c.task = "multiplication";
    c.task_options.a_digits = 3;
    c.reward.format_weight = 0.25;
    c.model.hidden_size = 64;
    c.model.moe_intermediate_size = 32;
    c.pipeline = {Stage::grpo};
    c.sft.steps = 7;
    c.sft.batch_size = 3;
    c.sft.lr = 1.5e-3f;
    c.sft.min_lr = 1e-4f;
    c.sft.warmup_steps = 2;
    c.sft.cold_start_pool = 256;
    c.grpo.steps = 9;
    c.grpo.prompts_per_step = 4;
    c.grpo.group_size = 16;
    c.grpo.lr = 3e-5f;
    c.grpo.warmup_steps = 0;
    c.grpo.beta = 0.0f;
    c.grpo.epsilon = 0.1f;
    c.grpo.epsilon_high = 0.28f;
    c.grpo.temperature = 0.7f;
    c.grpo.max_new_tokens = 40;
    c.grpo.scale_rewards = false;
    c.grpo.averaging = LossAveraging::sequence;
    c.grpo.mu = 2;
    c.grpo.kl_bound = 0.5f;
    c.grpo.speculative_rollouts = true;
    c.eval.n = 50;
    c.eval.seed = 12345678901234ULL;
    c.eval.every_sft = 3;
    c.eval.every_grpo = 0;
    c.eval.sampled = false;
    c.eval.bucket_min = 7;
    c.eval.split = Split::train;
    c.control = "sft";
    c.seed = 18446744073709551615ULL;  // the largest seed survives JSON
    c.threads = 2;
    c.checkpoint_every = 5;
    c.checkpoint_every_seconds = 30;
    c.checkpoint_keep = 0;
    c.out_dir = "/tmp/somewhere";
    return c;
}

TEST(TrainConfig, DefaultsAreTheTinyPresetAndValid) {
    const TrainConfig c;
    EXPECT_EQ(c.model.to_json(), ModelConfig::preset("tiny").to_json());
    // Periodic checkpoints by default: every 200 steps or 2 minutes of training, 3 kept.
    EXPECT_EQ(c.checkpoint_every, 200);
    EXPECT_EQ(c.checkpoint_every_seconds, 120);
    EXPECT_EQ(c.checkpoint_keep, 3);
    EXPECT_NO_THROW(c.validate());
    EXPECT_EQ(c.display_name(), "addition sft+grpo");
    TrainConfig named;
    named.name = "x";
    EXPECT_EQ(named.display_name(), "x");
}

TEST(TrainConfig, JsonRoundTripKeepsEveryField) {
    const TrainConfig c = changed_config();
    EXPECT_NO_THROW(c.validate());
    const nlohmann::json j = c.to_json();
    // Through text, as it is stored in runs.config.
    const TrainConfig back = TrainConfig::from_json(nlohmann::json::parse(j.dump()));
    EXPECT_EQ(back.to_json(), j);
    EXPECT_EQ(back.name, "my run");
    EXPECT_EQ(back.task, "multiplication");
    EXPECT_EQ(back.task_options.a_digits, 3);
    EXPECT_EQ(back.reward.format_weight, 0.25);
    EXPECT_EQ(back.model.hidden_size, 64);
    ASSERT_EQ(back.pipeline.size(), 1u);
    EXPECT_EQ(back.pipeline[0], Stage::grpo);
    EXPECT_EQ(back.sft.lr, 1.5e-3f);  // floats round-trip bit-exactly
    EXPECT_EQ(back.sft.cold_start_pool, 256);
    EXPECT_EQ(back.grpo.epsilon_high, 0.28f);
    EXPECT_EQ(back.grpo.averaging, LossAveraging::sequence);
    EXPECT_FALSE(back.grpo.scale_rewards);
    EXPECT_EQ(back.grpo.mu, 2);
    EXPECT_EQ(back.eval.seed, 12345678901234ULL);
    EXPECT_FALSE(back.eval.sampled);
    EXPECT_EQ(back.eval.bucket_min, 7);
    // The default is left out, so configs written before buckets existed read back the same.
    EXPECT_FALSE(TrainConfig{}.to_json()["eval"].contains("bucket_min"));
    EXPECT_EQ(back.eval.split, Split::train);
    EXPECT_EQ(c.to_json()["eval"]["split"], "train");
    EXPECT_FALSE(TrainConfig{}.to_json()["eval"].contains("split"));
    EXPECT_EQ(back.control, "sft");
    EXPECT_EQ(back.seed, 18446744073709551615ULL);
    EXPECT_EQ(back.threads, 2);
    EXPECT_EQ(back.checkpoint_every, 5);
    EXPECT_EQ(back.checkpoint_every_seconds, 30);
    EXPECT_EQ(back.checkpoint_keep, 0);
    EXPECT_EQ(back.out_dir, "/tmp/somewhere");
}

TEST(TrainConfig, AbsentKeysKeepDefaultsAndModelKeysOverrideThePreset) {
    const TrainConfig c = TrainConfig::from_json(
        nlohmann::json::parse(R"({"sft": {"steps": 5}, "model": {"hidden_size": 64}})"));
    const TrainConfig d;
    EXPECT_EQ(c.sft.steps, 5);
    EXPECT_EQ(c.sft.batch_size, d.sft.batch_size);
    EXPECT_EQ(c.grpo.lr, d.grpo.lr);
    EXPECT_EQ(c.eval.n, d.eval.n);
    EXPECT_EQ(c.model.hidden_size, 64);
    EXPECT_EQ(c.model.num_hidden_layers, d.model.num_hidden_layers);
    EXPECT_EQ(c.model.n_routed_experts, d.model.n_routed_experts);
    ASSERT_EQ(c.pipeline.size(), 2u);
    EXPECT_EQ(TrainConfig::from_json(nlohmann::json::object()).to_json(), d.to_json());
}

// A run stored before the MTP contract was recorded: its "model" is a whole config with
// tinyseek_name and no mtp_hidden_input. It resumes with the contract it trained with (the
// checkpoint's config.json reads the same way, so the resume's config check agrees), while a
// partial "model" patch gets today's default.
TEST(TrainConfig, AStoredRunKeepsItsMtpContract) {
    nlohmann::json stored = TrainConfig().to_json();
    stored["model"].erase("mtp_hidden_input");
    const TrainConfig old = TrainConfig::from_json(stored, "run 1 config");
    EXPECT_EQ(old.model.mtp_hidden_input, MtpHiddenInput::pre_norm);
    EXPECT_EQ(old.model.to_json(), ModelConfig::from_json(stored["model"]).to_json());
    const TrainConfig patched =
        TrainConfig::from_json(nlohmann::json::parse(R"({"model": {"hidden_size": 64}})"));
    EXPECT_EQ(patched.model.mtp_hidden_input, MtpHiddenInput::final_norm);
    const TrainConfig seq = TrainConfig::from_json(
        nlohmann::json::parse(R"({"model": {"balance_mode": "aux_free_seq"}})"));
    EXPECT_EQ(seq.model.balance_mode, BalanceMode::aux_free_seq);
}

TEST(TrainConfig, LossAveragingNames) {
    EXPECT_STREQ(to_string(LossAveraging::token), "token");
    EXPECT_STREQ(to_string(LossAveraging::sequence), "sequence");
    EXPECT_EQ(parse_loss_averaging("sequence"), LossAveraging::sequence);
    EXPECT_EQ(parse_loss_averaging("token"), LossAveraging::token);
    EXPECT_THROW(parse_loss_averaging("tokens"), ConfigError);
}

// A new run writes aligned addition traces and draws three quarters of its problems by length; a
// task_options object without those keys (every config stored before they were defaults,
// e.g. the pinned addition-sft2000) reads back with both off, and the defaults round-trip.
TEST(TrainConfig, NewRunsAlignTracesButOlderConfigsReadBackUnchanged) {
    const TrainConfig c;
    EXPECT_TRUE(c.task_options.aligned_trace);
    EXPECT_EQ(c.task_options.uniform_lengths, 0.75);
    EXPECT_EQ(c.sft.steps, 1100);
    EXPECT_EQ(c.sft.batch_size, 32);
    EXPECT_EQ(c.grpo.steps, 60);
    EXPECT_EQ(c.grpo.lr, 3e-5f);
    const TrainConfig back = TrainConfig::from_json(c.to_json());
    EXPECT_TRUE(back.task_options.aligned_trace);
    EXPECT_EQ(back.task_options.uniform_lengths, 0.75);
    const TrainConfig old = TrainConfig::from_json(
        nlohmann::json::parse(R"({"task_options": {"digits": 3}, "sft": {"steps": 2000}})"));
    EXPECT_FALSE(old.task_options.aligned_trace);
    EXPECT_EQ(old.task_options.uniform_lengths, 0.0);
    // Without a task_options object the defaults stay.
    EXPECT_TRUE(TrainConfig::from_json(nlohmann::json::object()).task_options.aligned_trace);
}

// The batch-size ramp round-trips; an sft object stored without its keys (every config from
// before it) reads back without a ramp; out-of-range values are refused.
TEST(TrainConfig, BatchRampRoundTripsAndOlderSftObjectsHaveNone) {
    TrainConfig c;
    c.sft.batch_start_share = 0.375f;
    c.sft.batch_ramp_share = 0.25f;
    const TrainConfig back = TrainConfig::from_json(c.to_json());
    EXPECT_EQ(back.sft.batch_start_share, 0.375f);
    EXPECT_EQ(back.sft.batch_ramp_share, 0.25f);
    nlohmann::json old = c.to_json();
    old["sft"].erase("batch_start_share");
    old["sft"].erase("batch_ramp_share");
    const TrainConfig before_ramp = TrainConfig::from_json(old);
    EXPECT_EQ(before_ramp.sft.batch_start_share, 1.0f);
    EXPECT_EQ(before_ramp.sft.batch_ramp_share, 0.0f);
    nlohmann::json none = c.to_json();
    none["sft"]["batch_start_share"] = 0;
    EXPECT_THROW(TrainConfig::from_json(none).validate(), ConfigError);
    nlohmann::json too_long = c.to_json();
    too_long["sft"]["batch_ramp_share"] = 1.5;
    EXPECT_THROW(TrainConfig::from_json(too_long).validate(), ConfigError);
}

TEST(TrainConfig, EvaluationSplitNames) {
    EXPECT_EQ(parse_split("train", "x"), Split::train);
    EXPECT_EQ(parse_split("held_out", "x"), Split::held_out);
    const std::string m = config_error([] {
        TrainConfig::from_json(nlohmann::json::parse(R"({"eval": {"split": "test"}})"), "run.json");
    });
    EXPECT_NE(m.find("run.json"), std::string::npos) << m;
    EXPECT_NE(m.find("'eval.split'"), std::string::npos) << m;
    EXPECT_NE(m.find("\"test\""), std::string::npos) << m;
}

TEST(TrainConfig, ReadErrorsNameSourceKeyAndValue) {
    auto read = [](const char* text) {
        return config_error(
            [&] { TrainConfig::from_json(nlohmann::json::parse(text), "run.json"); });
    };
    std::string m = read(R"({"learning_rate": 1})");
    EXPECT_NE(m.find("run.json"), std::string::npos) << m;
    EXPECT_NE(m.find("unknown field 'learning_rate'"), std::string::npos) << m;
    m = read(R"({"sft": {"lr": "fast"}})");
    EXPECT_NE(m.find("'sft.lr'"), std::string::npos) << m;
    EXPECT_NE(m.find("\"fast\""), std::string::npos) << m;
    EXPECT_NE(m.find("a number"), std::string::npos) << m;
    m = read(R"({"grpo": {"group_size": 2.5}})");
    EXPECT_NE(m.find("'grpo.group_size'"), std::string::npos) << m;
    EXPECT_NE(m.find("an integer"), std::string::npos) << m;
    m = read(R"({"grpo": {"averaging": "word"}})");
    EXPECT_NE(m.find("'grpo.averaging'"), std::string::npos) << m;
    m = read(R"({"eval": {"sampled": 1}})");
    EXPECT_NE(m.find("'eval.sampled'"), std::string::npos) << m;
    m = read(R"({"eval": {"nn": 1}})");
    EXPECT_NE(m.find("unknown field 'eval.nn'"), std::string::npos) << m;
    m = read(R"({"pipeline": ["sft", "rl"]})");
    EXPECT_NE(m.find("'pipeline'"), std::string::npos) << m;
    m = read(R"({"seed": -1})");
    EXPECT_NE(m.find("'seed'"), std::string::npos) << m;
    m = read(R"({"checkpoint_every_seconds": 1.5})");
    EXPECT_NE(m.find("'checkpoint_every_seconds'"), std::string::npos) << m;
    EXPECT_NE(m.find("an integer"), std::string::npos) << m;
    m = read(R"({"model_preset": "huge"})");
    EXPECT_NE(m.find("'model_preset'"), std::string::npos) << m;
    m = read(R"({"model": {"hidden_size": -3}})");
    EXPECT_NE(m.find("hidden_size"), std::string::npos) << m;
    m = read(R"([1, 2])");
    EXPECT_NE(m.find("JSON object"), std::string::npos) << m;
    m = read(R"({"task_options": {"digits": 40}})");
    EXPECT_NE(m.find("digits"), std::string::npos) << m;
}

TEST(TrainConfig, ValidateRefusesOutOfRangeValuesWithoutClamping) {
    struct Case {
        const char* field;
        void (*change)(TrainConfig&);
        const char* value;
    };
    const Case cases[] = {
        {"'task'", [](TrainConfig& c) { c.task = "poetry"; }, "\"poetry\""},
        {"'sft.steps'", [](TrainConfig& c) { c.sft.steps = 0; }, "is 0"},
        {"'sft.batch_size'", [](TrainConfig& c) { c.sft.batch_size = 0; }, "is 0"},
        {"'sft.lr'", [](TrainConfig& c) { c.sft.lr = -1e-3f; }, "is -0.001"},
        {"'sft.min_lr'", [](TrainConfig& c) { c.sft.min_lr = 1.0f; }, "is 1"},
        {"'sft.cold_start_pool'", [](TrainConfig& c) { c.sft.cold_start_pool = -2; }, "is -2"},
        {"'grpo.group_size'", [](TrainConfig& c) { c.grpo.group_size = 1; }, "is 1"},
        {"'eval.bucket_min'", [](TrainConfig& c) { c.eval.bucket_min = -1; }, "is -1"},
        {"'grpo.temperature'", [](TrainConfig& c) { c.grpo.temperature = 0.0f; }, "is 0"},
        {"'grpo.beta'", [](TrainConfig& c) { c.grpo.beta = -0.1f; }, "is -0.1"},
        {"'grpo.mu'", [](TrainConfig& c) { c.grpo.mu = 0; }, "is 0"},
        {"'grpo.max_new_tokens'", [](TrainConfig& c) { c.grpo.max_new_tokens = 400; }, "is 400"},
        {"'grpo.epsilon'", [](TrainConfig& c) { c.grpo.epsilon = 0.0f; }, "is 0"},
        {"'eval.n'", [](TrainConfig& c) { c.eval.n = -1; }, "is -1"},
        {"'control'", [](TrainConfig& c) { c.control = "grpo"; }, "\"grpo\""},
        {"'control'",
         [](TrainConfig& c) {
             c.control = "sft";
             c.pipeline = {Stage::sft};
         },
         "pipeline"},
        {"'pipeline'", [](TrainConfig& c) { c.pipeline.clear(); }, "[]"},
        {"'pipeline'",
         [](TrainConfig& c) {
             c.pipeline = {Stage::sft, Stage::sft};
         },
         "sft,sft"},
        {"'threads'", [](TrainConfig& c) { c.threads = -1; }, "is -1"},
        {"'checkpoint_every'", [](TrainConfig& c) { c.checkpoint_every = -1; }, "is -1"},
        {"'checkpoint_every_seconds'", [](TrainConfig& c) { c.checkpoint_every_seconds = -60; },
         "is -60"},
        {"'checkpoint_keep'", [](TrainConfig& c) { c.checkpoint_keep = -2; }, "is -2"},
        {"'grpo.speculative_rollouts'",
         [](TrainConfig& c) {
             c.grpo.speculative_rollouts = true;
             c.model.num_nextn_predict_layers = 0;
         },
         "num_nextn_predict_layers = 0"},
        {"'model_preset'", [](TrainConfig& c) { c.model_preset = "big"; }, "\"big\""},
        {"'model'", [](TrainConfig& c) { c.model = ModelConfig::preset("deepseek-v3"); },
         "parameters"},
    };
    for (const Case& k : cases) {
        TrainConfig c;
        k.change(c);
        const TrainConfig before = c;
        const std::string m = config_error([&] { c.validate(); });
        EXPECT_NE(m.find(k.field), std::string::npos) << k.field << ": " << m;
        EXPECT_NE(m.find(k.value), std::string::npos) << k.field << ": " << m;
        EXPECT_NE(m.find("expected"), std::string::npos) << k.field << ": " << m;
        EXPECT_EQ(c.to_json(), before.to_json()) << "validate must not change " << k.field;
    }
    // Steps of a stage that is not in the pipeline may be 0.
    TrainConfig only_grpo;
    only_grpo.pipeline = {Stage::grpo};
    only_grpo.sft.steps = 0;
    EXPECT_NO_THROW(only_grpo.validate());
}

}  // namespace
// The experiment configs the README quotes must load, validate and find their held-out set
// (a 2x2-digit multiplication split once held fewer problems than eval.n asked for, which
// only failed when the run started).
TEST(TrainConfig, ShippedExperimentConfigsAreRunnable) {
    const std::filesystem::path dir =
        std::filesystem::path(TINYSEEK_SOURCE_DIR) / "assets" / "experiments";
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        ++count;
        SCOPED_TRACE(entry.path().string());
        std::ifstream in(entry.path());
        const TrainConfig c =
            TrainConfig::from_json(nlohmann::json::parse(in), entry.path().string());
        EXPECT_NO_THROW(c.validate());
        const auto task = make_task(c.task, c.task_options);
        EXPECT_EQ(held_out_set(*task, static_cast<std::size_t>(c.eval.n), c.eval.seed).size(),
                  static_cast<std::size_t>(c.eval.n));
    }
    EXPECT_GE(count, 3);
}

// They are fully pinned: every key of the resolved config (the model's balance mode and MTP
// contract included) is in the file, so a changed default cannot move a README figure.
TEST(TrainConfig, ShippedExperimentConfigsPinEveryKey) {
    const std::filesystem::path dir =
        std::filesystem::path(TINYSEEK_SOURCE_DIR) / "assets" / "experiments";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        SCOPED_TRACE(entry.path().string());
        std::ifstream in(entry.path());
        const nlohmann::json file = nlohmann::json::parse(in);
        EXPECT_EQ(TrainConfig::from_json(file, entry.path().string()).to_json(), file);
        EXPECT_TRUE(file["model"].contains("balance_mode"));
        EXPECT_TRUE(file["model"].contains("mtp_hidden_input"));
    }
}

}  // namespace tinyseek
