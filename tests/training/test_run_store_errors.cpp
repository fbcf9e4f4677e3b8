// RunStore bad states: each gets a typed StoreError naming the file, and nothing stored
// before is lost. Locked database, read-only file, not a database, corrupt file, disk full,
// newer schema, and the migration of an older schema.
#include <gtest/gtest.h>

#include <cmath>

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/scratch_dir.h"
#include "training/run_store.h"
#include "training/run_store_schema.h"

namespace tinyseek {
namespace {

namespace fs = std::filesystem;
using Kind = StoreError::Kind;

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A plain SQLite connection, as another program (or sqlite3) would use the file.
class RawDb {
  public:
    explicit RawDb(const std::string& path) {
        EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    }
    ~RawDb() { sqlite3_close(db_); }
    int exec(const std::string& sql) {
        return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    }
    std::int64_t query_int(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
        EXPECT_EQ(sqlite3_step(st), SQLITE_ROW) << sql;
        const auto v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }

  private:
    sqlite3* db_ = nullptr;
};

StepReport small_report(std::int64_t run, std::int64_t step, int rollouts = 1,
                        std::size_t text_bytes = 16) {
    StepReport r;
    r.run_id = run;
    r.step = step;
    r.wall_time = step;
    r.scalars["loss"] = 1.0 / (step + 1);
    r.expert_load = ExpertMatrix({1, 2, 3}, 8, 0.125f);
    for (int i = 0; i < rollouts; ++i) {
        RolloutSample s;
        s.prompt = "1+1=";
        s.completion = std::string(text_bytes, static_cast<char>('a' + (step + i) % 26));
        r.rollouts.push_back(s);
    }
    return r;
}

// Expects `f` to throw StoreError of `kind` whose message contains each of `parts`.
template <class F>
void expect_store_error(F&& f, Kind kind, std::initializer_list<std::string> parts) {
    try {
        f();
        ADD_FAILURE() << "expected StoreError(" << to_string(kind) << ")";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), kind) << e.what();
        for (const auto& p : parts) {
            EXPECT_NE(std::string(e.what()).find(p), std::string::npos)
                << "missing '" << p << "' in: " << e.what();
        }
    }
}

TEST(RunStoreErrors, LockedDatabaseWaitsThenFailsAndLosesNothing) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "locked");
    std::int64_t run = 0;
    {
        RunStore store(path);
        run = store.create_run({"r", "sft", "{}", {}});
        store.append_step(small_report(run, 0));
    }
    RunStore store(path, {.busy_timeout_ms = 150});
    store.append_step(small_report(run, 1));
    RawDb other(path);
    ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), SQLITE_OK);  // another writer holds the lock
    const auto t0 = std::chrono::steady_clock::now();
    expect_store_error(
        [&] { store.append_step(small_report(run, 2)); }, Kind::locked,
        {path, "step 2 of run " + std::to_string(run) + " was not stored", "locked", "150 ms"});
    const auto waited = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(waited, std::chrono::milliseconds(140));  // the busy timeout was honoured
    // Reads still work while another connection writes (WAL).
    EXPECT_EQ(store.steps(run).size(), 2u);
    ASSERT_EQ(other.exec("ROLLBACK"), SQLITE_OK);
    store.append_step(small_report(run, 2));  // the same step, once the lock is gone
    EXPECT_EQ(store.steps(run), (std::vector<std::int64_t>{0, 1, 2}));
    EXPECT_EQ(store.integrity_check(), "ok");
}

TEST(RunStoreErrors, LockedDatabaseAtOpenLeavesTheMigrationForLater) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "locked_open");
    {
        RawDb v1(path);
        ASSERT_EQ(v1.exec(run_store_schema::migration_sql(1)), SQLITE_OK);
        ASSERT_EQ(v1.exec("PRAGMA user_version = 1; INSERT INTO runs (name, kind) VALUES "
                          "('old', 'sft')"),
                  SQLITE_OK);
    }
    {
        RawDb other(path);
        ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), SQLITE_OK);
        expect_store_error([&] { RunStore store(path, {.busy_timeout_ms = 50}); }, Kind::locked,
                           {path, "cannot open it", "locked"});
        ASSERT_EQ(other.exec("ROLLBACK"), SQLITE_OK);
    }
    EXPECT_EQ(RawDb(path).query_int("PRAGMA user_version"), 1);  // nothing half-migrated
    RunStore store(path);
    EXPECT_EQ(RawDb(path).query_int("PRAGMA user_version"), RunStore::schema_version());
    EXPECT_EQ(store.list_runs().at(0).name, "old");
}

