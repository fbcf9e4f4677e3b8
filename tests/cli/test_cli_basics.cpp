// The real `tinyseek` binary run as a child process with no display at all (DISPLAY,
// WAYLAND_DISPLAY and QT_QPA_PLATFORM removed from its environment) and a scratch settings
// folder: --help/--version, unknown commands and options, the no-display message, the
// headless screenshot (PNG checked from its bytes) and the demo.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::path(TINYSEEK_TEST_TMP) / "cli_basics" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// Runs the binary with `args`; stdout and stderr go to files in a scratch folder.
RunResult run(const std::vector<std::string>& args, const std::string& tag) {
    const fs::path dir = scratch("run_" + tag);
    const fs::path config = dir / "config";
    const fs::path runtime = dir / "runtime";
    fs::create_directories(config);
    fs::create_directories(runtime);
    ::chmod(runtime.c_str(), 0700);

    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        const std::string key = entry.substr(0, entry.find('='));
        if (key == "DISPLAY" || key == "WAYLAND_DISPLAY" || key == "QT_QPA_PLATFORM" ||
            key == "XDG_CONFIG_HOME" || key == "XDG_RUNTIME_DIR")
            continue;
        env.push_back(entry);
    }
    env.push_back("XDG_CONFIG_HOME=" + config.string());  // never the user's settings
    env.push_back("XDG_RUNTIME_DIR=" + runtime.string());

    std::vector<std::string> argv_s = {TINYSEEK_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);

    const fs::path out = dir / "stdout.txt";
    const fs::path err = dir / "stderr.txt";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    RunResult result;
    const int rc = posix_spawn(&pid, TINYSEEK_BINARY, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        result.err = std::string("posix_spawn failed: ") + std::strerror(rc);
        return result;
    }
    int status = 0;
    if (waitpid(pid, &status, 0) == pid) {
        if (WIFEXITED(status))
            result.exit_code = WEXITSTATUS(status);
        else if (WIFSIGNALED(status))
            result.exit_code = 128 + WTERMSIG(status);  // a crash shows as 128+signal
    }
    result.out = read_file(out);
    result.err = read_file(err);
    return result;
}

std::string project_version() {
    const std::string cmake = read_file(fs::path(TINYSEEK_SOURCE_DIR) / "CMakeLists.txt");
    std::smatch m;
    if (!std::regex_search(cmake, m, std::regex(R"(project\(tinyseek VERSION ([0-9.]+))")))
        return "?";
    return m[1];
}

struct PngSize {
    bool valid = false;
    uint32_t width = 0;
    uint32_t height = 0;
};

// The 8-byte PNG signature, then the IHDR chunk: length (4), "IHDR", width and height as
// big-endian 32-bit integers (PNG spec 11.2.2).
PngSize png_size(const std::string& bytes) {
    static const std::string signature("\x89PNG\r\n\x1a\n", 8);
    PngSize s;
    if (bytes.size() < 33 || bytes.compare(0, 8, signature) != 0) return s;
    if (bytes.compare(12, 4, "IHDR") != 0) return s;
    const auto be32 = [&](size_t at) {
        uint32_t v = 0;
        for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
        return v;
    };
    s.width = be32(16);
    s.height = be32(20);
    s.valid = true;
    return s;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(CliBasics, HelpExitsZeroAndListsCommands) {
    const RunResult r = run({"--help"}, "help");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "TinySeek Workbench")) << r.out;
    EXPECT_TRUE(contains(r.out, "--screenshot")) << r.out;
    EXPECT_TRUE(contains(r.out, "demo")) << r.out;
}

TEST(CliBasics, VersionExitsZeroWithProjectVersion) {
    const RunResult r = run({"--version"}, "version");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "tinyseek " + project_version() + "\n");
}

TEST(CliBasics, UnknownCommandIsNamedOnStderr) {
    const RunResult r = run({"frobnicate"}, "unknown_command");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(contains(r.err, "frobnicate")) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(CliBasics, UnknownOptionOfKnownCommandExitsTwo) {
    const RunResult r = run({"demo", "--bogus"}, "unknown_option");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--bogus")) << r.err;
}

TEST(CliBasics, UnknownWindowOptionExitsTwo) {
    const RunResult r = run({"--frobnicate"}, "unknown_window_option");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--frobnicate")) << r.err;
}

TEST(CliBasics, NoDisplayExplainsInsteadOfCrashing) {
    const RunResult r = run({}, "no_display");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(contains(r.err, "no display")) << r.err;
    EXPECT_TRUE(contains(r.err, "tinyseek demo")) << r.err;
    EXPECT_TRUE(contains(r.err, "QT_QPA_PLATFORM=offscreen")) << r.err;
}

TEST(CliBasics, HeadlessScreenshotWritesPngOfTheWindow) {
    const fs::path png = scratch("screenshot") / "routing.png";
    const RunResult r = run({"--screenshot", png.string(), "--page", "routing"}, "screenshot");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(fs::exists(png));
    const std::string bytes = read_file(png);
    const PngSize size = png_size(bytes);
    ASSERT_TRUE(size.valid) << "not a PNG: " << bytes.substr(0, 16);
    EXPECT_EQ(size.width, 1400u);
    EXPECT_EQ(size.height, 900u);
    // A window with text compresses far worse than a flat colour: a blank 1400x900 PNG is
    // about 6 kB, this window about 27 kB.
    EXPECT_GT(bytes.size(), 12000u);
}

TEST(CliBasics, ScreenshotInChineseAndDark) {
    const fs::path png = scratch("screenshot_zh") / "runs.png";
    const RunResult r =
        run({"--screenshot", png.string(), "--page", "runs", "--lang", "zh_CN", "--theme", "dark"},
            "screenshot_zh");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(png_size(read_file(png)).width, 1400u);
}

TEST(CliBasics, ScreenshotOfUnknownPageNamesIt) {
    const fs::path png = scratch("bad_page") / "x.png";
    const RunResult r = run({"--screenshot", png.string(), "--page", "nosuch"}, "bad_page");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(contains(r.err, "nosuch")) << r.err;
    EXPECT_TRUE(contains(r.err, "kv-cache")) << r.err;  // lists the valid names
    EXPECT_FALSE(fs::exists(png));
}

TEST(CliBasics, ScreenshotIntoMissingFolderFails) {
    const fs::path png = scratch("bad_folder") / "no" / "such" / "x.png";
    const RunResult r = run({"--screenshot", png.string()}, "bad_folder");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, png.string())) << r.err;
}

TEST(CliBasics, MissingDatabaseIsRefused) {
    const fs::path dir = scratch("missing_db");
    const fs::path db = dir / "nothing_here.db";
    const RunResult r =
        run({"--screenshot", (dir / "x.png").string(), "--db", db.string()}, "missing_db");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "nothing_here.db")) << r.err;
}

TEST(CliBasics, DemoPrintsTinyConfigAndParameterGroups) {
    // The demo trains the default pipeline for minutes; a tiny training config and a scratch
    // database keep it to a second and out of the user's data directory.
    const fs::path files = scratch("demo_files");
    std::ofstream(files / "tiny.json") << R"({"pipeline": ["sft"], "sft": {"steps": 2},
        "eval": {"n": 4}, "model": {"hidden_size": 32, "num_hidden_layers": 2,
        "q_lora_rank": 16, "kv_lora_rank": 8, "qk_nope_head_dim": 8, "qk_rope_head_dim": 8,
        "v_head_dim": 8, "moe_intermediate_size": 16, "intermediate_size": 48}})";
    const RunResult r = run(
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
