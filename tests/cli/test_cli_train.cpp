// The training commands as the real binary: `train` on a shrunken model (summary, JSON, flags
// over --config), `runs list --json`, `export --formats csv` (files, headers, row counts),
// `eval`, Ctrl-C (exit 130, run stopped), a kill -9 mid-run followed by `train --resume` (from
// a checkpoint, or from step 0 before the first one, ending byte-identical to an uninterrupted
// run), and bad input (malformed config, unknown task, locked database, --resume with config
// flags, a negative checkpoint interval).
#include <gtest/gtest.h>

#include <signal.h>
#include <sqlite3.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli_harness.h"

namespace {

using namespace cli_test;

// A model of a few thousand parameters on 2-digit addition: 4 SFT + 2 GRPO steps take well
// under a second.
nlohmann::json tiny_config() {
    return nlohmann::json::parse(R"({
        "task_options": {"digits": 2},
        "model": {"hidden_size": 32, "num_hidden_layers": 2, "intermediate_size": 48,
                  "num_attention_heads": 2, "num_key_value_heads": 2, "q_lora_rank": 16,
                  "kv_lora_rank": 8, "qk_nope_head_dim": 8, "qk_rope_head_dim": 8,
                  "v_head_dim": 8, "n_routed_experts": 4, "num_experts_per_tok": 2,
                  "moe_intermediate_size": 16, "max_position_embeddings": 96},
        "sft": {"steps": 4, "batch_size": 4, "warmup_steps": 1},
        "grpo": {"steps": 2, "prompts_per_step": 2, "group_size": 3, "max_new_tokens": 24,
                 "warmup_steps": 1},
        "eval": {"n": 6, "every_sft": 2, "every_grpo": 1},
        "threads": 2
    })");
}

fs::path write_config(const fs::path& dir, const nlohmann::json& j) {
    const fs::path path = dir / "config.json";
    std::ofstream(path) << j.dump(2);
    return path;
}

nlohmann::json runs_json(const fs::path& db, const std::string& tag) {
    const Result r = tinyseek({"runs", "list", "--db", db.string(), "--json"}, tag);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::array();
}

// Steps stored of the database's first run, 0 while there is none (the file may not hold a
// run store yet while the trainer creates it).
int steps_stored(const fs::path& db, const std::string& tag) {
    if (!fs::exists(db)) return 0;
    const Result r = tinyseek({"runs", "list", "--db", db.string(), "--json"}, tag);
    if (r.exit_code != 0) return 0;
    const nlohmann::json runs = nlohmann::json::parse(r.out);
    return runs.empty() ? 0 : runs[0]["steps"].get<int>();
}

// Polls a training child's database until its run has stored `n` steps (about 10 s at most);
// returns the steps seen.
int wait_for_steps(const fs::path& db, int n, const std::string& tag) {
    int stored = 0;
    for (int i = 0; i < 500 && stored < n; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        stored = steps_stored(db, tag);
    }
    return stored;
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

// One trained tiny run shared by the tests that only read it.
struct TrainedRun {
    fs::path dir, db;
    Result result;
    nlohmann::json summary;
};

const TrainedRun& trained_run() {
    static const TrainedRun run = [] {
        TrainedRun t;
        t.dir = scratch("trained");
        t.db = t.dir / "runs.db";
        const fs::path config = write_config(t.dir, tiny_config());
        t.result = tinyseek({"train", "--db", t.db.string(), "--config", config.string(), "--json"},
                            "trained");
        if (t.result.exit_code == 0) t.summary = nlohmann::json::parse(t.result.out);
        return t;
    }();
    return run;
}

}  // namespace

