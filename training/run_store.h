// RunStore: one SQLite file holding many runs (SQLite C API, no Qt). The schema and example
// sqlite3 queries are in training/SCHEMA.md.
//
// - WAL journal, synchronous=NORMAL: readers (the GUI) never block the writer (the trainer),
//   and a committed step survives a crash of the process (kill -9).
// - One transaction per step: append_step() writes all rows of a StepReport atomically, with
//   prepared statements kept for the hot inserts.
// - Schema versions with migrations (PRAGMA user_version); a file from a newer TinySeek is
//   refused untouched.
// - Every failure is a StoreError (run_store_error.h) naming the file and what was being done;
//   a failed write rolls back and leaves everything stored earlier intact.
//
// Not thread-safe: use one RunStore per thread (e.g. the trainer's writer and the GUI's
// reader each open their own; WAL lets them work side by side).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "training/run_store_error.h"
#include "training/step_report.h"

namespace tinyseek {

enum class RunStatus { running, completed, failed, stopped };
const char* to_string(RunStatus status);
// Throws StoreError(invalid_argument) for an unknown name.
RunStatus parse_run_status(std::string_view text);

struct OpenOptions {
    bool read_only = false;           // browse only: no writes, no migration, file must exist
    int busy_timeout_ms = 5000;       // how long to wait for another writer's lock
    bool integrity_check = true;      // PRAGMA quick_check on open (O(file size))
    std::int64_t max_page_count = 0;  // > 0: cap the file at this many pages (SQLite's
                                      // PRAGMA max_page_count); writes beyond fail as disk_full
};

struct NewRun {
    std::string name;
    std::string kind;                // e.g. "sft", "grpo", "pipeline", "control", "grm"
    std::string config_json = "{}";  // must be valid JSON
    std::optional<std::int64_t> parent_run_id =
        std::nullopt;  // the run a control arm is compared with
};

struct RunInfo {
    std::int64_t id = 0;
    std::string name;
    std::string kind;
    std::string config_json;
    RunStatus status = RunStatus::running;
    std::string created;   // ISO 8601 UTC, e.g. "2026-11-23T14:16:13.512Z"
    std::string finished;  // empty while running
    std::optional<std::int64_t> parent_run_id;
    std::string error;  // why a failed run failed; empty otherwise
    std::int64_t n_steps = 0;
    std::optional<std::int64_t> last_step;
    std::optional<double> best_eval_accuracy;  // max of metric "eval/accuracy"
};

struct MetricPoint {
    std::int64_t step = 0;
    double wall_time = 0.0;
    double value = 0.0;  // NaN when NaN was logged (SQLite stores it as NULL)
    bool operator==(const MetricPoint&) const = default;
};
using MetricSeries = std::vector<MetricPoint>;  // ordered by step

// Expert matrices of one step; a matrix is empty when the step did not record it.
struct ExpertSnapshot {
    std::int64_t step = 0;
    ExpertMatrix load;
    ExpertMatrix gate_weight;
    ExpertMatrix bias;
};

// One layer's expert statistics over the stored steps: row i is steps[i]. Arrays are
// (steps.size(), experts) row-major; gate_weight / bias are empty if never recorded.
struct ExpertHistory {
    int layer = 0;
    int experts = 0;
    std::vector<std::int64_t> steps;
    std::vector<float> load;
    std::vector<float> gate_weight;
    std::vector<float> bias;
};

struct RolloutQuery {
    RolloutSource source = RolloutSource::train;
    std::optional<std::int64_t> min_step = std::nullopt;  // inclusive
    std::optional<std::int64_t> max_step = std::nullopt;  // inclusive
    std::optional<double> min_reward = std::nullopt;      // on the total reward, inclusive
    std::optional<int> group = std::nullopt;  // one group (GRPO) or held-out problem (evaluation)
    bool with_tokens = false;                 // also read the per-token values
    std::int64_t limit = 100;                 // page size, >= 0
    std::int64_t offset = 0;                  // rows to skip, >= 0
};

// One prompt's stored completions at one step, summarised: a row of the Rollouts page's
// unique-prompt mode.
struct RolloutGroup {
    std::int64_t step = 0;
    int group = 0;
    std::string prompt;
    int completions = 0;
    int correct = 0;  // completions whose accuracy reward is 1
    double mean_reward = 0.0, min_reward = 0.0, max_reward = 0.0;
    double mean_length = 0.0;
};

// Reward, advantage and length of every stored completion of one source, ordered by step:
// what the histogram-over-steps views draw. Columns of equal length.
struct RolloutColumns {
    std::vector<std::int64_t> step;
    std::vector<double> reward, advantage, length;
};

struct StoredRollout {
    std::int64_t id = 0;  // row id, stable: pages ordered by (step, id)
    std::int64_t step = 0;
    RolloutSample sample;
};

struct CheckpointInfo {
    std::int64_t step = 0;
    std::string path;
    std::string created;
};

// One point of the reward-model lab's inference-time scaling experiment.
struct ScalingResult {
    std::int64_t run_id = 0;
    std::string method;  // "greedy", "voting", "meta_rm", "scalar_rm"
    int k = 1;
    double accuracy = 0.0;
    double tokens_per_item = 0.0;
    std::int64_t seed = 0;
    std::int64_t n_items = 0;
    bool operator==(const ScalingResult&) const = default;
};

// One pass@k / maj@k curve of a run's checkpoint (training/pass_at_k.h): ks ascending, pass and
// majority aligned with them.
struct StoredPassAtK {
    std::int64_t run_id = 0;
    std::int64_t step = 0;  // the checkpoint's step
    double temperature = 1.0;
    int problems = 0;
    int samples = 0;  // n per problem
    std::int64_t seed = 0;
    std::vector<int> ks;
    std::vector<double> pass;
    std::vector<double> majority;
    std::string created;  // when it was stored (set by the store)
};

class RunStore : public StepSink {
  public:
    // Opens or (read-write) creates `path`, checks it and migrates it to the current schema.
    // Throws StoreError: not_a_database, corrupt, newer_schema, read_only (a read-only file
    // opened for writing), older_schema (read-only open of an old file), not_found, locked,
    // io.
    explicit RunStore(const std::string& path, const OpenOptions& options = {});
    ~RunStore() override;
    RunStore(RunStore&&) noexcept;
    RunStore& operator=(RunStore&&) noexcept;

