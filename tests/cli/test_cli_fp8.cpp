// `tinyseek fp8 gemm-error` as the real binary: the table, the --json document, and usage
// errors (exit code 2, the option named, nothing on stdout).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "cli_harness.h"

namespace {

using namespace cli_test;

}  // namespace

TEST(CliFp8, GemmErrorPrintsOneLinePerK) {
    const Result r =
        tinyseek({"fp8", "gemm-error", "--k-list", "64,512", "--m", "8", "--n", "8"}, "table");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "never promoted")) << r.out;
    EXPECT_TRUE(contains(r.out, "promoted every 128")) << r.out;
    EXPECT_TRUE(contains(r.out, "FP32")) << r.out;
    EXPECT_TRUE(contains(r.out, "13 mantissa bits, truncate, 32 products per step")) << r.out;
    EXPECT_TRUE(contains(r.out, "\n      64  ")) << r.out;
    EXPECT_TRUE(contains(r.out, "\n     512  ")) << r.out;
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CliFp8, GemmErrorJsonHasTheModelAndEveryMethod) {
    const Result r =
        tinyseek({"fp8", "gemm-error", "--k-list", "256,2048", "--m", "8", "--n", "4", "--acc-bits",
                  "14", "--promote-every", "64", "--outliers", "--seed", "3", "--json"},
                 "json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["config"]["acc_mantissa_bits"], 14);
    EXPECT_EQ(j["config"]["promote_every"], 64);
    EXPECT_EQ(j["config"]["acc_rounding"], "truncate");
    EXPECT_EQ(j["config"]["outliers"], true);
    EXPECT_EQ(j["config"]["seed"], 3);
    EXPECT_EQ(j["config"]["m"], 8);
    EXPECT_EQ(j["config"]["n"], 4);
    ASSERT_EQ(j["rows"].size(), 2u);
    EXPECT_EQ(j["rows"][0]["k"], 256);
    EXPECT_EQ(j["rows"][1]["k"], 2048);
    for (const auto& row : j["rows"]) {
        for (const char* method : {"no_promotion", "promoted", "fp32"}) {
            EXPECT_EQ(row[method]["outputs"], 32) << method;
            EXPECT_GE(row[method]["max_rel_error"].get<double>(),
                      row[method]["mean_rel_error"].get<double>())
                << method;
        }
        EXPECT_LT(row["fp32"]["max_rel_error"].get<double>(),
                  row["no_promotion"]["max_rel_error"].get<double>());
        EXPECT_TRUE(row["quant_a"].contains("flushed_share"));
        EXPECT_TRUE(row["quant_w"].contains("saturated_share"));
    }
    EXPECT_TRUE(j.contains("seconds"));
}

TEST(CliFp8, GemmErrorBadValuesAreUsageErrors) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--k-list", "256,abc"}, "--k-list"},
        {{"--k-list", "256,,1024"}, "--k-list"},
        {{"--k-list", "0"}, "--k-list"},
        {{"--k-list", "-4096"}, "--k-list"},
        {{"--m", "-1"}, "--m"},
        {{"--n", "0"}, "--n"},
        {{"--acc-bits", "24"}, "--acc-bits"},
        {{"--promote-every", "-128"}, "--promote-every"},
        {{"--seed", "-1"}, "--seed"},
        {{"--rounding", "up"}, "--rounding"},
        {{"--entries", "cauchy"}, "--entries"},
        {{"--fused-terms", "0"}, "--fused-terms"},
    };
    int i = 0;
    for (const auto& [options, named] : cases) {
        std::vector<std::string> args = {"fp8", "gemm-error"};
        args.insert(args.end(), options.begin(), options.end());
        const Result r = tinyseek(args, "bad_" + std::to_string(i++));
        EXPECT_EQ(r.exit_code, 2) << options[0] << " " << options[1] << ": " << r.err;
        EXPECT_TRUE(contains(r.err, named)) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
}