TEST(CliTrain, TinyRunCompletesWithAJsonSummary) {
    const TrainedRun& t = trained_run();
    ASSERT_EQ(t.result.exit_code, 0) << t.result.err;
    const nlohmann::json& s = t.summary;
    EXPECT_EQ(s["status"], "completed");
    EXPECT_EQ(s["run_id"], 1);
    EXPECT_EQ(s["steps"], 6);
    EXPECT_EQ(s["total_steps"], 6);
    EXPECT_EQ(s["name"], "addition sft+grpo");
    ASSERT_TRUE(s["eval"].is_object());
    EXPECT_GE(s["eval"]["final"].get<double>(), 0.0);
    EXPECT_LE(s["eval"]["best"].get<double>(), 1.0);
    EXPECT_GE(s["eval"]["best"].get<double>(), s["eval"]["final"].get<double>());
    EXPECT_EQ(s["eval"]["final_step"], 6);
    EXPECT_EQ(s["eval"]["n"], 6);
    EXPECT_GT(s["training_seconds"].get<double>(), 0.0);
    EXPECT_GE(s["seconds"].get<double>(), s["training_seconds"].get<double>());
    EXPECT_GT(s["mfu"]["sft"].get<double>(), 0.0);  // model FLOPs over the FMA peak
    EXPECT_GT(s["mfu"]["grpo"].get<double>(), 0.0);
    EXPECT_TRUE(s["control"].is_null());
    // Checkpoints at both stage ends, next to the database by default.
    EXPECT_EQ(fs::path(s["checkpoint"].get<std::string>()),
              fs::absolute(t.dir / "runs-checkpoints" / "run-1" / "step-6"));
    EXPECT_TRUE(fs::exists(fs::path(s["checkpoint"].get<std::string>()) / "model.safetensors"));
    EXPECT_TRUE(
        fs::exists(t.dir / "runs-checkpoints" / "run-1" / "step-4" / "optimizer.safetensors"));
    // No terminal: no progress line on stderr.
    EXPECT_TRUE(t.result.err.empty()) << t.result.err;
}

TEST(CliTrain, RunsListJsonDescribesTheRun) {
    const TrainedRun& t = trained_run();
    ASSERT_EQ(t.result.exit_code, 0) << t.result.err;
    const nlohmann::json runs = runs_json(t.db, "list_json");
    ASSERT_EQ(runs.size(), 1u);
    const nlohmann::json& r = runs[0];
    EXPECT_EQ(r["id"], 1);
    EXPECT_EQ(r["kind"], "pipeline");
    EXPECT_EQ(r["status"], "completed");
    EXPECT_EQ(r["steps"], 6);
    EXPECT_EQ(r["last_step"], 6);
    EXPECT_EQ(r["checkpoints"], 2);
    EXPECT_EQ(r["best_eval_accuracy"], t.summary["eval"]["best"]);
    EXPECT_TRUE(r["parent_run_id"].is_null());
    EXPECT_FALSE(r["finished"].is_null());

    const Result human = tinyseek({"runs", "list", "--db", t.db.string()}, "list_human");
    ASSERT_EQ(human.exit_code, 0) << human.err;
    EXPECT_TRUE(contains(human.out, "addition sft+grpo")) << human.out;
    EXPECT_TRUE(contains(human.out, "completed")) << human.out;
}

