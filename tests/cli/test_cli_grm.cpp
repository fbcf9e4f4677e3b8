// The reward-model lab commands run as the real binary on a very small judge: `grm train`
// writes the models and a run, `grm scale --json` prints the whole table and stores it, and
// bad usage or a wrong directory fails with a message and a non-zero exit code.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli_harness.h"

namespace {

using namespace cli_test;

// A lab config with a very small judge and a step or two per stage.
void write_small_config(const fs::path& path) {
    const nlohmann::json j = {
        {"model",
         {{"hidden_size", 32},
          {"num_hidden_layers", 2},
          {"intermediate_size", 64},
          {"q_lora_rank", 16},
          {"kv_lora_rank", 16},
          {"qk_nope_head_dim", 8},
          {"qk_rope_head_dim", 8},
          {"v_head_dim", 8},
          {"moe_intermediate_size", 32},
          {"n_routed_experts", 4},
          {"num_attention_heads", 4},
          {"num_experts_per_tok", 2},
          {"first_k_dense_replace", 1},
          {"vocab_size", 64},
          {"max_position_embeddings", 192},
          {"num_nextn_predict_layers", 1}}},
        {"max_new_tokens", 32},
        {"val_items", 3},
        {"eval_every", 0},
        {"cold_start", {{"steps", 2}, {"batch_size", 4}, {"warmup_steps", 1}}},
        {"rft", {{"items", 2}, {"samples", 2}, {"min_kept", 0}, {"steps", 1}, {"batch_size", 4}}},
        {"rl", {{"steps", 1}, {"prompts_per_step", 2}, {"group_size", 2}}},
        {"meta_rm", {{"items", 10}, {"samples", 1}, {"steps", 1}, {"batch_size", 4}}},
        {"scalar_rm", {{"steps", 1}, {"batch_size", 4}}}};
    std::ofstream(path) << j.dump(2);
}

// grm experiment: two lab seeds of the small config, each its own run and folder, one stored
// scaling run with rows for both; the text names every seed's outcome.
TEST(CliGrm, ExperimentTrainsEachLabSeedAndStoresOneRun) {
    const fs::path dir = scratch("experiment");
    const std::string db = (dir / "runs.db").string();
    write_small_config(dir / "lab.json");
    const std::vector<std::string> args = {"grm",         "experiment",
                                           "--db",        db,
                                           "--config",    (dir / "lab.json").string(),
                                           "--lab-seeds", "2",
                                           "--seed",      "4",
                                           "--k",         "1,2",
                                           "--n",         "3",
                                           "--out",       (dir / "exp").string()};
    std::vector<std::string> json_args = args;
    json_args.push_back("--json");
    const Result run = tinyseek(json_args, "experiment");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const nlohmann::json j = nlohmann::json::parse(run.out);
    ASSERT_EQ(j["labs"].size(), 2u);
    EXPECT_EQ(j["dirs"][1], (dir / "exp" / "seed-5").string());
    std::set<int> seeds;
    for (const auto& row : j["rows"]) seeds.insert(row["seed"].get<int>());
    EXPECT_EQ(seeds, (std::set<int>{0, 1}));
    EXPECT_GT(j["run_id"].get<int>(), j["labs"][1]["run_id"].get<int>());

    std::vector<std::string> again = args;
    again[again.size() - 1] = (dir / "exp2").string();
    const Result text = tinyseek(again, "experiment_text");
    ASSERT_EQ(text.exit_code, 0) << text.err;
    for (const char* part : {"seed 4", "seed 5", "holds on:", "chance", "2 lab seeds"})
        EXPECT_NE(text.out.find(part), std::string::npos) << part << "\n" << text.out;
}

TEST(CliGrm, TrainThenScaleStoresTheTable) {
    const fs::path dir = scratch("train_scale");
    const std::string db = (dir / "runs.db").string();
    const std::string out = (dir / "lab").string();
    write_small_config(dir / "lab.json");
    const Result train = tinyseek({"grm", "train", "--db", db, "--out", out, "--config",
                                   (dir / "lab.json").string(), "--seed", "3", "--json"},
                                  "train");
    ASSERT_EQ(train.exit_code, 0) << train.err;
    const nlohmann::json summary = nlohmann::json::parse(train.out);
    EXPECT_GT(summary["run_id"].get<int>(), 0);
    EXPECT_EQ(summary["out"], out);
    EXPECT_EQ(summary["rft_sampled"], 4);  // one round (min_kept 0) of 2 items x 2 samples
    EXPECT_EQ(summary["rft_rounds"], 1);
    for (const char* key : {"rft_judge_kept", "rl_judge_kept", "val_accuracy_final", "rft_steps"})
        EXPECT_TRUE(summary.contains(key)) << key;
    for (const char* sub : {"grm.json", "judge/model.safetensors",
                            "meta_rm/scalar_head.safetensors", "scalar_rm/scalar_head.safetensors"})
        EXPECT_TRUE(fs::exists(fs::path(out) / sub)) << sub;

    const Result scale = tinyseek(
        {"grm", "scale", "--model", out, "--k", "1,2", "--n", "4", "--db", db, "--json"}, "scale");
    ASSERT_EQ(scale.exit_code, 0) << scale.err;
    const nlohmann::json table = nlohmann::json::parse(scale.out);
    EXPECT_EQ(table["n_items"], 4);
    EXPECT_GT(table["run_id"].get<int>(), summary["run_id"].get<int>());
    std::set<std::pair<std::string, int>> cells;
    for (const auto& row : table["rows"]) {
        cells.insert({row["method"].get<std::string>(), row["k"].get<int>()});
        EXPECT_GE(row["accuracy"].get<double>(), 0.0);
        EXPECT_LE(row["accuracy"].get<double>(), 1.0);
    }
    const std::set<std::pair<std::string, int>> expected = {
        {"chance", 1},  {"greedy", 1},  {"voting", 1},  {"voting", 2},   {"meta_rm", 1},
        {"meta_rm", 2}, {"ceiling", 1}, {"ceiling", 2}, {"scalar_rm", 1}};
    EXPECT_EQ(cells, expected);

    // The human-readable table names every method.
    const Result text =
        tinyseek({"grm", "scale", "--model", out, "--k", "1,2", "--n", "3"}, "text");
    ASSERT_EQ(text.exit_code, 0) << text.err;
    for (const char* word : {"greedy", "voting", "meta_rm", "ceiling", "scalar_rm", "3 held-out"})
        EXPECT_NE(text.out.find(word), std::string::npos) << word << "\n" << text.out;
}

TEST(CliGrm, InitRunStartsTheJudgeFromARunsLatestCheckpoint) {
    const fs::path dir = scratch("init_run");
    const std::string db = (dir / "runs.db").string();
    write_small_config(dir / "lab.json");
    const std::string config = (dir / "lab.json").string();
    const Result first = tinyseek({"grm", "train", "--db", db, "--out", (dir / "first").string(),
                                   "--config", config, "--json"},
                                  "first");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const std::string run = std::to_string(nlohmann::json::parse(first.out)["run_id"].get<int>());

    // The first lab's final judge is its run's latest checkpoint (same model config).
    const fs::path second = dir / "second";
    const Result init = tinyseek({"grm", "train", "--db", db, "--out", second.string(), "--config",
                                  config, "--init-run", run, "--json"},
                                 "second");
    ASSERT_EQ(init.exit_code, 0) << init.err;
    std::ifstream manifest(second / "grm.json");
    const nlohmann::json j = nlohmann::json::parse(manifest);
    EXPECT_EQ(fs::path(j["config"]["init_checkpoint"].get<std::string>()),
              fs::path(dir / "first" / "judge"));

    const Result unknown = tinyseek({"grm", "train", "--db", db, "--out", (dir / "x").string(),
                                     "--config", config, "--init-run", "99"},
                                    "unknown");
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.err.find("no checkpoint"), std::string::npos) << unknown.err;

