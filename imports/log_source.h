// A run another program wrote, found on disk and read as it grows. find_sources() looks at a
// file or searches a directory; each LogSource then returns, poll by poll, what was added.
//
// What makes a source (docs/ARCHITECTURE.md "Imported runs"):
// - verl: a JSONL file of the file logger, with the generation dumps found beside it (folders
//   of <step>.jsonl files; a folder whose name contains "val" holds held-out samples);
// - TRL / transformers: a folder with trainer_state.json, itself or in checkpoint-N/ (the
//   newest one is read);
// - TensorBoard: a folder with events.out.tfevents.* files (one run, files in name order), or
//   one such file.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "imports/imported_run.h"

namespace tinyseek::imports {

class LogSource {
  public:
    virtual ~LogSource() = default;
    // The path that names the run: importing it again updates the same run.
    const std::string& path() const { return path_; }
    const std::string& format() const { return format_; }  // "verl", "trl", "tensorboard"
    // A name for the run list: the writer and the file or folder name.
    std::string display_name() const;
    // What was added since the last poll (all of it at the first). When a file was replaced
    // or truncated, everything is read again and the log says `restarted`. Throws
    // ImportError(io) when a file cannot be read.
    virtual ImportedLog poll() = 0;

  protected:
    LogSource(std::string path, std::string format)
        : path_(std::move(path)), format_(std::move(format)) {}

  private:
    std::string path_;
    std::string format_;
};

// The sources at `path` (a file, or a folder searched up to four levels down, hidden folders
// skipped), in path order. Throws ImportError(not_recognised) naming what was looked for when
// there is none, and ImportError(io) when `path` does not exist.
std::vector<std::unique_ptr<LogSource>> find_sources(const std::filesystem::path& path);

}  // namespace tinyseek::imports