TEST(CliTrain, ExportCsvWritesEveryMetricExpertLoadAndRollouts) {
    const TrainedRun& t = trained_run();
    ASSERT_EQ(t.result.exit_code, 0) << t.result.err;
    const fs::path out = scratch("export") / "csv";
    const Result r = tinyseek({"export", "--db", t.db.string(), "--run", "1", "--out", out.string(),
                               "--formats", "csv", "--json"},
                              "export");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json files = nlohmann::json::parse(r.out)["files"]["csv"];
    for (const auto& f : files) EXPECT_TRUE(fs::exists(f.get<std::string>())) << f;

    // Per-metric files: loss at every step (SFT and GRPO), rewards/accuracy at GRPO steps,
    // eval/accuracy at 1, 2, 4 (every 2 SFT steps and the first step), 5, 6.
    const auto loss = parse_csv(slurp(out / "metrics" / "loss.csv"));
    ASSERT_EQ(loss.size(), 1u + 6u);
    EXPECT_EQ(loss[0], (std::vector<std::string>{"step", "wall_time", "value"}));
    for (std::size_t i = 1; i < loss.size(); ++i) {
        EXPECT_EQ(loss[i][0], std::to_string(i));
        if (i <= 4) {
            EXPECT_GT(std::stod(loss[i][2]), 0.0);  // SFT cross-entropy
        }
    }
    EXPECT_EQ(parse_csv(slurp(out / "metrics" / "rewards_accuracy.csv")).size(), 1u + 2u);
    const auto eval = parse_csv(slurp(out / "metrics" / "eval_accuracy.csv"));
    ASSERT_EQ(eval.size(), 1u + 5u);
    EXPECT_EQ(eval[5][0], "6");
    EXPECT_EQ(std::stod(eval[5][2]), t.summary["eval"]["final"].get<double>());

    // The long file holds exactly the rows of all per-metric files.
    std::size_t per_metric_rows = 0, metric_files = 0;
    for (const auto& entry : fs::directory_iterator(out / "metrics")) {
        const auto rows = parse_csv(slurp(entry.path()));
        ASSERT_FALSE(rows.empty()) << entry.path();
        per_metric_rows += rows.size() - 1;
        ++metric_files;
    }
    EXPECT_GT(metric_files, 10u);
    const auto all = parse_csv(slurp(out / "metrics.csv"));
    EXPECT_EQ(all[0], (std::vector<std::string>{"step", "wall_time", "key", "value"}));
    EXPECT_EQ(all.size() - 1, per_metric_rows);

    // Expert load: the same (layer, expert) rows at every step, whole layers of 4 experts, and
    // each layer's loads are shares of its routed slots.
    const auto experts = parse_csv(slurp(out / "expert_load.csv"));
    EXPECT_EQ(experts[0],
              (std::vector<std::string>{"step", "layer", "expert", "load", "gate_weight", "bias"}));
    std::map<std::string, int> rows_per_step;
    std::map<std::pair<std::string, std::string>, double> load_sums;
    for (std::size_t i = 1; i < experts.size(); ++i) {
        ASSERT_EQ(experts[i].size(), 6u) << i;
        ++rows_per_step[experts[i][0]];
        load_sums[{experts[i][0], experts[i][1]}] += std::stod(experts[i][3]);
    }
    ASSERT_EQ(rows_per_step.size(), 6u);
    const int per_step = rows_per_step.begin()->second;
    EXPECT_GE(per_step, 4);
    EXPECT_EQ(per_step % 4, 0);
    for (const auto& [step, n] : rows_per_step) EXPECT_EQ(n, per_step) << "step " << step;
    for (const auto& [key, sum] : load_sums)
        EXPECT_NEAR(sum, 1.0, 1e-4) << "step " << key.first << " layer " << key.second;

    const auto rollouts = parse_csv(slurp(out / "rollouts.csv"));
    ASSERT_GE(rollouts.size(), 2u);
    EXPECT_EQ(first_line(slurp(out / "rollouts.csv")),
              "id,source,step,group,member,prompt,completion,accuracy,format,reward,advantage,"
              "length,malformed,mean_logprob,mean_entropy");
    std::set<std::string> sources;
    for (std::size_t i = 1; i < rollouts.size(); ++i) {
        ASSERT_EQ(rollouts[i].size(), 15u) << i;
        sources.insert(rollouts[i][1]);
        // Log-probs are <= 0 and entropies >= 0 wherever they were recorded.
        if (rollouts[i][13] != "nan") {
            EXPECT_LE(std::stod(rollouts[i][13]), 0.0) << i;
        }
        if (rollouts[i][14] != "nan") {
            EXPECT_GE(std::stod(rollouts[i][14]), 0.0) << i;
        }
    }
    EXPECT_TRUE(sources.count("eval")) << "evaluations store held-out samples";

    const nlohmann::json run = nlohmann::json::parse(slurp(out / "run.json"));
    EXPECT_EQ(run["config"]["sft"]["steps"], 4);

    // Formats this build cannot write are refused up front, naming what it can.
    const Result gif = tinyseek({"export", "--db", t.db.string(), "--run", "1", "--out",
                                 (out / "gif").string(), "--formats", "csv,gif"},
                                "export_gif");
    EXPECT_EQ(gif.exit_code, 2);
    EXPECT_TRUE(contains(gif.err, "'gif'")) << gif.err;
    EXPECT_TRUE(contains(gif.err, "supported: csv")) << gif.err;
    EXPECT_FALSE(fs::exists(out / "gif"));
}