    const Result both = tinyseek({"grm", "train", "--db", db, "--init",
                                  (dir / "first" / "judge").string(), "--init-run", run},
                                 "both");
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_NE(both.err.find("not both"), std::string::npos) << both.err;
}

TEST(CliGrm, UsageAndInputErrors) {
    const Result no_model = tinyseek({"grm", "scale"}, "no_model");
    EXPECT_EQ(no_model.exit_code, 2);
    EXPECT_NE(no_model.err.find("--model"), std::string::npos) << no_model.err;

    const fs::path dir = scratch("errors");
    const Result missing = tinyseek({"grm", "scale", "--model", dir.string()}, "missing");
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("grm.json"), std::string::npos) << missing.err;

    const Result bad_k = tinyseek({"grm", "scale", "--model", dir.string(), "--k", "4,2"}, "bad_k");
    EXPECT_EQ(bad_k.exit_code, 2);

    const Result no_db = tinyseek({"grm", "train"}, "no_db");
    EXPECT_EQ(no_db.exit_code, 2);
    EXPECT_NE(no_db.err.find("--db"), std::string::npos);

    std::ofstream(dir / "bad.json") << R"({"rl": {"beta": -1}})";
    const Result bad_config = tinyseek(
        {"grm", "train", "--db", (dir / "x.db").string(), "--config", (dir / "bad.json").string()},
        "bad_config");
    EXPECT_EQ(bad_config.exit_code, 1);
    EXPECT_NE(bad_config.err.find("rl.beta"), std::string::npos) << bad_config.err;
}

}  // namespace
