// libFuzzer target: a run database made of arbitrary bytes. The bytes are written to a file,
// which is opened read-only (as the window's reader and `tinyseek runs` do) and then
// read-write (as a resumed run does), and everything a reader can ask for is read. The only
// allowed failure is StoreError; a crash, a hang, a sanitizer report or any other exception
// is a bug. At most a few runs and steps are read, so one input stays fast.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "training/run_store.h"

using namespace tinyseek;

namespace {

constexpr std::size_t kMaxRuns = 4;
constexpr std::size_t kMaxSteps = 4;

void read_run(const RunStore& store, std::int64_t run_id) {
    store.run(run_id);
    const std::vector<std::int64_t> steps = store.steps(run_id);
    for (std::size_t i = 0; i < std::min(steps.size(), kMaxSteps); ++i) {
        store.load_step(run_id, steps[i]);
        store.expert_load_at(run_id, steps[i]);
    }
    for (const std::string& key : store.metric_keys(run_id)) store.metric_series(run_id, key);
    store.metric_series(run_id);
    store.expert_load_history(run_id, 0);
    store.expert_load_history(run_id, 1);
    RolloutQuery query;
    query.limit = 8;
    store.rollouts(run_id, query);
    store.count_rollouts(run_id, query);
    query.with_tokens = true;
    store.rollouts(run_id, query);
    store.rollout_groups(run_id, query);
    store.count_rollout_groups(run_id, query);
    query.source = RolloutSource::eval;
    store.rollouts(run_id, query);
    store.rollout_columns(run_id, RolloutSource::train);
    store.checkpoints(run_id);
    store.latest_checkpoint(run_id);
    store.scaling_results(run_id);
}

void read_everything(const std::string& path, bool read_only) {
    OpenOptions options;
    options.read_only = read_only;
    options.busy_timeout_ms = 0;
    try {
        RunStore store(path, options);
        const std::vector<RunInfo> runs = store.list_runs();
        for (std::size_t i = 0; i < std::min(runs.size(), kMaxRuns); ++i) {
            try {
                read_run(store, runs[i].id);
            } catch (const StoreError&) {
                // one damaged run must not hide the others
            }
        }
        store.integrity_check();
    } catch (const StoreError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() /
                 ("tinyseek-fuzz-run-store-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    const std::filesystem::path db = dir / "runs.db";
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(db.string() + suffix);
    std::ofstream(db, std::ios::binary)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    read_everything(db.string(), true);
    read_everything(db.string(), false);
    return 0;
}