TEST(CliTrain, EvalReadsTheTaskFromTheCheckpoint) {
    const TrainedRun& t = trained_run();
    ASSERT_EQ(t.result.exit_code, 0) << t.result.err;
    const std::string model = t.summary["checkpoint"];
    const Result r = tinyseek({"eval", "--model", model, "--n", "6", "--json"}, "eval");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["task"], "addition");
    EXPECT_EQ(j["task_options"]["digits"], 2);
    EXPECT_EQ(j["n"], 6);
    // Same model, set (n 6, seed 7) and greedy decoding as the run's last evaluation.
    EXPECT_EQ(j["accuracy"].get<double>(), t.summary["eval"]["final"].get<double>());
    // Accuracy by difficulty: the carries of the 6 problems of the set, their lengths with the
    // rare lengths topped up (to 20 each by default).
    std::map<std::string, int> per_family;
    for (const auto& [label, bucket] : j["buckets"].items())
        per_family[label.substr(0, label.find(' '))] += bucket["n"].get<int>();
    ASSERT_EQ(per_family.size(), 2u) << j["buckets"].dump();
    EXPECT_EQ(per_family["carries"], 6);
    EXPECT_GT(per_family["digits"], 6 + 20);
    EXPECT_EQ(j["buckets"]["digits 2+1"]["n"], 20);
    const Result off = tinyseek(
        {"eval", "--model", model, "--n", "6", "--bucket-min", "0", "--json"}, "eval_no_buckets");
    ASSERT_EQ(off.exit_code, 0) << off.err;
    EXPECT_FALSE(nlohmann::json::parse(off.out).contains("buckets"));
    const Result human =
        tinyseek({"eval", "--model", model, "--n", "4", "--temperature", "0.7"}, "eval_human");
    ASSERT_EQ(human.exit_code, 0) << human.err;
    EXPECT_TRUE(contains(human.out, "4 held-out addition problems (temperature 0.7")) << human.out;
}

// passk: pass@k never falls as k grows, maj@1 = pass@1, and pass@1 is the accuracy eval
// measures on the same streams when each problem has one sample.
TEST(CliTrain, PasskPrintsPassAndMajorityCurves) {
    const TrainedRun& t = trained_run();
    ASSERT_EQ(t.result.exit_code, 0) << t.result.err;
    const std::string model = t.summary["checkpoint"];
    Result r = tinyseek(
        {"passk", "--model", model, "--problems", "6", "--samples", "8", "--k", "1,2,8", "--json"},
        "passk");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["problems"], 6);
    EXPECT_EQ(j["samples"], 8);
    EXPECT_EQ(j["k"], nlohmann::json::parse("[1, 2, 8]"));
    const auto pass = j["pass_at_k"].get<std::vector<double>>();
    const auto maj = j["maj_at_k"].get<std::vector<double>>();
    ASSERT_EQ(pass.size(), 3u);
    EXPECT_LE(pass[0], pass[1]);
    EXPECT_LE(pass[1], pass[2]);
    EXPECT_DOUBLE_EQ(maj[0], pass[0]);
    r = tinyseek(
        {"passk", "--model", model, "--problems", "6", "--samples", "1", "--k", "1", "--json"},
        "passk_one");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Result e =
        tinyseek({"eval", "--model", model, "--n", "6", "--temperature", "1", "--json"}, "eval_t1");
    ASSERT_EQ(e.exit_code, 0) << e.err;
    EXPECT_DOUBLE_EQ(nlohmann::json::parse(r.out)["pass_at_k"][0].get<double>(),
                     nlohmann::json::parse(e.out)["accuracy"].get<double>());
    // k above the samples is a usage error naming the option.
    r = tinyseek({"passk", "--model", model, "--samples", "4", "--k", "8"}, "passk_bad");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--k")) << r.err;
}