// Runs `body` as an unprivileged user when this process is root (file permissions do not
// bind root), in a child process; returns true when the body exited 0.
template <class F>
bool run_unprivileged(F&& body) {
    if (geteuid() != 0) return body() == 0;
    const pid_t pid = fork();
    if (pid == 0) {
        int rc = 3;
        if (setgid(65534) == 0 && setuid(65534) == 0) rc = body();
        _exit(rc);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(RunStoreErrors, ReadOnlyFileRefusesWritingButOpensForReading) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "read_only");
    {
        RunStore store(path);
        const auto run = store.create_run({"kept", "sft", "{}", {}});
        store.append_step(small_report(run, 0));
    }
    const fs::path dir = fs::path(path).parent_path();
    chmod(path.c_str(), 0444);
    chmod(dir.c_str(), 0555);  // nor can -wal / -shm files be created next to it
    const bool ok = run_unprivileged([&]() -> int {
        int failures = 0;
        try {
            RunStore store(path);
            ++failures;  // must not open for writing
        } catch (const StoreError& e) {
            const std::string msg = e.what();
            if (e.kind() != Kind::read_only || msg.find(path) == std::string::npos ||
                msg.find("read-only") == std::string::npos) {
                ++failures;
            }
        } catch (...) {
            ++failures;
        }
        try {
            RunStore store(path, {.read_only = true});
            const auto runs = store.list_runs();
            if (runs.size() != 1 || runs[0].name != "kept" || runs[0].n_steps != 1) ++failures;
            if (store.load_step(runs[0].id, 0).scalars.at("loss") != 1.0) ++failures;
        } catch (...) {
            ++failures;
        }
        return failures;
    });
    chmod(dir.c_str(), 0755);
    chmod(path.c_str(), 0644);
    EXPECT_TRUE(ok) << "read-only file: refused for writing with a clear error, browsable";
}

TEST(RunStoreErrors, AFileThatIsNotADatabaseIsRefusedUntouched) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "not_a_db");
    {
        std::ofstream out(path, std::ios::binary);
        for (int i = 0; i < 200; ++i) out << "these are my notes, not a database\n";
    }
    const std::string before = file_bytes(path);
    expect_store_error([&] { RunStore store(path); }, Kind::not_a_database,
                       {path, "not an SQLite database"});
    expect_store_error([&] { RunStore store(path, {.read_only = true}); }, Kind::not_a_database,
                       {path});
    EXPECT_EQ(file_bytes(path), before);

    // An SQLite file of another program: valid SQLite, but not ours.
    const auto other = tinyseek::testing::fresh_db("training_store_errors", "foreign_sqlite");
    {
        RawDb db(other);
        ASSERT_EQ(db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('a')"),
                  SQLITE_OK);
    }
    expect_store_error([&] { RunStore store(other); }, Kind::not_a_database,
                       {other, "not a TinySeek run store"});
    EXPECT_EQ(RawDb(other).query_int("SELECT count(*) FROM contacts"), 1);
}

TEST(RunStoreErrors, CorruptFileFailsTheIntegrityCheckOnOpen) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "corrupt");
    {
        RunStore store(path);
        const auto run = store.create_run({"r", "sft", "{}", {}});
        for (int s = 0; s < 40; ++s) store.append_step(small_report(run, s, 4, 200));
    }  // closing checkpoints the WAL into the main file
    const auto size = fs::file_size(path);
    ASSERT_GT(size, 16u * 4096u);
    {
        // Scribble over the b-tree pages in the middle (page 1, the header, stays intact).
        std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
        const std::string junk(4096 * 3, '\x5a');
        f.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    const std::string before = file_bytes(path);
    expect_store_error([&] { RunStore store(path); }, Kind::corrupt,
                       {path, "integrity check failed", "left untouched"});
    expect_store_error([&] { RunStore store(path, {.read_only = true}); }, Kind::corrupt, {path});
    EXPECT_EQ(file_bytes(path), before);
}

