#include "training/run_store.h"

#include <sqlite3.h>

#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "training/run_store_impl.h"
#include "training/run_store_schema.h"
#include "training/token_values_codec.h"

namespace tinyseek {

namespace {

using K = StoreError::Kind;
constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

std::string step_context(const StepReport& r) {
    return "step " + std::to_string(r.step) + " of run " + std::to_string(r.run_id) +
           " was not stored (earlier steps are kept)";
}

// The three matrices of a step share one row layout in expert_load: every non-empty one must
// have the same layers and expert count.
const ExpertMatrix* expert_layout(const StepReport& r) {
    const ExpertMatrix* layout = nullptr;
    const std::pair<const ExpertMatrix*, const char*> all[] = {{&r.expert_load, "expert_load"},
                                                               {&r.gate_weight, "gate_weight"},
                                                               {&r.router_bias, "router_bias"}};
    for (const auto& [m, name] : all) {
        try {
            m->check_shape(name);
        } catch (const Error& e) {
            throw StoreError(K::invalid_argument, e.what());
        }
        if (m->empty()) continue;
        if (!layout) {
            layout = m;
        } else if (m->layers != layout->layers || m->experts != layout->experts) {
            throw StoreError(K::invalid_argument,
                             std::string(name) +
                                 " has a different (layers x experts) layout than "
                                 "the other expert matrices of the step");
        }
    }
    return layout;
}

}  // namespace

const char* to_string(RunStatus status) {
    switch (status) {
        case RunStatus::running:
            return "running";
        case RunStatus::completed:
            return "completed";
        case RunStatus::failed:
            return "failed";
        case RunStatus::stopped:
            return "stopped";
    }
    return "running";
}

RunStatus parse_run_status(std::string_view text) {
    for (RunStatus s :
         {RunStatus::running, RunStatus::completed, RunStatus::failed, RunStatus::stopped}) {
        if (text == to_string(s)) return s;
    }
    throw StoreError(K::invalid_argument, "unknown run status '" + std::string(text) +
                                              "', expected running, completed, failed or stopped");
}

void RunStore::Impl::open() {
    connect();
    const std::int64_t version = read_schema_version();
    check_schema(version);
    if (options.integrity_check && version > 0) check_integrity();
    if (options.read_only)
        check_readable(version);
    else
        prepare_for_writing(version);
    run_exists = sqlite::Statement(conn, "SELECT 1 FROM runs WHERE id = ?1", true);
}

void RunStore::Impl::connect() {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (options.read_only && !fs::exists(path, ec)) {
        throw StoreError(K::not_found, "the file does not exist");
    }
    if (options.busy_timeout_ms < 0) {
        throw StoreError(K::invalid_argument, "busy_timeout_ms must be >= 0, got " +
                                                  std::to_string(options.busy_timeout_ms));
    }
    conn = sqlite::Connection(path, options.read_only, options.busy_timeout_ms);
    if (!options.read_only && sqlite3_db_readonly(conn.get(), "main") == 1) {
        throw StoreError(K::read_only,
                         "the file is read-only (check its permissions); open it read-only to "
                         "browse its runs");
    }
}

std::int64_t RunStore::Impl::read_version() {
    sqlite::Statement stmt(conn, "PRAGMA user_version");
    stmt.step();
    return stmt.column_int(0);
}

std::int64_t RunStore::Impl::read_schema_version() {
    // The first read touches the file: a non-SQLite file fails here with SQLITE_NOTADB.
    try {
        return read_version();
    } catch (const StoreError& e) {
        // A WAL database cannot be read without its -shm index; when this user may not
        // create it (read-only directory), browse the file as immutable instead.
        if (!options.read_only || e.kind() != K::read_only) throw;
        conn = sqlite::Connection(path, true, options.busy_timeout_ms, true);
        return read_version();
    }
}

void RunStore::Impl::check_schema(std::int64_t version) {
    constexpr int current = run_store_schema::kCurrentVersion;
    if (version == 0) {
        sqlite::Statement tables(conn, "SELECT count(*) FROM sqlite_master");
        tables.step();
        if (const auto n = tables.column_int(0); n > 0) {
            throw StoreError(
                K::not_a_database,
                "the file is an SQLite database but not a TinySeek run store (it has " +
                    std::to_string(n) + " schema objects and no schema version)");
        }
    }
    if (version < 0) {  // no version of the program writes one; found by fuzz/fuzz_run_store
        throw StoreError(K::not_a_database,
                         "the file is an SQLite database but not a TinySeek run store (schema "
                         "version " +
                             std::to_string(version) + ")");
    }
    if (version > current) {
        throw StoreError(K::newer_schema,
                         "it was written by a newer TinySeek (schema version " +
                             std::to_string(version) + "; this program reads up to version " +
                             std::to_string(current) +
                             "); the file is left untouched, open it with a newer TinySeek");
    }
}

void RunStore::Impl::check_integrity() {
    std::string problems;
    try {
        sqlite::Statement check(conn, "PRAGMA quick_check(5)");
        while (check.step()) {
            const std::string line = check.column_text(0);
            if (line == "ok") continue;
            if (!problems.empty()) problems += "; ";
            problems += line;
        }
    } catch (const StoreError& e) {
        // Damage bad enough that the check itself stops with SQLITE_CORRUPT.
        if (e.kind() != K::corrupt) throw;
        problems = e.what();
    }
    if (!problems.empty()) {
        throw StoreError(K::corrupt,
                         "the integrity check failed (" + problems +
                             "); the file is left untouched: restore a backup, or recover "
                             "what is readable with `sqlite3 FILE .recover`");
    }
}

void RunStore::Impl::check_readable(std::int64_t version) const {
    constexpr int current = run_store_schema::kCurrentVersion;
    if (version == 0) {
        throw StoreError(K::not_a_database, "the file holds no run store yet (empty database)");
    }
    if (version < current) {
        throw StoreError(K::older_schema,
                         "it has schema version " + std::to_string(version) +
                             " and needs migrating to version " + std::to_string(current) +
                             ", which a read-only open cannot do; open it once for writing");
    }
}

void RunStore::Impl::prepare_for_writing(std::int64_t version) {
    // WAL: the GUI reads while the trainer writes; NORMAL sync keeps committed
    // transactions across a process crash (only an OS crash may lose the last ones).
    conn.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    conn.exec("PRAGMA foreign_keys = ON");
    if (options.max_page_count > 0) {
        conn.exec(("PRAGMA max_page_count = " + std::to_string(options.max_page_count)).c_str());
    }
    if (version < run_store_schema::kCurrentVersion) migrate();
    prepare_write_statements();
}

void RunStore::Impl::migrate() {
    constexpr int current = run_store_schema::kCurrentVersion;
    sqlite::Transaction t(conn);
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const auto locked_version = read_version();
    for (auto v = locked_version + 1; v <= current; ++v) {
        conn.exec(run_store_schema::migration_sql(static_cast<int>(v)));
    }
    conn.exec(("PRAGMA user_version = " + std::to_string(current)).c_str());
    t.commit();
}

void RunStore::Impl::prepare_write_statements() {
    insert_step =
        sqlite::Statement(conn,
                          "INSERT INTO steps (run_id, step, stage, wall_time, kv_cache_bytes) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)",
                          true);
    step_exists =
        sqlite::Statement(conn, "SELECT 1 FROM steps WHERE run_id = ?1 AND step = ?2", true);
    insert_metric = sqlite::Statement(
        conn,
        "INSERT INTO metrics (run_id, step, key, value, wall_time) VALUES (?1, ?2, ?3, ?4, ?5)",
        true);
    insert_expert = sqlite::Statement(
        conn,
        "INSERT INTO expert_load (run_id, step, layer, expert, load, gate_weight, bias) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        true);
    insert_rollout = sqlite::Statement(
        conn,
        "INSERT INTO rollouts (run_id, step, prompt, completion, accuracy, format, reward, "
        "advantage, length, malformed, source, group_index, member, mean_logprob, mean_entropy, "
        "token_values) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        true);
}

bool RunStore::Impl::has_run(std::int64_t run_id) const {
    run_exists.bind(1, run_id);
    const bool found = run_exists.step();
    run_exists.reset();
    return found;
}

void RunStore::Impl::require_run(std::int64_t run_id) const {
    if (!has_run(run_id)) {
        throw StoreError(K::not_found, "run " + std::to_string(run_id) + " does not exist");
    }
}

void RunStore::Impl::require_writable() const {
    if (options.read_only) {
        throw StoreError(K::read_only, "the store was opened read-only");
    }
}

RunStore::RunStore(const std::string& path, const OpenOptions& options)
    : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->options = options;
    impl_->guard(options.read_only ? "cannot open it for reading" : "cannot open it",
                 [&] { impl_->open(); });
}

RunStore::~RunStore() = default;
RunStore::RunStore(RunStore&&) noexcept = default;
RunStore& RunStore::operator=(RunStore&&) noexcept = default;

int RunStore::schema_version() {
    return run_store_schema::kCurrentVersion;
}

const std::string& RunStore::path() const {
    return impl_->path;
}

bool RunStore::read_only() const {
    return impl_->options.read_only;
}

std::int64_t RunStore::create_run(const NewRun& run) {
    return impl_->guard("cannot create run '" + run.name + "'", [&] {
        impl_->require_writable();
        if (run.name.empty()) throw StoreError(K::invalid_argument, "the run name is empty");
        if (run.kind.empty()) throw StoreError(K::invalid_argument, "the run kind is empty");
        if (!nlohmann::json::accept(run.config_json)) {
            throw StoreError(K::invalid_argument, "its config is not valid JSON");
        }
        if (run.parent_run_id) impl_->require_run(*run.parent_run_id);
        sqlite::Statement insert(
            impl_->conn,
            "INSERT INTO runs (name, kind, config, parent_run_id) VALUES (?1, ?2, ?3, ?4)");
        insert.bind(1, run.name)
            .bind(2, run.kind)
            .bind(3, run.config_json)
            .bind(4, run.parent_run_id);
        insert.run();
        return impl_->conn.last_insert_rowid();
    });
}

void RunStore::rename_run(std::int64_t run_id, const std::string& name) {
    impl_->guard("cannot rename run " + std::to_string(run_id), [&] {
        impl_->require_writable();
        if (name.empty()) throw StoreError(K::invalid_argument, "the new name is empty");
        sqlite::Statement update(impl_->conn, "UPDATE runs SET name = ?1 WHERE id = ?2");
        update.bind(1, name).bind(2, run_id).run();
        if (impl_->conn.changes() == 0) impl_->require_run(run_id);
    });
}

void RunStore::set_config(std::int64_t run_id, const std::string& config_json) {
    impl_->guard("cannot store the configuration of run " + std::to_string(run_id), [&] {
        impl_->require_writable();
        sqlite::Statement update(impl_->conn, "UPDATE runs SET config = ?1 WHERE id = ?2");
        update.bind(1, config_json).bind(2, run_id).run();
        if (impl_->conn.changes() == 0) impl_->require_run(run_id);
    });
}

void RunStore::set_status(std::int64_t run_id, RunStatus status, const std::string& error) {
    impl_->guard("cannot set the status of run " + std::to_string(run_id), [&] {
        impl_->require_writable();
        const std::string sql =
            std::string("UPDATE runs SET status = ?1, error = ?2, finished = ") +
            (status == RunStatus::running ? "NULL" : kNow) + " WHERE id = ?3";
        sqlite::Statement update(impl_->conn, sql);
        update.bind(1, to_string(status))
            .bind(2, status == RunStatus::running ? std::string() : error)
            .bind(3, run_id)
            .run();
        if (impl_->conn.changes() == 0) impl_->require_run(run_id);
    });
}

void RunStore::finish(std::int64_t run_id, RunStatus status, const std::string& error) {
    if (status == RunStatus::running) {
        throw StoreError(K::invalid_argument, "run store '" + impl_->path + "': run " +
                                                  std::to_string(run_id) +
                                                  " cannot finish with status 'running'");
    }
    set_status(run_id, status, error);
}

void RunStore::delete_run(std::int64_t run_id) {
    impl_->guard("cannot delete run " + std::to_string(run_id) + " (nothing was deleted)", [&] {
        impl_->require_writable();
        sqlite::Transaction t(impl_->conn);
        impl_->require_run(run_id);
        for (const char* sql :
             {"DELETE FROM metrics WHERE run_id = ?1", "DELETE FROM expert_load WHERE run_id = ?1",
              "DELETE FROM rollouts WHERE run_id = ?1", "DELETE FROM checkpoints WHERE run_id = ?1",
              "DELETE FROM scaling_results WHERE run_id = ?1",
              "DELETE FROM pass_at_k WHERE run_id = ?1", "DELETE FROM steps WHERE run_id = ?1",
              "UPDATE runs SET parent_run_id = NULL WHERE parent_run_id = ?1",
              "DELETE FROM runs WHERE id = ?1"}) {
            sqlite::Statement(impl_->conn, sql).bind(1, run_id).run();
        }
        t.commit();
    });
}

void RunStore::Impl::insert_rollouts(std::int64_t run_id, std::int64_t step,
                                     const std::vector<RolloutSample>& rollouts) {
    for (std::size_t i = 0; i < rollouts.size(); ++i) {
        const RolloutSample& s = rollouts[i];
        // A sample outside a group is a group of its own, numbered by its place.
        const std::int64_t group = s.group >= 0 ? s.group : static_cast<std::int64_t>(i);
        insert_rollout.bind(1, run_id)
            .bind(2, step)
            .bind(3, s.prompt)
            .bind(4, s.completion)
            .bind(5, s.reward.accuracy)
            .bind(6, s.reward.format)
            .bind(7, s.reward.total)
            .bind(8, s.advantage)
            .bind(9, s.length)
            .bind(10, static_cast<int>(s.reward.malformed))
            .bind(11, to_string(s.source))
            .bind(12, group)
            .bind(13, s.member >= 0 ? std::optional<int>(s.member) : std::nullopt)
            .bind(14, s.mean_logprob)
            .bind(15, s.mean_entropy);
        if (s.tokens.empty())
            insert_rollout.bind_null(16);
        else
            insert_rollout.bind_blob(16, encode_token_values(s.tokens));
        insert_rollout.run();
    }
}

void RunStore::append_step(const StepReport& r) {
    impl_->guard(step_context(r), [&] {
        impl_->require_writable();
        if (std::isnan(r.wall_time)) {
            throw StoreError(K::invalid_argument, "its wall_time is NaN");
        }
        const ExpertMatrix* layout = expert_layout(r);
        Impl& m = *impl_;
        sqlite::Transaction t(m.conn);
        m.require_run(r.run_id);
        m.step_exists.bind(1, r.run_id).bind(2, r.step);
        const bool exists = m.step_exists.step();
        m.step_exists.reset();
        if (exists) {
            throw StoreError(K::invalid_argument,
                             "this step number is already stored (steps are append-only; "
                             "truncate_after() before re-running steps)");
        }
        m.insert_step.bind(1, r.run_id)
            .bind(2, r.step)
            .bind(3, to_string(r.stage))
            .bind(4, r.wall_time)
            .bind(5, r.kv_cache_bytes)
            .run();
        for (const auto& [key, value] : r.scalars) {
            m.insert_metric.bind(1, r.run_id)
                .bind(2, r.step)
                .bind(3, key)
                .bind(4, value)
                .bind(5, r.wall_time)
                .run();
        }
        if (layout) {
            auto cell = [](const ExpertMatrix& mat, int row, int e) -> std::optional<double> {
                if (mat.empty()) return std::nullopt;
                return static_cast<double>(mat.at(row, e));
            };
            for (int row = 0; row < layout->rows(); ++row) {
                for (int e = 0; e < layout->experts; ++e) {
                    m.insert_expert.bind(1, r.run_id)
                        .bind(2, r.step)
                        .bind(3, layout->layers[row])
                        .bind(4, e)
                        .bind(5, cell(r.expert_load, row, e))
                        .bind(6, cell(r.gate_weight, row, e))
                        .bind(7, cell(r.router_bias, row, e))
                        .run();
                }
            }
        }
        m.insert_rollouts(r.run_id, r.step, r.rollouts);
        t.commit();
    });
}

void RunStore::truncate_after(std::int64_t run_id, std::int64_t step) {
    impl_->guard("cannot remove the steps after step " + std::to_string(step) + " of run " +
                     std::to_string(run_id) + " (nothing was removed)",
                 [&] {
                     impl_->require_writable();
                     sqlite::Transaction t(impl_->conn);
                     impl_->require_run(run_id);
                     for (const char* table :
                          {"metrics", "expert_load", "rollouts", "checkpoints", "steps"}) {
                         sqlite::Statement(impl_->conn, std::string("DELETE FROM ") + table +
                                                            " WHERE run_id = ?1 AND step > ?2")
                             .bind(1, run_id)
                             .bind(2, step)
                             .run();
                     }
                     t.commit();
                 });
}

void RunStore::add_checkpoint(std::int64_t run_id, std::int64_t step, const std::string& path) {
    impl_->guard("cannot record the checkpoint of step " + std::to_string(step) + " of run " +
                     std::to_string(run_id),
                 [&] {
                     impl_->require_writable();
                     if (path.empty()) {
                         throw StoreError(K::invalid_argument, "the checkpoint path is empty");
                     }
                     impl_->require_run(run_id);
                     sqlite::Statement(impl_->conn,
                                       "INSERT OR REPLACE INTO checkpoints (run_id, step, path) "
                                       "VALUES (?1, ?2, ?3)")
                         .bind(1, run_id)
                         .bind(2, step)
                         .bind(3, path)
                         .run();
                 });
}

void RunStore::remove_checkpoints(std::int64_t run_id, const std::vector<std::int64_t>& steps) {
    impl_->guard(
        "cannot remove checkpoints of run " + std::to_string(run_id) + " (nothing was removed)",
        [&] {
            impl_->require_writable();
            sqlite::Transaction t(impl_->conn);
            impl_->require_run(run_id);
            sqlite::Statement remove(impl_->conn,
                                     "DELETE FROM checkpoints WHERE run_id = ?1 AND step = ?2");
            for (std::int64_t step : steps) {
                remove.bind(1, run_id).bind(2, step).run();
            }
            t.commit();
        });
}

void RunStore::add_scaling_result(const ScalingResult& s) {
    impl_->guard("cannot store the scaling result (" + s.method + ", k=" + std::to_string(s.k) +
                     ") of run " + std::to_string(s.run_id),
                 [&] {
                     impl_->require_writable();
                     if (s.method.empty()) {
                         throw StoreError(K::invalid_argument, "the method name is empty");
                     }
                     if (s.k < 1) {
                         throw StoreError(K::invalid_argument,
                                          "k must be >= 1, got " + std::to_string(s.k));
                     }
                     impl_->require_run(s.run_id);
                     sqlite::Statement(impl_->conn,
                                       "INSERT INTO scaling_results (run_id, method, k, accuracy, "
                                       "tokens_per_item, seed, n_items) VALUES (?1, ?2, ?3, ?4, "
                                       "?5, ?6, ?7)")
                         .bind(1, s.run_id)
                         .bind(2, s.method)
                         .bind(3, s.k)
                         .bind(4, s.accuracy)
                         .bind(5, s.tokens_per_item)
                         .bind(6, s.seed)
                         .bind(7, s.n_items)
                         .run();
                 });
}

namespace {

void check_pass_at_k(const StoredPassAtK& c) {
    using K = StoreError::Kind;
    if (c.ks.empty() || c.pass.size() != c.ks.size() || c.majority.size() != c.ks.size()) {
        throw StoreError(K::invalid_argument,
                         "k, pass@k and maj@k must be non-empty and of "
                         "equal length");
    }
    if (c.problems < 1 || c.samples < 1) {
        throw StoreError(K::invalid_argument, "a curve needs at least one problem and sample");
    }
    for (std::size_t i = 0; i < c.ks.size(); ++i) {
        if (c.ks[i] < 1 || c.ks[i] > c.samples || (i > 0 && c.ks[i] <= c.ks[i - 1])) {
            throw StoreError(K::invalid_argument,
                             "k must ascend within [1, samples], got " + std::to_string(c.ks[i]));
        }
        if (!(c.pass[i] >= 0.0 && c.pass[i] <= 1.0) ||
            !(c.majority[i] >= 0.0 && c.majority[i] <= 1.0)) {
            throw StoreError(K::invalid_argument, "pass@k and maj@k must lie in [0, 1] (k = " +
                                                      std::to_string(c.ks[i]) + ")");
        }
    }
}

}  // namespace

void RunStore::add_pass_at_k(const StoredPassAtK& c) {
    impl_->guard("cannot store the pass@k curve of run " + std::to_string(c.run_id) + " step " +
                     std::to_string(c.step),
                 [&] {
                     impl_->require_writable();
                     check_pass_at_k(c);
                     sqlite::Transaction t(impl_->conn);
                     impl_->require_run(c.run_id);
                     sqlite::Statement(impl_->conn,
                                       "DELETE FROM pass_at_k WHERE run_id = ?1 AND step = ?2 AND "
                                       "temperature = ?3 AND problems = ?4 AND samples = ?5 AND "
                                       "seed = ?6")
                         .bind(1, c.run_id)
                         .bind(2, c.step)
                         .bind(3, c.temperature)
                         .bind(4, c.problems)
                         .bind(5, c.samples)
                         .bind(6, c.seed)
                         .run();
                     sqlite::Statement insert(
                         impl_->conn,
                         "INSERT INTO pass_at_k (run_id, step, temperature, problems, samples, "
                         "seed, k, pass, majority) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
                     for (std::size_t i = 0; i < c.ks.size(); ++i) {
                         insert.reset();
                         insert.bind(1, c.run_id)
                             .bind(2, c.step)
                             .bind(3, c.temperature)
                             .bind(4, c.problems)
                             .bind(5, c.samples)
                             .bind(6, c.seed)
                             .bind(7, c.ks[i])
                             .bind(8, c.pass[i])
                             .bind(9, c.majority[i])
                             .run();
                     }
                     t.commit();
                 });
}

std::string RunStore::integrity_check() const {
    return impl_->guard("cannot run the integrity check", [&] {
        sqlite::Statement check(impl_->conn, "PRAGMA integrity_check");
        std::string out;
        while (check.step()) {
            if (!out.empty()) out += '\n';
            out += check.column_text(0);
        }
        return out;
    });
}

}  // namespace tinyseek