// passk --db --run measures the run's latest checkpoint, prints what --model prints for that
// directory, and stores the curve in the run database; bad run or step choices are usage errors.
TEST(CliTrain, PasskStoresTheCurveOfARunsCheckpoint) {
    const TrainedRun& t = trained_run();
    ASSERT_EQ(t.result.exit_code, 0) << t.result.err;
    const std::vector<std::string> measure = {"--problems", "5",   "--samples", "4",
                                              "--k",        "1,4", "--json"};
    auto with = [&](std::vector<std::string> args) {
        args.insert(args.end(), measure.begin(), measure.end());
        return args;
    };
    const Result by_dir =
        tinyseek(with({"passk", "--model", t.summary["checkpoint"]}), "passk_dir");
    const Result by_run =
        tinyseek(with({"passk", "--db", t.db.string(), "--run", "1"}), "passk_run");
    ASSERT_EQ(by_dir.exit_code, 0) << by_dir.err;
    ASSERT_EQ(by_run.exit_code, 0) << by_run.err;
    const nlohmann::json a = nlohmann::json::parse(by_dir.out);
    const nlohmann::json b = nlohmann::json::parse(by_run.out);
    EXPECT_EQ(a["pass_at_k"], b["pass_at_k"]);
    EXPECT_EQ(a["maj_at_k"], b["maj_at_k"]);
    EXPECT_EQ(b["run"], 1);
    EXPECT_EQ(b["step"], 6);

    // The stored rows, read with SQLite itself: (step, samples, problems, k, pass).
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(t.db.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT step, samples, problems, k, pass FROM pass_at_k "
                                 "WHERE run_id = 1 ORDER BY k",
                                 -1, &q, nullptr),
              SQLITE_OK);
    std::vector<double> stored_pass;
    while (sqlite3_step(q) == SQLITE_ROW) {
        EXPECT_EQ(sqlite3_column_int(q, 0), 6);
        EXPECT_EQ(sqlite3_column_int(q, 1), 4);
        EXPECT_EQ(sqlite3_column_int(q, 2), 5);
        EXPECT_EQ(sqlite3_column_int(q, 3), stored_pass.empty() ? 1 : 4);
        stored_pass.push_back(sqlite3_column_double(q, 4));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    EXPECT_EQ(nlohmann::json(stored_pass), b["pass_at_k"]);

    Result r = tinyseek({"passk", "--db", t.db.string(), "--run", "1", "--step", "3"}, "no_step");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "no checkpoint at step 3 (it has: ")) << r.err;
    r = tinyseek({"passk", "--db", t.db.string()}, "no_run");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--run")) << r.err;
    r = tinyseek({"passk", "--model", t.summary["checkpoint"], "--run", "1"}, "run_no_db");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--db")) << r.err;
}

TEST(CliTrain, EvalMeasuresTheMtpDraftOnTheSameProblems) {
    const TrainedRun& t = trained_run();
    ASSERT_EQ(t.result.exit_code, 0) << t.result.err;
    const std::string model = t.summary["checkpoint"];
    const Result r =
        tinyseek({"eval", "--model", model, "--n", "6", "--draft-acceptance", "--json"}, "drafts");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    // Greedy speculative decoding changes no token, so the accuracy is the plain evaluation's.
    EXPECT_EQ(j["accuracy"].get<double>(), t.summary["eval"]["final"].get<double>());
    const long drafts = j["drafts"], accepted = j["drafts_accepted"];
    EXPECT_GE(drafts, 6);  // at least one draft per completion of 24 tokens at most
    EXPECT_LE(accepted, drafts);
    EXPECT_DOUBLE_EQ(j["draft_acceptance"].get<double>(), double(accepted) / double(drafts));
    // A forward yields one token, plus one when its draft was kept.
    const double per_forward = j["tokens_per_forward"];
    EXPECT_GE(per_forward, 1.0);
    EXPECT_LE(per_forward, 2.0);
    const Result human =
        tinyseek({"eval", "--model", model, "--n", "6", "--draft-acceptance"}, "drafts_human");
    ASSERT_EQ(human.exit_code, 0) << human.err;
    EXPECT_TRUE(contains(human.out, "drafts accepted")) << human.out;
    EXPECT_TRUE(contains(human.out, " of " + std::to_string(drafts) + " drafts")) << human.out;
}

TEST(CliTrain, FlagsOverrideTheConfigFile) {
    const fs::path dir = scratch("flags");
    const fs::path config = write_config(dir, tiny_config());
    const Result r = tinyseek({"train",
                               "--db",
                               (dir / "runs.db").string(),
                               "--config",
                               config.string(),
                               "--pipeline",
                               "sft",
                               "--sft-steps",
                               "3",
                               "--eval-n",
                               "0",
                               "--name",
                               "flag run",
                               "--out",
                               (dir / "ck").string(),
                               "--checkpoint-every",
                               "1",
                               "--checkpoint-every-seconds",
                               "0",
                               "--checkpoint-keep",
                               "1"},
                              "flags");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "run 1 'flag run': completed after 3 of 3 steps")) << r.out;
    EXPECT_TRUE(contains(r.out, "no evaluation")) << r.out;
    // A checkpoint after every step, the newest periodic one (2) kept beside the stage end.
    EXPECT_FALSE(fs::exists(dir / "ck" / "run-1" / "step-1"));
    EXPECT_TRUE(fs::exists(dir / "ck" / "run-1" / "step-2" / "model.safetensors"));
    EXPECT_TRUE(fs::exists(dir / "ck" / "run-1" / "step-3" / "model.safetensors"));
    const nlohmann::json runs = runs_json(dir / "runs.db", "flags_list");
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0]["name"], "flag run");
    EXPECT_EQ(runs[0]["kind"], "sft");
    EXPECT_EQ(runs[0]["checkpoints"], 2);
    EXPECT_TRUE(runs[0]["best_eval_accuracy"].is_null());
}