namespace {

// One small random checkpoint for the quant-error tests, made by `tinyseek init`.
const std::string& fp8_model_dir() {
    static const std::string dir = [] {
        const fs::path d = scratch("fp8_model") / "ckpt";
        const Result r =
            tinyseek({"init", "--preset", "tiny", "--out", d.string(), "--seed", "5"}, "init");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return d.string();
    }();
    return dir;
}

}  // namespace

TEST(CliFp8, QuantErrorTablePrintsEveryColumn) {
    const Result r = tinyseek(
        {"fp8", "quant-error", "--model", fp8_model_dir(), "--tile", "32", "--prompts", "2"},
        "quant_table");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* s :
         {"per tensor: max mean flushed sat", "per tile: max mean flushed sat", "32x32 blocks",
          "1x32 row tiles", "routed_experts", "attention", "layer0_attn_input", "head_input"})
        EXPECT_TRUE(contains(r.out, s)) << s << "\n" << r.out;
}

TEST(CliFp8, QuantErrorFinerTilesNeverWorseOnOutliers) {
    for (const char* tile : {"16", "64"}) {
        const Result r = tinyseek({"fp8", "quant-error", "--model", fp8_model_dir(), "--tile", tile,
                                   "--outliers", "3", "--prompts", "2", "--json"},
                                  std::string("quant_json_") + tile);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const nlohmann::json j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["config"]["tile"], std::stoi(tile));
        EXPECT_EQ(j["config"]["outliers"], 3);
        int outlier_rows = 0;
        for (const auto& row : j["rows"]) {
            for (const char* scheme : {"per_tensor", "per_tile"})
                for (const char* col :
                     {"max_rel_error", "mean_rel_error", "flushed_share", "saturated_share"})
                    EXPECT_TRUE(row[scheme].contains(col)) << scheme << " " << col;
            EXPECT_GT(row["matrices"].get<int>(), 0);
            if (!row["with_outliers"].get<bool>()) continue;
            ++outlier_rows;
            EXPECT_LE(row["per_tile"]["max_rel_error"].get<double>(),
                      row["per_tensor"]["max_rel_error"].get<double>())
                << row.dump();
            EXPECT_LE(row["per_tile"]["flushed_share"].get<double>(),
                      row["per_tensor"]["flushed_share"].get<double>())
                << row.dump();
        }
        EXPECT_EQ(outlier_rows * 2, int(j["rows"].size()));
        EXPECT_GT(j["tokens"].get<int>(), 2);
    }
}

TEST(CliFp8, QuantErrorBadInputIsAUsageError) {
    const std::string missing = (scratch("fp8_missing") / "nothing-here").string();
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--model", missing}, "not a checkpoint directory"},
        {{}, "--model"},
        {{"--model", fp8_model_dir(), "--tile", "48"}, "--tile"},
        {{"--model", fp8_model_dir(), "--tile", "0"}, "--tile"},
        {{"--model", fp8_model_dir(), "--format", "e3m4"}, "--format"},
        {{"--model", fp8_model_dir(), "--outliers", "-1"}, "--outliers"},
        {{"--model", fp8_model_dir(), "--prompts", "0"}, "--prompts"},
    };
    int i = 0;
    for (const auto& [options, named] : cases) {
        std::vector<std::string> args = {"fp8", "quant-error"};
        args.insert(args.end(), options.begin(), options.end());
        const Result r = tinyseek(args, "quant_bad_" + std::to_string(i++));
        EXPECT_EQ(r.exit_code, 2) << named << ": " << r.err;
        EXPECT_TRUE(contains(r.err, named)) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
}

