// `tinyseek export --formats png,svg,pdf,csv` without a display: the chart pages are built
// offscreen and every figure is written as PNG (2x), SVG and PDF with the CSV behind it, next
// to the run's raw CSV files; the figures' data agrees with the raw export.
#include <gtest/gtest.h>
#include <algorithm>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli_harness.h"

using namespace cli_test;

TEST(CliExportFigures, ImagesOfEveryChartWithoutADisplay) {
    const fs::path dir = scratch("export_figures");
    // A shrunken model (two MoE blocks: layer 1 and the MTP block) trained for 3 + 2 steps.
    const nlohmann::json config = nlohmann::json::parse(R"({
        "task_options": {"digits": 2},
        "model": {"hidden_size": 32, "num_hidden_layers": 2, "intermediate_size": 48,
                  "num_attention_heads": 2, "num_key_value_heads": 2, "q_lora_rank": 16,
                  "kv_lora_rank": 8, "qk_nope_head_dim": 8, "qk_rope_head_dim": 8,
                  "v_head_dim": 8, "n_routed_experts": 4, "num_experts_per_tok": 2,
                  "moe_intermediate_size": 16, "max_position_embeddings": 96},
        "sft": {"steps": 3, "batch_size": 4, "warmup_steps": 1},
        "grpo": {"steps": 2, "prompts_per_step": 2, "group_size": 3, "max_new_tokens": 24,
                 "warmup_steps": 1},
        "eval": {"n": 4, "every_sft": 3, "every_grpo": 2},
        "threads": 2
    })");
    std::ofstream(dir / "config.json") << config.dump();
    const fs::path db = dir / "runs.db";
    const Result train = tinyseek(
        {"train", "--db", db.string(), "--config", (dir / "config.json").string(), "--json"},
        "train");
    ASSERT_EQ(train.exit_code, 0) << train.err;

    const fs::path out = dir / "export";
    const Result r = tinyseek({"export", "--db", db.string(), "--run", "1", "--out", out.string(),
                               "--formats", "csv,png,svg,pdf", "--json"},
                              "export");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    ASSERT_TRUE(j["files"].contains("png"));

    const fs::path figures = out / "figures";
    // Every figure of the Routing, Inference, Rollouts and Precision pages, in all four formats
    // (the KV cache figures under the names they had on the KV Cache page; the run has no FP8
    // twin, so no FP8 training figures).
    const std::vector<std::string> names = {"routing-load-by-layer",
                                            "routing-load-over-time",
                                            "routing-max-vio",
                                            "routing-router-bias",
                                            "routing-token-experts",
                                            "inference-acceptance-by-position",
                                            "inference-acceptance-by-class",
                                            "inference-acceptance-over-training",
                                            "inference-draft-tokens",
                                            "kv-bytes-per-token",
                                            "kv-measured-cache",
                                            "kv-max-batch",
                                            "rollouts-table",
                                            "precision-accumulation",
                                            "precision-granularity-error",
                                            "precision-granularity-flushed",
                                            "precision-memory"};
    for (const std::string& name : names) {
        const std::string png = slurp(figures / (name + ".png"));
        const PngSize size = png_size(png);
        EXPECT_GT(size.width, 1000u) << name;  // 2x the figure's logical size
        EXPECT_GT(size.height, 150u) << name;
        EXPECT_EQ(size.width % 2, 0u) << name;
        const std::string svg = slurp(figures / (name + ".svg"));
        EXPECT_NE(svg.find("<svg"), std::string::npos) << name;
        EXPECT_NE(svg.find("</svg>"), std::string::npos) << name;
        EXPECT_EQ(slurp(figures / (name + ".pdf")).substr(0, 4), "%PDF") << name;
        EXPECT_FALSE(parse_csv(slurp(figures / (name + ".csv"))).empty()) << name;
    }
    // The Training page's charts, one per stored metric, under training-<metric>.
    EXPECT_GT(png_size(slurp(figures / "training-loss.png")).width, 1000u);
    const auto loss = parse_csv(slurp(figures / "training-loss.csv"));
    ASSERT_FALSE(loss.empty());
    EXPECT_EQ(loss[0][0], "run");
    // Throughput is a measurement of this machine, not of the run: exported headless only
    // when asked for (below).
    EXPECT_FALSE(fs::exists(figures / "inference-throughput.png"));
    EXPECT_FALSE(fs::exists(figures / "inference-speedup.png"));
    // The curve over training has a row per checkpoint of the run (stage ends and the GRPO
    // start), the by-class table its four classes and the total.
    const auto curve = parse_csv(slurp(figures / "inference-acceptance-over-training.csv"));
    ASSERT_FALSE(curve.empty());
    EXPECT_EQ(curve[0][0], "step");
    EXPECT_GE(curve.size(), 1u + 2u);
    EXPECT_EQ(parse_csv(slurp(figures / "inference-acceptance-by-class.csv")).size(), 1u + 5u);
    // The files listed for png are the PNGs plus the CSVs, nothing twice; svg lists only SVGs.
    std::set<std::string> listed;
    for (const auto& f : j["files"]["png"]) EXPECT_TRUE(listed.insert(f.get<std::string>()).second);
    EXPECT_EQ(listed.size(), 2 * j["files"]["svg"].size());
    EXPECT_GT(j["files"]["svg"].size(), names.size());  // training charts too

    // The figures' data agrees with the raw export: MaxVio has one row per (MoE layer, step)
    // (layer 1 and the MTP block, which only SFT steps record: NaN elsewhere), the load over
    // time one per (expert, step), and the table every rollout.
    const auto raw_load = parse_csv(slurp(out / "expert_load.csv"));
    std::set<std::string> steps;
    for (std::size_t i = 1; i < raw_load.size(); ++i) steps.insert(raw_load[i][0]);
    EXPECT_EQ(steps.size(), 5u);
    const auto vio = parse_csv(slurp(figures / "routing-max-vio.csv"));
    EXPECT_EQ(vio[0], (std::vector<std::string>{"run", "layer", "step", "wall_time", "max_vio"}));
    EXPECT_EQ(vio.size() - 1, 2 * steps.size());
    const auto over_time = parse_csv(slurp(figures / "routing-load-over-time.csv"));
    EXPECT_EQ(over_time.size() - 1, 4 * steps.size());  // 4 experts x steps of one layer
    const auto table = parse_csv(slurp(figures / "rollouts-table.csv"));
    const auto raw_rollouts = parse_csv(slurp(out / "rollouts.csv"));
    const auto training_rows = std::count_if(raw_rollouts.begin(), raw_rollouts.end(),
                                             [](const auto& row) { return row[1] == "train"; });
    EXPECT_EQ(table.size(), 1u + static_cast<std::size_t>(training_rows));
    EXPECT_GT(table.size(), 1u);
    // Bytes per token: MHA/GQA/MQA/MLA x this model, DeepSeek-V2, DeepSeek-V3.
    EXPECT_EQ(parse_csv(slurp(figures / "kv-bytes-per-token.csv")).size(), 1u + 12u);

    // --measure-throughput times plain and speculative decoding for the throughput figures.
    const fs::path timed = dir / "export-timed";
    const Result t = tinyseek({"export", "--db", db.string(), "--run", "1", "--out", timed.string(),
                               "--formats", "png", "--measure-throughput"},
                              "export-timed");
    ASSERT_EQ(t.exit_code, 0) << t.err;
    EXPECT_GT(png_size(slurp(timed / "figures" / "inference-throughput.png")).width, 1000u);
    const auto speedup = parse_csv(slurp(timed / "figures" / "inference-speedup.csv"));
    ASSERT_FALSE(speedup.empty());
    EXPECT_EQ(speedup[0].back(), "speedup");
    EXPECT_EQ(speedup.size(), 1u + 2u * 3u);  // latent and expanded x batch 1, 8, 64
}
