// `tinyseek fp8 gemm-error` as the real binary: the table, the --json document, and usage
// errors (exit code 2, the option named, nothing on stdout).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
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
