// Thin RAII layer over the SQLite C API used by the RunStore (internal to training/): a
// connection, prepared statements and an immediate transaction. Every failure becomes a
// StoreError whose kind comes from SQLite's primary result code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "training/run_store_error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tinyseek::sqlite {

// Kind and human explanation of an SQLite result code, e.g. SQLITE_BUSY -> locked, "the
// database is locked by another connection or process (gave up after 5000 ms)". `db` may be
// null; when given, SQLite's own message is appended.
StoreError make_error(int rc, sqlite3* db, int busy_timeout_ms);

class Connection {
  public:
    Connection() = default;
    // Opens (read-only, or read-write creating the file) and sets the busy timeout. Throws
    // StoreError describing why the file cannot be opened. `immutable` (read-only only) opens
    // the file as SQLite's immutable URI: no locks and no -shm file, for browsing a WAL
    // database in a directory this user cannot write.
    Connection(const std::string& path, bool read_only, int busy_timeout_ms,
               bool immutable = false);
    ~Connection();
    Connection(Connection&& o) noexcept;
    Connection& operator=(Connection&& o) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* get() const { return db_; }
    int busy_timeout_ms() const { return busy_timeout_ms_; }
    // Runs one or more statements without results; throws StoreError.
    void exec(const char* sql);
    // True while a transaction is open (SQLite may roll back by itself, e.g. on SQLITE_FULL).
    bool in_transaction() const;
    std::int64_t last_insert_rowid() const;
    std::int64_t changes() const;
    [[noreturn]] void fail(int rc) const;

  private:
    sqlite3* db_ = nullptr;
    int busy_timeout_ms_ = 0;
};

class Statement {
  public:
    Statement() = default;
    // `persistent` hints SQLite that the statement is kept and reused (hot inserts).
    Statement(const Connection& conn, std::string_view sql, bool persistent = false);
    ~Statement();
    Statement(Statement&& o) noexcept;
    Statement& operator=(Statement&& o) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based as in SQLite.
    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement& bind(int i, double v);  // NaN is stored as NULL (SQLite's rule)
    Statement& bind(int i, std::string_view v);
    Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    Statement& bind_blob(int i, std::string_view bytes);  // an empty blob, not NULL
    Statement& bind_null(int i);
    template <class T>
    Statement& bind(int i, const std::optional<T>& v) {
        return v ? bind(i, *v) : bind_null(i);
    }

    // Advances; true when a row is available, false when done. Throws StoreError.
    bool step();
    // Steps to completion (statements without result rows) and resets.
    void run();
    // Resets and clears bindings so the statement can be reused.
    void reset();

    // Columns are 0-based as in SQLite.
    bool is_null(int c) const;
    std::int64_t column_int(int c) const;
    double column_double(int c) const;  // NULL reads as NaN
    std::string column_text(int c) const;
    std::string column_blob(int c) const;  // NULL reads as empty
    std::optional<std::int64_t> column_optional_int(int c) const;
    std::optional<double> column_optional_double(int c) const;

  private:
    const Connection* conn_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE (takes the write lock up front, so a locked database fails here, before any
// row is written); rolls back in the destructor unless commit() succeeded.
class Transaction {
  public:
    explicit Transaction(Connection& conn);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Connection& conn_;
    bool done_ = false;
};

}  // namespace tinyseek::sqlite