// --styles sets the cold-start mixture: the run records the style metrics (only runs whose
// cold start mixes styles do), and nonsense is refused naming the option.
TEST(CliTrain, StylesFlagMixesTheColdStartAndRecordsStyleMetrics) {
    const fs::path dir = scratch("styles");
    const fs::path config = write_config(dir, tiny_config());
    const fs::path db = dir / "runs.db";
    Result r = tinyseek({"train", "--db", db.string(), "--config", config.string(), "--pipeline",
                         "sft", "--sft-steps", "2", "--styles", "worked=1,direct=1"},
                        "styles");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path out = dir / "csv";
    r = tinyseek(
        {"export", "--db", db.string(), "--run", "1", "--out", out.string(), "--formats", "csv"},
        "styles_export");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto share = parse_csv(slurp(out / "metrics" / "eval_think_share.csv"));
    ASSERT_GE(share.size(), 2u);
    for (std::size_t i = 1; i < share.size(); ++i) {
        EXPECT_GE(std::stod(share[i][2]), 0.0);
        EXPECT_LE(std::stod(share[i][2]), 1.0);
    }
    for (const char* bad : {"worked=1,think=1", "worked", "direct=-1", "worked=x", "worked=0",
                            "worked=1,partial_steps=1.5"}) {
        r = tinyseek({"train", "--db", db.string(), "--styles", bad}, "styles_bad");
        EXPECT_EQ(r.exit_code, 2) << bad;
        EXPECT_TRUE(contains(r.err, "--styles")) << bad << ": " << r.err;
    }
}

TEST(CliTrain, CtrlCStopsTheRunWithExitCode130) {
    const fs::path dir = scratch("sigint");
    nlohmann::json c = tiny_config();
    c["pipeline"] = {"sft"};
    c["sft"]["steps"] = 100000;
    c["eval"]["n"] = 0;
    const fs::path db = dir / "runs.db";
    const pid_t pid =
        spawn({"train", "--db", db.string(), "--config", write_config(dir, c).string()}, dir);
    ASSERT_GT(pid, 0);
    // Wait until some steps are stored, then interrupt.
    ASSERT_GE(wait_for_steps(db, 2, "sigint_poll"), 2);
    kill(pid, SIGINT);
    const Result r = wait_for(pid, dir);
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_TRUE(contains(r.out, "stopped after")) << r.out;
    const nlohmann::json runs = runs_json(db, "sigint_list");
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0]["status"], "stopped");
    EXPECT_GE(runs[0]["steps"].get<int>(), 2);
    EXPECT_LT(runs[0]["steps"].get<int>(), 100000);
    EXPECT_EQ(runs[0]["checkpoints"], 1);  // written on stop: resumable from the last step
}

