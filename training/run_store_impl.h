// RunStore internals shared by run_store.cpp (open, runs, writes), run_store_read.cpp and
// run_store_rollouts.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "training/run_store.h"
#include "training/run_store_sqlite.h"

namespace tinyseek {

struct RunStore::Impl {
    std::string path;
    OpenOptions options;
    sqlite::Connection conn;
    // Kept for the hot path of append_step (prepared once, reused every step).
    mutable sqlite::Statement run_exists;
    sqlite::Statement step_exists;
    sqlite::Statement insert_step;
    sqlite::Statement insert_metric;
    sqlite::Statement insert_expert;
    sqlite::Statement insert_rollout;

    void open();
    // The phases of open().
    void connect();
    std::int64_t read_version();         // PRAGMA user_version
    std::int64_t read_schema_version();  // the first read of the file
    void check_schema(std::int64_t version);
    void check_integrity();
    void check_readable(std::int64_t version) const;  // a read-only open cannot migrate
    void prepare_for_writing(std::int64_t version);
    void migrate();
    void prepare_write_statements();
    bool has_run(std::int64_t run_id) const;
    // Throws StoreError(not_found) naming the run.
    void require_run(std::int64_t run_id) const;
    void require_writable() const;
    // Inserts the rows of `rollouts` (inside the caller's transaction).
    void insert_rollouts(std::int64_t run_id, std::int64_t step,
                         const std::vector<RolloutSample>& rollouts);

    // Runs `f`; a StoreError it throws is re-thrown with the file and `context` in front:
    // "run store '<path>': <context>: <reason>".
    template <class F>
    auto guard(const std::string& context, F&& f) const -> decltype(f()) {
        try {
            return std::forward<F>(f)();
        } catch (const StoreError& e) {
            throw StoreError(e.kind(), "run store '" + path + "': " + context + ": " + e.what());
        }
    }
};

// Rollouts matching `q` (limit < 0: all), ordered as RunStore::rollouts() documents.
std::vector<StoredRollout> query_rollouts(const sqlite::Connection& conn, std::int64_t run_id,
                                          const RolloutQuery& q, std::int64_t limit);

}  // namespace tinyseek
