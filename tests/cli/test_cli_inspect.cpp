// `inspect` as the real binary on a checkpoint made by `tinyseek init`: its next-token table
// against the `logits` command (the decoder's path), and the invariants of its other files.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace {

using namespace cli_test;

const std::string& inspect_model() {
    static const std::string dir = [] {
        const fs::path d = scratch("inspect_model") / "ckpt";
        const Result r =
            tinyseek({"init", "--preset", "tiny", "--out", d.string(), "--seed", "5"}, "init");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return d.string();
    }();
    return dir;
}

const char* kText = "<bos>12+34=<think>";

std::vector<std::vector<std::string>> csv_rows(const fs::path& file) {
    auto rows = parse_csv(slurp(file));
    EXPECT_FALSE(rows.empty()) << file;
    if (!rows.empty()) rows.erase(rows.begin());  // the header
    return rows;
}

}  // namespace

TEST(CliInspect, NextTokenTableIsTheSoftmaxOfTheLogitsCommand) {
    const fs::path out = scratch("inspect_next") / "out";
    const Result r = tinyseek({"inspect", "--model", inspect_model(), "--text", kText, "--out",
                               out.string(), "--top-k", "3"},
                              "inspect");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Result lg =
        tinyseek({"logits", "--model", inspect_model(), "--text", kText, "--json"}, "logits");
    ASSERT_EQ(lg.exit_code, 0) << lg.err;
    const auto last = nlohmann::json::parse(lg.out)["logits"].back();
    double z = 0, m = -1e30;
    for (const auto& x : last) m = std::max(m, x.get<double>());
    for (const auto& x : last) z += std::exp(x.get<double>() - m);

    const auto rows = csv_rows(out / "next_token.csv");
    ASSERT_EQ(rows.size(), 11u);  // top 10 and "rest"
    double kept = 0;
    for (size_t i = 0; i < 10; ++i) {
        const int id = std::stoi(rows[i][1]);
        EXPECT_NEAR(std::stod(rows[i][3]), std::exp(last[id].get<double>() - m) / z, 1e-4);
        EXPECT_EQ(std::stod(rows[i][4]) > 0, i < 3) << "top-k 3 keeps the first three";
        kept += std::stod(rows[i][4]);
    }
    EXPECT_NEAR(kept, 1.0, 1e-9);
    EXPECT_EQ(rows[10][2], "rest");
    EXPECT_TRUE(contains(r.out, "next token"));
}

TEST(CliInspect, AttentionRowsSumToOneAndEveryTokenHasKExperts) {
    const fs::path out = scratch("inspect_files") / "out";
    const Result r =
        tinyseek({"inspect", "--model", inspect_model(), "--text", kText, "--out", out.string()},
                 "inspect_files");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, double> row_sum;  // layer,head,query -> sum of probs
    for (const auto& row : csv_rows(out / "attention.csv")) {
        row_sum[row[0] + "," + row[1] + "," + row[2]] += std::stod(row[4]);
        const double share = std::stod(row[5]);
        EXPECT_TRUE(share >= 0 && share <= 1) << share;
    }
    EXPECT_EQ(row_sum.size(), 4u * 4u * 8u);  // layers x heads x tokens of the tiny preset
    for (const auto& [key, sum] : row_sum) EXPECT_NEAR(sum, 1.0, 1e-5) << key;

    std::map<std::string, int> chosen;  // layer,position -> experts with a rank
    std::map<std::string, double> gate_sum;
    for (const auto& row : csv_rows(out / "routing.csv")) {
        if (row[6].empty()) continue;
        chosen[row[0] + "," + row[1]] += 1;
        gate_sum[row[0] + "," + row[1]] += std::stod(row[7]);
    }
    EXPECT_EQ(chosen.size(), 3u * 8u);  // MoE layers 1..3
    for (const auto& [key, n] : chosen) EXPECT_EQ(n, 2) << key;
    for (const auto& [key, sum] : gate_sum) EXPECT_NEAR(sum, 1.0, 1e-5) << key;

    const auto lens = csv_rows(out / "logit_lens.csv");
    ASSERT_EQ(lens.size(), 5u * 8u);  // boundaries 0..4 x tokens
    const auto next = csv_rows(out / "next_token.csv");
    EXPECT_EQ(lens.back()[3], next[0][2]) << "the last layer's lens is the prediction";
    const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
    EXPECT_EQ(summary["tokens"], 8);
    EXPECT_EQ(summary["kv_bytes_per_token_fp32"], (32 + 16) * 4 * 4);
    EXPECT_EQ(summary["mtp"]["assumed_next"], next[0][2]);
    // The window's build adds the Explore page's figures (PNG at 2x and SVG).
    if (TINYSEEK_WITH_GUI) {
        for (const char* figure : {"explore-next-token", "explore-logit-lens", "explore-routing",
                                   "explore-attention-layer3-head3"}) {
            const fs::path png = out / (std::string(figure) + ".png");
            ASSERT_TRUE(fs::exists(png)) << png;
            EXPECT_GT(png_size(slurp(png)).width, 1000) << png;
        }
        EXPECT_TRUE(fs::exists(out / "explore-routing.svg"));
        EXPECT_TRUE(fs::exists(out / "explore-model.svg"));
    }
}

TEST(CliInspect, ClearErrors) {
    const fs::path out = scratch("inspect_errors") / "out";
    Result r = tinyseek({"inspect", "--model", inspect_model(), "--text", kText}, "no_out");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--out")) << r.err;
    r = tinyseek({"inspect", "--model", inspect_model(), "--text", "ABC", "--out", out.string()},
                 "bad_char");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "unknown character")) << r.err;
    r = tinyseek({"inspect", "--model", inspect_model(), "--text", "1", "--out", out.string(),
                  "--top-k", "-1"},
                 "bad_top_k");
    EXPECT_EQ(r.exit_code, 2);
    const fs::path file = scratch("inspect_errors") / "a_file";
    std::ofstream(file) << "x";
    r = tinyseek(
        {"inspect", "--model", inspect_model(), "--text", "1", "--out", (file / "sub").string()},
        "out_is_file");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "cannot create")) << r.err;
}
