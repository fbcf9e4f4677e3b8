// A file another program may still be writing, read piece by piece: each poll() adds the bytes
// appended since the last one. A file that shrank or was replaced (another inode) is read
// again from its start, and poll() says so.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace tinyseek::imports {

// What identifies a version of a file: a change of any field means it changed.
struct FileStamp {
    std::uint64_t device = 0, inode = 0, size = 0;
    std::int64_t modified_ns = 0;
    bool exists = false;
    bool operator==(const FileStamp&) const = default;
};
FileStamp stamp_of(const std::filesystem::path& path);

// The whole file; throws ImportError(io) naming it when it cannot be read.
std::string read_whole_file(const std::filesystem::path& path);

class TailFile {
  public:
    explicit TailFile(std::filesystem::path path) : path_(std::move(path)) {}

    // Reads what was appended into pending(). Returns true when the file was truncated or
    // replaced since the last poll: pending() then starts at the new file's first byte.
    // A file that disappeared reads as unchanged. Throws ImportError(io).
    bool poll();
    std::string_view pending() const { return pending_; }
    // The caller used the first `n` bytes of pending().
    void consume(std::size_t n) { pending_.erase(0, n); }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
    std::string pending_;
    std::uint64_t offset_ = 0;  // bytes read so far
    FileStamp stamp_;
};

}  // namespace tinyseek::imports
