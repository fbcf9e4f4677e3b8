// An imported source as a run in the store: kind "imported", the source path and format and
// the source's own configuration in the run's config, its steps merged in. Importing the same
// path again updates that run instead of adding another.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imports/imported_run.h"
#include "imports/log_source.h"
#include "training/run_store.h"

namespace tinyseek::imports {

inline constexpr const char* kImportedKind = "imported";

// The imported run whose source is `source_path`, if the store holds one.
std::optional<std::int64_t> find_imported_run(const RunStore& store, const std::string& source_path);

// Reads a source into one run, poll by poll: the first write replaces whatever the run held
// (a new import of the whole source), later ones add what the source added (following).
class RunImport {
  public:
    RunImport(RunStore& store, LogSource& source);

    struct Update {
        std::int64_t steps = 0;    // steps written (new or changed)
        std::int64_t points = 0;   // scalar values
        std::int64_t samples = 0;  // completions
        std::int64_t unsupported = 0;
        std::vector<ImportIssue> issues;
        bool restarted = false;  // the source was read again from its start
        // What was written, by step (run ids set; a wall_time the source does not give is
        // NaN): what a live view appends.
        std::vector<StepReport> reports;
    };
    // Polls the source and writes what it returned, in one transaction. Throws ImportError
    // (io) or StoreError; nothing of that poll is then stored.
    Update poll();
    std::int64_t run_id() const { return run_id_; }  // 0 until the first poll of a new source
    bool created() const { return created_; }  // false: an earlier import of the source
    // The run's status while and after following (running while new steps may come).
    void set_status(RunStatus status);

  private:
    std::vector<StepReport> write(ImportedLog& log);

    RunStore& store_;
    LogSource& source_;
    std::int64_t run_id_ = 0;
    bool created_ = false;
    bool first_ = true;
    Stage stage_ = Stage::grpo;
    nlohmann::json config_;
};

}  // namespace tinyseek::imports