TEST(RunStoreErrors, DiskFullRollsBackTheStepAndKeepsEarlierSteps) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "disk_full");
    std::int64_t run = 0;
    {
        RunStore store(path);
        run = store.create_run({"r", "grpo", "{}", {}});
        for (int s = 0; s < 3; ++s) store.append_step(small_report(run, s));
    }
    const auto pages = RawDb(path).query_int("PRAGMA page_count");
    int stored = 3;
    {
        // A size cap a few pages above the current size stands in for a full disk.
        RunStore store(path, {.max_page_count = pages + 3});
        bool failed = false;
        for (int s = 3; s < 60 && !failed; ++s) {
            try {
                store.append_step(small_report(run, s, 8, 600));  // ~5 KB of rollouts per step
                ++stored;
            } catch (const StoreError& e) {
                failed = true;
                EXPECT_EQ(e.kind(), Kind::disk_full) << e.what();
                const std::string msg = e.what();
                EXPECT_NE(msg.find("step " + std::to_string(s) + " of run"), std::string::npos)
                    << msg;
                EXPECT_NE(msg.find("was not stored"), std::string::npos) << msg;
                EXPECT_NE(msg.find(path), std::string::npos) << msg;
            }
        }
        ASSERT_TRUE(failed) << "the size cap never triggered";
        // The store stays usable for reading, and nothing of the failed step is there.
        EXPECT_EQ(store.steps(run).size(), static_cast<std::size_t>(stored));
        EXPECT_EQ(store.count_rollouts(run), 3 + (stored - 3) * 8);
    }
    RunStore reopened(path);
    EXPECT_EQ(reopened.integrity_check(), "ok");
    const auto steps = reopened.steps(run);
    ASSERT_EQ(steps.size(), static_cast<std::size_t>(stored));
    for (int s = 0; s < stored; ++s) EXPECT_EQ(steps[s], s);
    EXPECT_EQ(reopened.metric_series(run, "loss").size(), static_cast<std::size_t>(stored));
    reopened.append_step(small_report(run, stored, 8, 600));  // room again: the step goes in
}

// Found by fuzz/fuzz_run_store: a flipped bit in a step's stored stage once escaped as a plain
// Error that no caller of the store expects.
TEST(RunStoreErrors, ADamagedStageIsACorruptStepAndTheOthersStillLoad) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "stage");
    std::int64_t run = 0;
    {
        RunStore store(path);
        run = store.create_run({"damaged", "sft", "{}", {}});
        store.append_step(small_report(run, 1));
        store.append_step(small_report(run, 2));
    }
    // The schema's CHECK refuses such a stage; a flipped bit on disk does not ask.
    ASSERT_EQ(RawDb(path).exec("PRAGMA ignore_check_constraints = ON; "
                               "UPDATE steps SET stage = 'grp/' WHERE step = 2"),
              SQLITE_OK);
    RunStore store(path, {.read_only = true});
    expect_store_error([&] { store.load_step(run, 2); }, Kind::corrupt, {path, "stage", "grp/"});
    EXPECT_EQ(store.load_step(run, 1).stage, Stage::sft);
}

TEST(RunStoreErrors, NewerSchemaIsRefusedAndLeftUntouched) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "newer");
    {
        RunStore store(path);
        store.create_run({"future", "sft", "{}", {}});
    }
    ASSERT_EQ(RawDb(path).exec("PRAGMA user_version = 7"), SQLITE_OK);
    const std::string before = file_bytes(path);
    expect_store_error([&] { RunStore store(path); }, Kind::newer_schema,
                       {path, "newer TinySeek", "schema version 7",
                        "up to version " + std::to_string(RunStore::schema_version())});
    expect_store_error([&] { RunStore store(path, {.read_only = true}); }, Kind::newer_schema,
                       {path});
    EXPECT_EQ(file_bytes(path), before);
    EXPECT_EQ(RawDb(path).query_int("PRAGMA user_version"), 7);
}

TEST(RunStoreErrors, ANegativeSchemaVersionIsNotARunStoreAndLeftUntouched) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "negative");
    {
        RunStore store(path);
        store.create_run({"odd", "sft", "{}", {}});
    }
    ASSERT_EQ(RawDb(path).exec("PRAGMA user_version = -369098749"), SQLITE_OK);
    const std::string before = file_bytes(path);
    expect_store_error([&] { RunStore store(path); }, Kind::not_a_database,
                       {path, "not a TinySeek run store", "-369098749"});
    expect_store_error([&] { RunStore store(path, {.read_only = true}); }, Kind::not_a_database,
                       {path});
    EXPECT_EQ(file_bytes(path), before);
}

TEST(RunStoreErrors, MissingFilesAndDirectories) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "missing");
    expect_store_error([&] { RunStore store(path, {.read_only = true}); }, Kind::not_found,
                       {path, "does not exist"});
    EXPECT_FALSE(fs::exists(path));  // a read-only open never creates the file
    { std::ofstream empty(path); }
    expect_store_error([&] { RunStore store(path, {.read_only = true}); }, Kind::not_a_database,
                       {path, "no run store yet"});
    RunStore created(path);  // an empty file is a fine place to start one
    EXPECT_TRUE(created.list_runs().empty());
    const std::string nowhere = fs::path(path).parent_path() / "no" / "such" / "dir" / "r.db";
    expect_store_error([&] { RunStore store(nowhere); }, Kind::io, {nowhere});
}

