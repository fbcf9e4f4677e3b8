// Helpers of the import tests: the fixtures' folder (tests/imports/data, written by the scripts
// there the way the real writers write), whole-source reads and byte-level file edits.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "imports/log_source.h"
#include "tests/scratch_dir.h"

namespace tinyseek::testing {

inline std::filesystem::path fixture(const std::string& rel) {
    return std::filesystem::path(TINYSEEK_SOURCE_DIR) / "tests/imports/data" / rel;
}

// Everything the one source at `path` holds.
inline imports::ImportedLog read_all(const std::filesystem::path& path) {
    auto sources = imports::find_sources(path);
    if (sources.size() != 1) throw std::runtime_error("expected one source");
    return sources.front()->poll();
}

inline std::string file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& p, const std::string& bytes,
                        bool append = false) {
    std::ofstream out(p, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
    out << bytes;
}

inline int count_issues(const imports::ImportedLog& log, imports::ImportIssue::Kind kind) {
    int n = 0;
    for (const auto& issue : log.issues) n += issue.kind == kind;
    return n;
}

}  // namespace tinyseek::testing
