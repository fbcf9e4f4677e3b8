// `tinyseek export --formats png,svg,pdf,csv` without a display: the chart pages are built
// offscreen and every figure is written as PNG (2x), SVG and PDF with the CSV behind it, next
// to the run's raw CSV files; the figures' data agrees with the raw export.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct Result {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs the binary with no display in the environment; stdout/stderr go to files in `dir`.
Result run(const std::vector<std::string>& args, const fs::path& dir) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        const std::string key = entry.substr(0, entry.find('='));
        if (key != "DISPLAY" && key != "WAYLAND_DISPLAY" && key != "QT_QPA_PLATFORM")
            env.push_back(entry);
    }
    std::vector<std::string> argv_s = {TINYSEEK_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv, envp;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    Result r;
    const int rc = posix_spawnp(&pid, TINYSEEK_BINARY, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    if (rc == 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
        r.exit_code = WEXITSTATUS(status);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string f;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                f += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                f += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(f);
            f.clear();
        } else if (c == '\n') {
            row.push_back(f);
            f.clear();
            rows.push_back(row);
            row.clear();
        } else {
            f += c;
        }
    }
    return rows;
}

// Width and height from a PNG's IHDR chunk (0, 0 if it is not a PNG).
std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& bytes) {
    if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 ||
        bytes.compare(12, 4, "IHDR") != 0)
        return {0, 0};
    auto be32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
        return v;
    };
    return {be32(16), be32(20)};
}

}  // namespace

TEST(CliExportFigures, ImagesOfEveryChartWithoutADisplay) {
    const fs::path dir = fs::path(TINYSEEK_TEST_TMP) / "cli_export_figures";
    fs::remove_all(dir);
    fs::create_directories(dir);
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
    const Result train = run(
        {"train", "--db", db.string(), "--config", (dir / "config.json").string(), "--json"}, dir);
    ASSERT_EQ(train.exit_code, 0) << train.err;

    const fs::path out = dir / "export";
    const Result r = run({"export", "--db", db.string(), "--run", "1", "--out", out.string(),
                          "--formats", "csv,png,svg,pdf", "--json"},
                         dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    ASSERT_TRUE(j["files"].contains("png"));

    const fs::path figures = out / "figures";
    // Every figure of the Routing, KV Cache and Rollouts pages, in all four formats.
    const std::vector<std::string> names = {
        "routing-load-by-layer", "routing-load-over-time", "routing-max-vio",
        "routing-router-bias",   "routing-token-experts",  "kv-bytes-per-token",
        "kv-measured-cache",     "kv-max-batch",           "rollouts-table"};
    for (const std::string& name : names) {
        const std::string png = slurp(figures / (name + ".png"));
        const auto [w, h] = png_size(png);
        EXPECT_GT(w, 1000u) << name;  // 2x the figure's logical size
        EXPECT_GT(h, 150u) << name;
        EXPECT_EQ(w % 2, 0u) << name;
        const std::string svg = slurp(figures / (name + ".svg"));
        EXPECT_NE(svg.find("<svg"), std::string::npos) << name;
        EXPECT_NE(svg.find("</svg>"), std::string::npos) << name;
        EXPECT_EQ(slurp(figures / (name + ".pdf")).substr(0, 4), "%PDF") << name;
        EXPECT_FALSE(parse_csv(slurp(figures / (name + ".csv"))).empty()) << name;
    }
    // The Training page's charts, one per stored metric, under training-<metric>.
    EXPECT_GT(png_size(slurp(figures / "training-loss.png")).first, 1000u);
    const auto loss = parse_csv(slurp(figures / "training-loss.csv"));
    ASSERT_FALSE(loss.empty());
    EXPECT_EQ(loss[0][0], "run");
    // Throughput is a measurement of this machine, not of the run: not exported headless.
    EXPECT_FALSE(fs::exists(figures / "kv-throughput.png"));
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
    EXPECT_EQ(table.size(), raw_rollouts.size());
    EXPECT_GT(table.size(), 1u);
    // Bytes per token: MHA/GQA/MQA/MLA x this model, DeepSeek-V2, DeepSeek-V3.
    EXPECT_EQ(parse_csv(slurp(figures / "kv-bytes-per-token.csv")).size(), 1u + 12u);
}