TEST(CliTrain, KillNineMidRunKeepsCommittedStepsAndResumeCompletes) {
    const fs::path dir = scratch("kill9");
    nlohmann::json c = tiny_config();
    c["sft"]["steps"] = 120;
    c["grpo"]["steps"] = 2;
    c["eval"]["n"] = 0;
    c["checkpoint_every"] = 4;
    const fs::path db = dir / "runs.db";
    const fs::path config = write_config(dir, c);
    const pid_t pid = spawn({"train", "--db", db.string(), "--config", config.string()}, dir);
    ASSERT_GT(pid, 0);
    const int committed = wait_for_steps(db, 5, "kill9_poll");
    ASSERT_GE(committed, 5);
    kill(pid, SIGKILL);
    const Result killed = wait_for(pid, dir);
    EXPECT_EQ(killed.exit_code, 128 + SIGKILL);

    // Reopen: intact, every step seen committed is there, contiguous from 1.
    if (std::system("command -v sqlite3 > /dev/null 2>&1") == 0) {
        const fs::path check = dir / "integrity.txt";
        const std::string cmd =
            "sqlite3 '" + db.string() + "' 'PRAGMA integrity_check' > '" + check.string() + "'";
        ASSERT_EQ(std::system(cmd.c_str()), 0);
        EXPECT_EQ(slurp(check), "ok\n");
    }
    nlohmann::json runs = runs_json(db, "kill9_after");
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0]["status"], "running");  // nobody marked it: the process died
    const int stored = runs[0]["steps"].get<int>();
    EXPECT_GE(stored, committed);
    EXPECT_EQ(runs[0]["last_step"], stored);
    EXPECT_GE(runs[0]["checkpoints"].get<int>(), 1);

    const Result resumed =
        tinyseek({"train", "--db", db.string(), "--resume", "1", "--json"}, "kill9_resume");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    // It says where it continues and which stored steps it trains again.
    EXPECT_TRUE(contains(resumed.err, "run 1: resuming from the checkpoint at step "))
        << resumed.err;
    const nlohmann::json s = nlohmann::json::parse(resumed.out);
    EXPECT_EQ(s["status"], "completed");
    EXPECT_EQ(s["steps"], 122);
    runs = runs_json(db, "kill9_done");
    EXPECT_EQ(runs[0]["status"], "completed");
    EXPECT_EQ(runs[0]["last_step"], 122);
}

// Killed before its first checkpoint: the resume trains it again from step 0 with its stored
// configuration, and ends with the same weights and AdamW state, byte for byte, as the same
// run uninterrupted.
TEST(CliTrain, KillNineBeforeTheFirstCheckpointResumesFromStepZero) {
    const fs::path dir = scratch("kill9_zero");
    nlohmann::json c = tiny_config();
    c["pipeline"] = {"sft"};
    c["sft"]["steps"] = 400;
    c["sft"]["batch_size"] = 8;
    c["eval"]["n"] = 0;
    c["checkpoint_every"] = 0;  // and no time trigger: the only checkpoint is the stage end
    c["checkpoint_every_seconds"] = 0;
    const fs::path config = write_config(dir, c);
    const fs::path db = dir / "runs.db";
    const pid_t pid = spawn({"train", "--db", db.string(), "--config", config.string()}, dir);
    ASSERT_GT(pid, 0);
    ASSERT_GE(wait_for_steps(db, 3, "kill9_zero_poll"), 3);
    kill(pid, SIGKILL);
    EXPECT_EQ(wait_for(pid, dir).exit_code, 128 + SIGKILL);
    nlohmann::json runs = runs_json(db, "kill9_zero_after");
    ASSERT_EQ(runs.size(), 1u);
    ASSERT_LT(runs[0]["steps"].get<int>(), 400) << "the run ended before the kill";
    EXPECT_EQ(runs[0]["checkpoints"], 0);

    const Result resumed =
        tinyseek({"train", "--db", db.string(), "--resume", "1", "--json"}, "kill9_zero_resume");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_TRUE(contains(resumed.err,
                         "run 1 has no checkpoint: training it again from step 0 "
                         "with its stored configuration"))
        << resumed.err;
    EXPECT_TRUE(contains(resumed.err, "stored after it are deleted and trained again"))
        << resumed.err;
    EXPECT_EQ(nlohmann::json::parse(resumed.out)["steps"], 400);

    const fs::path ref_db = dir / "reference.db";
    const Result reference = tinyseek(
        {"train", "--db", ref_db.string(), "--config", config.string(), "--json"}, "kill9_ref");
    ASSERT_EQ(reference.exit_code, 0) << reference.err;
    for (const char* file : {"model.safetensors", "optimizer.safetensors"}) {
        const std::string a = slurp(dir / "runs-checkpoints" / "run-1" / "step-400" / file);
        const std::string b = slurp(dir / "reference-checkpoints" / "run-1" / "step-400" / file);
        EXPECT_FALSE(a.empty()) << file;
        EXPECT_TRUE(a == b) << file << " differs from the uninterrupted run's";
    }
}