    static int schema_version();  // the version this program writes
    const std::string& path() const;
    bool read_only() const;

    // Runs. Writes throw StoreError(read_only) on a read-only store.
    std::int64_t create_run(const NewRun& run);
    void rename_run(std::int64_t run_id, const std::string& name);
    // Replaces the stored configuration (a control arm stores its step budget once it is
    // measured). The text is stored as given; callers store TrainConfig::to_json().
    void set_config(std::int64_t run_id, const std::string& config_json);
    // `running` clears finished and error (a resumed run); other statuses set finished = now
    // and store `error` (meant for failed runs).
    void set_status(std::int64_t run_id, RunStatus status, const std::string& error = "");
    // set_status for a terminal status (completed, failed, stopped); throws for `running`.
    void finish(std::int64_t run_id, RunStatus status, const std::string& error = "");
    // Deletes the run and all its rows in one transaction; runs linked to it lose the link.
    void delete_run(std::int64_t run_id);
    std::vector<RunInfo> list_runs() const;
    RunInfo run(std::int64_t run_id) const;  // throws StoreError(not_found)

    // Steps. append_step writes everything of the report in one transaction; on failure
    // nothing of that step is stored and the StoreError says so. Steps are append-only: a
    // step number already stored is refused (invalid_argument).
    void append_step(const StepReport& report);
    void on_step(const StepReport& report) override { append_step(report); }
    // Deletes every row of steps > `step` (one transaction): a run resumed from the
    // checkpoint at `step` re-runs them.
    void truncate_after(std::int64_t run_id, std::int64_t step);
    // Steps read from another program's logs (imports/): merges `reports` into run_id in one
    // transaction, all or nothing. A step already stored keeps what the report does not
    // replace: its wall_time unless the report's is known (not NaN), its other metrics, and
    // its rollouts of the sources the report holds none of; the report's metrics replace
    // stored values of the same key, and its rollouts replace the step's stored rollouts of
    // their source. A new step without a wall_time stores 0. `replace_all` first removes every
    // step of the run (a source read again from its start). Report run ids are ignored.
    void merge_steps(std::int64_t run_id, const std::vector<StepReport>& reports,
                     bool replace_all = false);
    std::vector<std::int64_t> steps(std::int64_t run_id) const;
    // The full report of a stored step, as the trainer gave it (throws not_found).
    StepReport load_step(std::int64_t run_id, std::int64_t step) const;