// A version-1 file (the first layout, docs/ARCHITECTURE.md "Storage rules") migrates on open: its
// runs, metrics, expert load and rollouts stay readable, and new steps can be appended.
TEST(RunStoreErrors, MigratesAVersionOneDatabase) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "migrate_v1");
    {
        RawDb v1(path);
        ASSERT_EQ(v1.exec(run_store_schema::migration_sql(1)), SQLITE_OK);
        ASSERT_EQ(v1.exec("PRAGMA user_version = 1"), SQLITE_OK);
        ASSERT_EQ(v1.exec(R"sql(
            INSERT INTO runs (id, name, kind, config, status) VALUES (1, 'old', 'grpo', '{}',
                                                                      'completed');
            INSERT INTO metrics VALUES (1, 0, 'reward', 0.25, 1.5), (1, 0, 'kl', 0.0, 1.5),
                                       (1, 1, 'reward', 0.5, 3.0);
            INSERT INTO expert_load VALUES (1, 1, 1, 0, 0.75), (1, 1, 1, 1, 0.25);
            INSERT INTO rollouts (run_id, step, prompt, completion, accuracy, format, reward,
                                  advantage, length)
                VALUES (1, 1, '1+1=', '<answer>2</answer>', 1, 0, 1, 0.5, 3);
            INSERT INTO checkpoints (run_id, step, path) VALUES (1, 1, '/old/ckpt');
        )sql"),
                  SQLITE_OK);
    }
    // Read-only cannot migrate: refused with a clear message, file unchanged.
    expect_store_error([&] { RunStore s(path, {.read_only = true}); }, Kind::older_schema,
                       {path, "schema version 1", "open it once for writing"});
    EXPECT_EQ(RawDb(path).query_int("PRAGMA user_version"), 1);

    RunStore store(path);
    EXPECT_EQ(RawDb(path).query_int("PRAGMA user_version"), RunStore::schema_version());
    const auto runs = store.list_runs();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].name, "old");
    EXPECT_EQ(runs[0].status, RunStatus::completed);
    EXPECT_EQ(runs[0].n_steps, 2);  // rebuilt from the metrics
    EXPECT_FALSE(runs[0].parent_run_id.has_value());
    EXPECT_EQ(runs[0].error, "");
    const StepReport s1 = store.load_step(1, 1);
    EXPECT_EQ(s1.stage, Stage::grpo);
    EXPECT_EQ(s1.wall_time, 3.0);
    EXPECT_EQ(s1.scalars.at("reward"), 0.5);
    ASSERT_EQ(s1.expert_load.rows(), 1);
    EXPECT_EQ(s1.expert_load.at(0, 0), 0.75f);
    EXPECT_TRUE(s1.gate_weight.empty());
    ASSERT_EQ(s1.rollouts.size(), 1u);
    EXPECT_FALSE(s1.rollouts[0].reward.malformed);
    EXPECT_EQ(s1.rollouts[0].advantage, 0.5);
    EXPECT_EQ(store.latest_checkpoint(1)->path, "/old/ckpt");

    StepReport next = small_report(1, 2);
    next.gate_weight = ExpertMatrix({1, 2, 3}, 8, 0.5f);
    store.append_step(next);
    EXPECT_EQ(store.load_step(1, 2).gate_weight, next.gate_weight);
    const auto child = store.create_run({"control", "control", "{}", 1});
    EXPECT_EQ(store.run(child).parent_run_id, 1);
    EXPECT_EQ(store.integrity_check(), "ok");
}