TEST(CliTrain, BadInputIsRefusedWithAMessage) {
    const fs::path dir = scratch("bad");
    const fs::path db = dir / "runs.db";
    // Malformed JSON: names the file.
    const fs::path broken = dir / "broken.json";
    std::ofstream(broken) << "{\"sft\": {\"steps\": 3,}";
    Result r = tinyseek({"train", "--db", db.string(), "--config", broken.string()}, "bad_json");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "broken.json")) << r.err;
    EXPECT_TRUE(contains(r.err, "not valid JSON")) << r.err;
    // A number beyond double's range (the JSON parser's out_of_range, not a parse_error).
    const fs::path overflow = dir / "overflow.json";
    std::ofstream(overflow) << R"({"seed": 1e400})";
    r = tinyseek({"train", "--db", db.string(), "--config", overflow.string()}, "overflow");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "overflow.json")) << r.err;
    EXPECT_TRUE(contains(r.err, "not valid JSON")) << r.err;
    // A config key that does not exist.
    const fs::path unknown = dir / "unknown.json";
    std::ofstream(unknown) << R"({"sft": {"stepz": 3}})";
    r = tinyseek({"train", "--db", db.string(), "--config", unknown.string()}, "bad_key");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "unknown field 'sft.stepz'")) << r.err;
    // Unknown task: usage error listing the known ones.
    r = tinyseek({"train", "--db", db.string(), "--task", "poetry"}, "bad_task");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "unknown task 'poetry'")) << r.err;
    EXPECT_TRUE(contains(r.err, "countdown")) << r.err;
    // --resume keeps the stored configuration.
    r = tinyseek({"train", "--db", db.string(), "--resume", "1", "--task", "addition"},
                 "bad_resume");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--task")) << r.err;
    r = tinyseek({"train", "--db", db.string(), "--resume", "1", "--checkpoint-keep", "1"},
                 "bad_resume_keep");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "drop --checkpoint-keep")) << r.err;
    // A negative checkpoint interval names the option.
    r = tinyseek({"train", "--db", db.string(), "--checkpoint-every-seconds", "-5"},
                 "bad_checkpoint_seconds");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--checkpoint-every-seconds")) << r.err;
    // Missing --db.
    r = tinyseek({"train"}, "no_db");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--db")) << r.err;
    // Resume of a run that does not exist.
    r = tinyseek({"train", "--db", db.string(), "--resume", "7"}, "bad_resume_id");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "7")) << r.err;
    EXPECT_FALSE(fs::exists(dir / "runs-checkpoints"));
}

TEST(CliTrain, LockedDatabaseFailsWithAClearMessage) {
    if (std::system("command -v sqlite3 > /dev/null 2>&1") != 0)
        GTEST_SKIP() << "needs the sqlite3 shell to hold a write lock";
    const TrainedRun& t = trained_run();
    ASSERT_EQ(t.result.exit_code, 0) << t.result.err;
    const fs::path dir = scratch("locked");
    const fs::path db = dir / "runs.db";
    fs::copy_file(t.db, db);
    // The sqlite3 shell takes the write lock, says so with a file, and holds the lock until
    // train (busy timeout 5 s) has given up. Handshakes instead of sleeps: on a loaded machine
    // (or an instrumented build) either program may start seconds late.
    const fs::path locked = dir / "locked", release = dir / "release";
    std::ofstream(dir / "hold.sql")
        << "BEGIN IMMEDIATE;\n.system touch '" << locked.string() << "' && while [ ! -e '"
        << release.string() << "' ]; do sleep 0.05; done\nCOMMIT;\n";
    const fs::path hold_dir = dir / "holder";
    fs::create_directories(hold_dir);
    const pid_t holder =
        spawn({db.string(), ".read " + (dir / "hold.sql").string()}, hold_dir, "sqlite3");
    ASSERT_GT(holder, 0);
    for (int i = 0; i < 1200 && !fs::exists(locked); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const bool lock_taken = fs::exists(locked);
    const fs::path config = write_config(dir, tiny_config());
    const Result r =
        lock_taken
            ? tinyseek({"train", "--db", db.string(), "--config", config.string()}, "locked_train")
            : Result{};
    std::ofstream(release.string()) << "";
    const Result held = wait_for(holder, hold_dir);
    ASSERT_TRUE(lock_taken) << "the sqlite3 shell did not take the lock in 60 s: " << held.err;
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_TRUE(contains(r.err, "locked")) << r.err;
    EXPECT_TRUE(contains(r.err, "runs.db")) << r.err;
}
