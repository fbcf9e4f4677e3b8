#include "cli_harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

extern char** environ;

namespace cli_test {

fs::path scratch(const std::string& name) {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string owner = test != nullptr
                                  ? std::string(test->test_suite_name()) + "." + test->name()
                                  : "pid" + std::to_string(getpid());
    const fs::path dir = fs::path(TINYSEEK_TEST_TMP) / "cli" / owner / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

namespace {

std::vector<std::string> child_environment(const fs::path& dir) {
    const fs::path config = dir / "config";
    const fs::path runtime = dir / "runtime";
    fs::create_directories(config);
    fs::create_directories(runtime);
    ::chmod(runtime.c_str(), 0700);  // Qt refuses a runtime folder others can read

    std::vector<std::string> env;
    bool has_omp = false;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        const std::string key = entry.substr(0, entry.find('='));
        if (key == "DISPLAY" || key == "WAYLAND_DISPLAY" || key == "QT_QPA_PLATFORM" ||
            key == "XDG_CONFIG_HOME" || key == "XDG_RUNTIME_DIR")
            continue;
        has_omp = has_omp || key == "OMP_NUM_THREADS";
        env.push_back(entry);
    }
    env.push_back("XDG_CONFIG_HOME=" + config.string());
    env.push_back("XDG_RUNTIME_DIR=" + runtime.string());
    if (!has_omp) env.push_back("OMP_NUM_THREADS=2");
    return env;
}

}  // namespace

pid_t spawn(const std::vector<std::string>& args, const fs::path& dir, const std::string& binary) {
    std::vector<std::string> env = child_environment(dir);
    std::vector<std::string> argv_s = {binary};
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
    const int rc = posix_spawnp(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

Result wait_for(pid_t pid, const fs::path& dir) {
    Result r;
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid) {
        if (WIFEXITED(status))
            r.exit_code = WEXITSTATUS(status);
        else if (WIFSIGNALED(status))
            r.exit_code = 128 + WTERMSIG(status);
    }
    r.out = slurp(dir / "stdout.txt");
    r.err = slurp(dir / "stderr.txt");
    if (pid <= 0) r.err = "could not start the process; " + r.err;
    return r;
}

Result tinyseek(const std::vector<std::string>& args, const std::string& tag) {
    const fs::path dir = scratch("run_" + tag);
    return wait_for(spawn(args, dir), dir);
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(field);
            field.clear();
        } else if (c == '\n') {
            row.push_back(field);
            field.clear();
            rows.push_back(row);
            row.clear();
        } else if (c != '\r') {
            field += c;
        }
    }
    if (!field.empty() || !row.empty()) {  // last record without a line break
        row.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

// The 8-byte PNG signature, then the IHDR chunk: length (4), "IHDR", width and height as
// big-endian 32-bit integers (PNG spec 11.2.2).
PngSize png_size(const std::string& bytes) {
    static const std::string signature("\x89PNG\r\n\x1a\n", 8);
    PngSize s;
    if (bytes.size() < 33 || bytes.compare(0, 8, signature) != 0) return s;
    if (bytes.compare(12, 4, "IHDR") != 0) return s;
    const auto be32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 4; ++i)
            v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
        return v;
    };
    s.width = be32(16);
    s.height = be32(20);
    s.valid = true;
    return s;
}

}  // namespace cli_test