// A version-2 file (before pass@k curves) migrates on open: its runs and steps stay, and the
// pass@k table it lacked can be written.
TEST(RunStoreErrors, MigratesAVersionTwoDatabase) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "migrate_v2");
    {
        RawDb v2(path);
        ASSERT_EQ(v2.exec(run_store_schema::migration_sql(1)), SQLITE_OK);
        ASSERT_EQ(v2.exec(run_store_schema::migration_sql(2)), SQLITE_OK);
        ASSERT_EQ(v2.exec("PRAGMA user_version = 2"), SQLITE_OK);
        ASSERT_EQ(v2.exec(R"sql(
            INSERT INTO runs (id, name, kind, config, status) VALUES (1, 'v2', 'pipeline', '{}',
                                                                      'completed');
            INSERT INTO steps VALUES (1, 0, 'sft', 0.5, 0), (1, 1, 'grpo', 1.0, 4096);
            INSERT INTO metrics VALUES (1, 1, 'eval/accuracy', 0.75, 1.0);
            INSERT INTO checkpoints (run_id, step, path) VALUES (1, 1, '/v2/ckpt');
        )sql"),
                  SQLITE_OK);
    }
    expect_store_error([&] { RunStore s(path, {.read_only = true}); }, Kind::older_schema,
                       {path, "schema version 2"});
    EXPECT_EQ(RawDb(path).query_int("PRAGMA user_version"), 2);

    RunStore store(path);
    EXPECT_EQ(RawDb(path).query_int("PRAGMA user_version"), RunStore::schema_version());
    const RunInfo run = store.run(1);
    EXPECT_EQ(run.n_steps, 2);
    EXPECT_EQ(run.best_eval_accuracy, 0.75);
    EXPECT_EQ(store.load_step(1, 1).kv_cache_bytes, 4096);
    EXPECT_TRUE(store.pass_at_k_curves(1).empty());
    store.add_pass_at_k({1, 1, 1.0, 10, 2, 7, {1, 2}, {0.5, 0.6}, {0.5, 0.5}, {}});
    EXPECT_EQ(store.pass_at_k_curves(1).at(0).pass, (std::vector<double>{0.5, 0.6}));
    EXPECT_EQ(store.integrity_check(), "ok");
}

// A version-3 file (before whole groups were stored) migrates on open: its rollouts become
// training samples, each a group of its own numbered in order within its step, and steps
// appended afterwards store their groups beside them.
TEST(RunStoreErrors, MigratesAVersionThreeDatabaseWithRollouts) {
    const auto path = tinyseek::testing::fresh_db("training_store_errors", "migrate_v3");
    {
        RawDb v3(path);
        for (int v = 1; v <= 3; ++v)
            ASSERT_EQ(v3.exec(run_store_schema::migration_sql(v)), SQLITE_OK);
        ASSERT_EQ(v3.exec("PRAGMA user_version = 3"), SQLITE_OK);
        ASSERT_EQ(v3.exec(R"sql(
            INSERT INTO runs (id, name, kind, config, status) VALUES (1, 'v3', 'pipeline', '{}',
                                                                      'completed');
            INSERT INTO steps VALUES (1, 4, 'grpo', 1.0, 0), (1, 5, 'grpo', 2.0, 0);
            INSERT INTO rollouts (run_id, step, prompt, completion, accuracy, format, reward,
                                  advantage, length) VALUES
                (1, 4, '1+1=', 'a', 1, 1, 1.1, 0.5, 3), (1, 4, '2+2=', 'b', 0, 1, 0.1, -0.5, 4),
                (1, 5, '3+3=', 'c', 1, 1, 1.1, 0.7, 5);
        )sql"),
                  SQLITE_OK);
    }
    RunStore store(path);
    EXPECT_EQ(RawDb(path).query_int("PRAGMA user_version"), RunStore::schema_version());
    const auto rows = store.rollouts(1, {.with_tokens = true});
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].sample.group, 0);
    EXPECT_EQ(rows[1].sample.group, 1);
    EXPECT_EQ(rows[2].sample.group, 0);
    EXPECT_EQ(rows[1].sample.completion, "b");
    for (const auto& r : rows) {
        EXPECT_EQ(r.sample.source, RolloutSource::train);
        EXPECT_EQ(r.sample.member, -1);
        EXPECT_TRUE(std::isnan(r.sample.mean_logprob));
        EXPECT_TRUE(r.sample.tokens.empty());
    }
    EXPECT_EQ(store.count_rollout_groups(1, {}), 3);

    StepReport next;
    next.run_id = 1;
    next.step = 6;
    next.stage = Stage::grpo;
    for (int g = 0; g < 2; ++g) {
        RolloutSample x;
        x.prompt = "4+4=";
        x.group = 0;
        x.member = g;
        x.tokens = {{1, 2}, {-1.0f, -2.0f}, {0.5f, 0.5f}};
        next.rollouts.push_back(x);
    }
    store.append_step(next);
    const auto groups = store.rollout_groups(1, {.min_step = 6});
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].completions, 2);
    EXPECT_EQ(store.load_step(1, 6).rollouts, next.rollouts);
    EXPECT_EQ(store.integrity_check(), "ok");
}

}  // namespace
}  // namespace tinyseek