    // Metrics.
    std::vector<std::string> metric_keys(std::int64_t run_id) const;  // sorted
    MetricSeries metric_series(std::int64_t run_id, const std::string& key) const;
    // The points of steps first_step..last_step (both included).
    MetricSeries metric_series(std::int64_t run_id, const std::string& key, std::int64_t first_step,
                               std::int64_t last_step) const;
    // All keys when `keys` is empty; keys without points map to empty series.
    std::map<std::string, MetricSeries> metric_series(
        std::int64_t run_id, const std::vector<std::string>& keys = {}) const;

    // Expert load / gate weight / router bias.
    ExpertSnapshot expert_load_at(std::int64_t run_id, std::int64_t step) const;
    ExpertHistory expert_load_history(std::int64_t run_id, int layer) const;

    // Rollouts of query.source, ordered by (step, group, member, id).
    std::vector<StoredRollout> rollouts(std::int64_t run_id, const RolloutQuery& query = {}) const;
    std::int64_t count_rollouts(std::int64_t run_id, const RolloutQuery& query = {}) const;
    // The groups of those rollouts, ordered by (step, group). query.min_reward keeps the
    // groups with at least one completion that reaches it; with_tokens is ignored.
    std::vector<RolloutGroup> rollout_groups(std::int64_t run_id, const RolloutQuery& query) const;
    std::int64_t count_rollout_groups(std::int64_t run_id, const RolloutQuery& query) const;
    RolloutColumns rollout_columns(std::int64_t run_id, RolloutSource source) const;

    // Checkpoints (one per step; adding the same step again replaces the path).
    void add_checkpoint(std::int64_t run_id, std::int64_t step, const std::string& path);
    std::vector<CheckpointInfo> checkpoints(std::int64_t run_id) const;  // by step
    std::optional<CheckpointInfo> latest_checkpoint(std::int64_t run_id) const;
    // Forgets the checkpoints of `steps` (one transaction; steps without one are ignored).
    // The directories stay: the caller deletes them after this returns, so the database
    // never lists a checkpoint that is half deleted.
    void remove_checkpoints(std::int64_t run_id, const std::vector<std::int64_t>& steps);

    // Reward-model lab.
    void add_scaling_result(const ScalingResult& result);
    std::vector<ScalingResult> scaling_results(std::int64_t run_id) const;  // by method, k

    // pass@k curves. Storing a curve replaces one of the same run, step, temperature,
    // problems, samples and seed (one transaction). Throws invalid_argument for mismatched
    // lengths, k < 1 or non-ascending k, a value outside [0, 1], or no samples.
    void add_pass_at_k(const StoredPassAtK& curve);
    std::vector<StoredPassAtK> pass_at_k_curves(std::int64_t run_id) const;  // by step, then
                                                                             // temperature

    // Full PRAGMA integrity_check: "ok" or SQLite's list of problems.
    std::string integrity_check() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tinyseek
