// `tinyseek import`: the three fixtures of tests/imports/data into one database (read back
// with SQLite, not RunStore), a second import that updates instead of adding, bad lines
// reported with their numbers, a path with no log refused with nothing written, and --follow
// stopped by SIGTERM with its run marked stopped.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "cli_harness.h"

namespace {

using cli_test::contains;
using cli_test::tinyseek;

const std::string kFixtures = std::string(TINYSEEK_SOURCE_DIR) + "/tests/imports/data";

// One integer from `sql` (the first column of the first row), -1 when there is no row.
long long query_int(const std::string& db_path, const std::string& sql) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_stmt* q = nullptr;
    long long value = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        value = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return value;
}

TEST(CliImport, ImportsEachWritersRunAndUpdatesItOnASecondImport) {
    const auto dir = cli_test::scratch("import_all");
    const std::string db = (dir / "runs.db").string();
    const auto first = tinyseek({"import", kFixtures, "--db", db}, "first");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_TRUE(contains(first.out, "imported verl: gsm8k_grpo as run")) << first.out;
    EXPECT_TRUE(contains(first.out, "1 histogram, image or other values not imported"))
        << first.out;
    EXPECT_EQ(query_int(db, "SELECT count(*) FROM runs WHERE kind = 'imported'"), 3);
    EXPECT_EQ(query_int(db,
                        "SELECT count(*) FROM steps s JOIN runs r ON r.id = s.run_id "
                        "WHERE json_extract(r.config, '$.import.format') = 'verl'"),
              6);
    EXPECT_EQ(query_int(db, "SELECT count(*) FROM rollouts"), 10);  // 9 verl + 1 TensorBoard
    const auto again = tinyseek({"import", kFixtures + "/verl", "--db", db}, "again");
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_TRUE(contains(again.out, "updated verl: gsm8k_grpo")) << again.out;
    EXPECT_EQ(query_int(db, "SELECT count(*) FROM runs"), 3);
    EXPECT_EQ(query_int(db, "SELECT count(*) FROM rollouts"), 10);
}

TEST(CliImport, ReportsBadLinesAndRefusesWhatItDoesNotRead) {
    const auto dir = cli_test::scratch("import_bad");
    const std::string db = (dir / "runs.db").string();
    std::ofstream(dir / "run.jsonl") << "{\"step\": 1, \"data\": {\"a\": 1}}\nnot json\n"
                                     << "{\"step\": 2, \"data\": {\"a\": \"x\"}}\n";
    const auto bad = tinyseek({"import", (dir / "run.jsonl").string(), "--db", db}, "bad");
    ASSERT_EQ(bad.exit_code, 0) << bad.err;
    EXPECT_TRUE(contains(bad.out, "1 malformed (run.jsonl: 2)")) << bad.out;
    EXPECT_TRUE(contains(bad.out, "1 not a number (run.jsonl: 3)")) << bad.out;
    const std::string other = (dir / "other.db").string();
    std::ofstream(dir / "notes.txt") << "hello\n";
    const auto none = tinyseek({"import", (dir / "notes.txt").string(), "--db", other}, "none");
    EXPECT_EQ(none.exit_code, 1);
    EXPECT_TRUE(contains(none.err, "is a training log this program reads")) << none.err;
    EXPECT_FALSE(std::filesystem::exists(other));
    EXPECT_EQ(tinyseek({"import", "--db", other}, "usage").exit_code, 2);
}

TEST(CliImport, FollowsUntilStoppedAndMarksTheRunStopped) {
    const auto dir = cli_test::scratch("import_follow");
    const std::string db = (dir / "runs.db").string();
    const auto log = dir / "live.jsonl";
    std::ofstream(log) << "{\"step\": 1, \"data\": {\"critic/score/mean\": 0.1}}\n";
    const auto run_dir = cli_test::scratch("import_follow_run");
    const pid_t pid = cli_test::spawn(
        {"import", log.string(), "--db", db, "--follow", "--interval", "0.1"}, run_dir);
    ASSERT_GT(pid, 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (query_int(db, "SELECT count(*) FROM steps") < 1 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::ofstream(log, std::ios::app) << "{\"step\": 2, \"data\": {\"critic/score/mean\": 0.2}}\n";
    while (query_int(db, "SELECT count(*) FROM steps") < 2 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(query_int(db, "SELECT count(*) FROM steps"), 2);
    EXPECT_EQ(query_int(db, "SELECT status = 'running' FROM runs"), 1);
    kill(pid, SIGTERM);
    const auto result = cli_test::wait_for(pid, run_dir);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_TRUE(contains(result.out, "run 1: +1 steps")) << result.out;
    EXPECT_EQ(query_int(db, "SELECT status = 'stopped' FROM runs"), 1);
}

}  // namespace
