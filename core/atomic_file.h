// AtomicFileWriter: writes a file so that readers (and a crash at any moment) see either the
// old file or the complete new one, never a prefix. The bytes go to a temp file in the same
// directory (rename is only atomic within one file system), which is fsync'ed, renamed over
// the target, and then the directory is fsync'ed so the rename itself is durable.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tinyseek {

class AtomicFileWriter {
  public:
    // Creates "<path>.tmp-XXXXXX" next to `path`. Throws CheckpointError naming `path`.
    explicit AtomicFileWriter(std::string path);
    // Removes the temp file unless commit() succeeded; never throws.
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

    void write(const void* data, size_t bytes);
    void write(std::string_view text) { write(text.data(), text.size()); }
    // fsync + close + rename over `path` + fsync of the directory.
    void commit();

    const std::string& path() const { return path_; }

  private:
    [[noreturn]] void fail(const std::string& what, int err);

    std::string path_;
    std::string tmp_path_;
    int fd_ = -1;
    bool committed_ = false;
};

// Whole-file convenience: AtomicFileWriter + write + commit.
void write_file_atomic(const std::string& path, std::string_view contents);

// fsync of a directory, so renames and creations inside it survive a crash. Throws
// CheckpointError naming the directory.
void sync_directory(const std::string& dir);

}  // namespace tinyseek
