// The real `tinyseek` binary run as a child process with no display at all (DISPLAY,
// WAYLAND_DISPLAY and QT_QPA_PLATFORM removed from its environment) and a scratch settings
// folder: --help/--version, unknown commands and options, and the demo. Runs against both
// builds (with and without the workbench window); the window's own options are in
// test_cli_window.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace {

using namespace cli_test;

std::string project_version() {
    const std::string cmake = slurp(fs::path(TINYSEEK_SOURCE_DIR) / "CMakeLists.txt");
    std::smatch m;
    if (!std::regex_search(cmake, m, std::regex(R"(project\(tinyseek VERSION ([0-9.]+))")))
        return "?";
    return m[1];
}

}  // namespace

TEST(CliBasics, HelpExitsZeroAndListsCommands) {
    const Result r = tinyseek({"--help"}, "help");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "TinySeek Workbench")) << r.out;
    EXPECT_TRUE(contains(r.out, "demo")) << r.out;
    EXPECT_TRUE(contains(r.out, "grm scale")) << r.out;
    // The window's options are listed only by a build that has the window.
    EXPECT_EQ(contains(r.out, "--screenshot"), TINYSEEK_WITH_GUI != 0) << r.out;
    EXPECT_EQ(contains(r.out, "no workbench window"), TINYSEEK_WITH_GUI == 0) << r.out;
}

TEST(CliBasics, ExportFormatsFollowTheBuild) {
    const Result r =
        tinyseek({"export", "--db", "x.db", "--run", "1", "--out", "o", "--formats", "png"},
                 "export_formats");
    if (TINYSEEK_WITH_GUI) {
        EXPECT_FALSE(contains(r.err, "not supported")) << r.err;  // refused for the missing db
    } else {
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_TRUE(contains(r.err, "'png' is not supported by this build (supported: csv)"))
            << r.err;
    }
}

TEST(CliBasics, HeadlessBuildWithoutCommandSaysItHasNoWindow) {
    if (TINYSEEK_WITH_GUI) GTEST_SKIP() << "this build has the window (test_cli_window)";
    const Result r = tinyseek({}, "no_window");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "TINYSEEK_BUILD_GUI=OFF")) << r.err;
    EXPECT_TRUE(contains(r.err, "tinyseek demo")) << r.err;
}

TEST(CliBasics, VersionExitsZeroWithProjectVersion) {
    const Result r = tinyseek({"--version"}, "version");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "tinyseek " + project_version() + "\n");
}

TEST(CliBasics, UnknownCommandIsNamedOnStderr) {
    const Result r = tinyseek({"frobnicate"}, "unknown_command");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(contains(r.err, "frobnicate")) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(CliBasics, ACommandGroupListsItsCommands) {
    const Result grm = tinyseek({"grm", "--help"}, "group_help");
    EXPECT_EQ(grm.exit_code, 0) << grm.err;
    EXPECT_TRUE(contains(grm.out, "Usage: tinyseek grm <command>")) << grm.out;
    EXPECT_TRUE(contains(grm.out, "grm train")) << grm.out;
    EXPECT_TRUE(contains(grm.out, "grm scale")) << grm.out;
    EXPECT_FALSE(contains(grm.out, "runs list")) << grm.out;
    const Result runs = tinyseek({"runs", "-h"}, "group_help_runs");
    EXPECT_EQ(runs.exit_code, 0) << runs.err;
    EXPECT_TRUE(contains(runs.out, "runs list")) << runs.out;
    // Without a command, or with one the group does not have: usage on stderr, exit 2.
    const Result bare = tinyseek({"grm"}, "group_bare");
    EXPECT_EQ(bare.exit_code, 2);
    EXPECT_TRUE(contains(bare.err, "a command is missing")) << bare.err;
    EXPECT_TRUE(contains(bare.err, "grm scale")) << bare.err;
    const Result wrong = tinyseek({"grm", "evaluate"}, "group_wrong");
    EXPECT_EQ(wrong.exit_code, 2);
    EXPECT_TRUE(contains(wrong.err, "unknown command 'grm evaluate'")) << wrong.err;
    EXPECT_TRUE(contains(wrong.err, "grm train")) << wrong.err;
    EXPECT_TRUE(wrong.out.empty()) << wrong.out;
}

TEST(CliBasics, UnknownOptionOfKnownCommandExitsTwo) {
    const Result r = tinyseek({"demo", "--bogus"}, "unknown_option");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--bogus")) << r.err;
}

TEST(CliBasics, DemoPrintsTinyConfigAndParameterGroups) {
    // The demo trains the default pipeline for minutes; a tiny training config and a scratch
    // database keep it to a second and out of the user's data directory.
    const fs::path files = scratch("demo_files");
    std::ofstream(files / "tiny.json") << R"({"pipeline": ["sft"], "sft": {"steps": 2},
        "eval": {"n": 4}, "model": {"hidden_size": 32, "num_hidden_layers": 2,
        "q_lora_rank": 16, "kv_lora_rank": 8, "qk_nope_head_dim": 8, "qk_rope_head_dim": 8,
        "v_head_dim": 8, "moe_intermediate_size": 16, "intermediate_size": 48}})";
    const Result r = tinyseek(
        {"demo", "--db", (files / "demo.db").string(), "--config", (files / "tiny.json").string()},
        "demo");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(files / "demo.db"));
    EXPECT_TRUE(contains(r.out, "completed after 2 of 2 steps")) << r.out;
    EXPECT_TRUE(contains(r.out, (files / "demo.db").string())) << r.out;
    EXPECT_TRUE(contains(r.out, "Bundled model 'tiny'")) << r.out;
    EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(hidden_size\s+128\n)"))) << r.out;
    EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(8 routed \(2 per token\) \+ 1 shared)")))
        << r.out;
    // Routed experts of the main model: 3 MoE layers x 8 experts x 3 matrices of 128 x 128
    // (gate, up: (128, 128); down: (128, 128)) = 1,179,648.
    EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(routed_experts\s+1,179,648\n)"))) << r.out;
    // The groups add up to the printed total.
    std::map<std::string, long long> groups;
    const std::regex line(R"(  ([a-z_]+)\s+([0-9,]+))");
    std::istringstream lines(r.out);
    for (std::string text; std::getline(lines, text);) {
        std::smatch m;
        if (!std::regex_match(text, m, line)) continue;
        std::string digits = m[2];
        digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
        groups[m[1]] = std::stoll(digits);
    }
    ASSERT_TRUE(groups.count("total")) << r.out;
    long long sum = 0;
    for (const char* g : {"embedding", "attention", "norms", "dense_mlp", "routed_experts",
                          "shared_experts", "router", "head", "mtp"}) {
        ASSERT_TRUE(groups.count(g)) << g << "\n" << r.out;
        sum += groups[g];
    }
    EXPECT_EQ(sum, groups["total"]);
}
