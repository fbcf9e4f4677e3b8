// Running the real `tinyseek` binary from GoogleTest: one child process per call, stdout and
// stderr captured through files in a scratch folder of the running test.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cli_test {

namespace fs = std::filesystem;

struct Result {
    int exit_code = -1;  // 128 + signal when the child was killed or crashed
    std::string out;
    std::string err;
};

// A fresh folder `name` under the running test's own folder. ctest runs every test case as
// its own process, in parallel, so nothing may be shared between two cases on disk.
fs::path scratch(const std::string& name);

// Starts `binary` with `args` in an environment without a display (DISPLAY, WAYLAND_DISPLAY
// and QT_QPA_PLATFORM removed), with private XDG config and runtime folders in `dir` (never
// the user's settings) and OMP_NUM_THREADS=2 unless set; stdout/stderr go to files in `dir`.
// Returns the pid, or -1 if the process could not be started.
pid_t spawn(const std::vector<std::string>& args, const fs::path& dir,
            const std::string& binary = TINYSEEK_BINARY);

// Waits for `pid` and reads what it wrote to `dir`.
Result wait_for(pid_t pid, const fs::path& dir);

// spawn + wait_for in scratch("run_" + tag).
Result tinyseek(const std::vector<std::string>& args, const std::string& tag);

std::string slurp(const fs::path& path);
bool contains(const std::string& text, const std::string& part);

// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

struct PngSize {
    bool valid = false;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};
// Width and height from a PNG's IHDR chunk; invalid when the bytes are not a PNG.
PngSize png_size(const std::string& bytes);

}  // namespace cli_test