TEST(CliFp8, MemoryJsonMatchesTheRecipesByHand) {
    const Result r = tinyseek({"fp8", "memory", "--preset", "tiny", "--json"}, "memory_json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["computed_not_measured"], true);
    const double n = j["params"]["total"].get<double>();
    const double t = j["params"]["trainable"].get<double>();
    const double g = j["params"]["gemm_weights"].get<double>();
    const double s = j["params"]["weight_scales"].get<double>();
    ASSERT_EQ(j["recipes"].size(), 3u);
    EXPECT_DOUBLE_EQ(j["recipes"][0]["total"].get<double>(), 4 * n + 12 * t);
    EXPECT_DOUBLE_EQ(j["recipes"][1]["total"].get<double>(), 2 * n + 14 * t);
    EXPECT_DOUBLE_EQ(j["recipes"][2]["total"].get<double>(), g + 2 * (n - g) + 4 * s + 12 * t);
    EXPECT_NEAR(j["recipes"][0]["bytes_per_param"].get<double>(), 16.0, 1e-3);
}

TEST(CliFp8, MemoryTableAndBadPreset) {
    const Result r = tinyseek({"fp8", "memory", "--preset", "deepseek-v3"}, "memory_table");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* s : {"computed from the parameter count, not measured", "master weights",
                          "AdamW m", "weight scales", "bytes / param", "fp32", "bf16", "fp8"})
        EXPECT_TRUE(contains(r.out, s)) << s << "\n" << r.out;
    const Result bad = tinyseek({"fp8", "memory", "--preset", "huge"}, "memory_bad");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_TRUE(contains(bad.err, "--preset")) << bad.err;
}

// `train --precision fp8`: the run trains, its stored configuration says how (so a resume or
// a comparison with its FP32 twin knows), and a precision or scaling that does not exist is
// a usage error naming the option.
TEST(CliFp8, TrainInFp8StoresTheRecipe) {
    const fs::path dir = scratch("train_fp8");
    const fs::path db = dir / "runs.db";
    Result r = tinyseek(
        {"train", "--db", db.string(), "--pipeline", "sft", "--sft-steps", "3", "--eval-n", "0",
         "--precision", "fp8", "--fp8-tile", "32", "--fp8-grad-format", "e5m2", "--json"},
        "train_fp8");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["status"], "completed");
    r = tinyseek({"runs", "list", "--db", db.string(), "--json"}, "train_fp8_list");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)[0]["precision"], "fp8");
    for (const auto& [flag, value, expected] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"--precision", "fp16", "--precision"},
             {"--fp8-scaling", "rows", "--fp8-scaling"},
             {"--fp8-grad-format", "e3m4", "--fp8-grad-format"},
             {"--fp8-accumulator", "fp16", "--fp8-accumulator"},
             {"--fp8-promote-every", "-1", "--fp8-promote-every"},
             {"--fp8-moments", "fp8", "--fp8-moments"}}) {
        r = tinyseek({"train", "--db", db.string(), flag, value}, "bad" + flag);
        EXPECT_EQ(r.exit_code, 2) << flag;
        EXPECT_TRUE(contains(r.err, expected)) << r.err;
    }
    // Its FP32 twin, then the gap between them (the tile and gradient format are the FP8
    // recipe's, not part of what makes two runs twins).
    r = tinyseek({"train", "--db", db.string(), "--pipeline", "sft", "--sft-steps", "3", "--eval-n",
                  "0", "--json"},
                 "train_fp32");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = tinyseek({"fp8", "loss-gap", "--db", db.string(), "--run", "2", "--json"}, "gap_json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json gap = nlohmann::json::parse(r.out);
    EXPECT_EQ(gap["sft_steps"], 3);
    EXPECT_EQ(gap["fp8"]["run"], 1);
    EXPECT_EQ(gap["fp32"]["run"], 2);
    EXPECT_TRUE(gap["fp32_other_seed"].is_null());
    EXPECT_TRUE(gap["fp8_gap"]["whole"].is_number()) << r.out;
    EXPECT_TRUE(gap["fp32_seed_gap"]["whole"].is_null());
    r = tinyseek({"fp8", "loss-gap", "--db", db.string(), "--run", "1"}, "gap_text");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "fp8 vs fp32 ")) << r.out;
    r = tinyseek({"fp8", "loss-gap", "--db", db.string(), "--run", "9"}, "gap_missing");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "9")) << r.err;
}
