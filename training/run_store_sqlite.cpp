#include "training/run_store_sqlite.h"

#include <sqlite3.h>

#include <limits>
#include <utility>

namespace tinyseek {

const char* to_string(StoreError::Kind kind) {
    using K = StoreError::Kind;
    switch (kind) {
        case K::locked:
            return "locked";
        case K::read_only:
            return "read_only";
        case K::corrupt:
            return "corrupt";
        case K::not_a_database:
            return "not_a_database";
        case K::disk_full:
            return "disk_full";
        case K::newer_schema:
            return "newer_schema";
        case K::older_schema:
            return "older_schema";
        case K::not_found:
            return "not_found";
        case K::invalid_argument:
            return "invalid_argument";
        case K::io:
            return "io";
        case K::sqlite:
            return "sqlite";
    }
    return "unknown";
}

namespace sqlite {

StoreError make_error(int rc, sqlite3* db, int busy_timeout_ms) {
    using K = StoreError::Kind;
    K kind = K::sqlite;
    std::string text;
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            kind = K::locked;
            text = "the database is locked by another connection or process (gave up after " +
                   std::to_string(busy_timeout_ms) + " ms)";
            break;
        case SQLITE_READONLY:
            kind = K::read_only;
            text = "the database cannot be written (read-only file, directory or connection)";
            break;
        case SQLITE_CORRUPT:
            kind = K::corrupt;
            text = "the database file is corrupt";
            break;
        case SQLITE_NOTADB:
            kind = K::not_a_database;
            text = "the file is not an SQLite database";
            break;
        case SQLITE_FULL:
            kind = K::disk_full;
            text = "the disk is full or the database reached its size limit";
            break;
        case SQLITE_CANTOPEN:
            kind = K::io;
            text = "the file cannot be opened";
            break;
        case SQLITE_IOERR:
            kind = K::io;
            text = "input/output error";
            break;
        case SQLITE_CONSTRAINT:
            kind = K::invalid_argument;
            text = "a constraint was violated";
            break;
        default:
            text = "SQLite error";
            break;
    }
    const char* detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    text += std::string(" (SQLite: ") + (detail ? detail : sqlite3_errstr(rc)) + ")";
    return StoreError(kind, text);
}

Connection::Connection(const std::string& path, bool read_only, int busy_timeout_ms, bool immutable)
    : busy_timeout_ms_(busy_timeout_ms) {
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    std::string name = path;
    if (read_only && immutable) {
        // URI filename: '%', '?' and '#' would be read as URI syntax, so escape them.
        name = "file:";
        for (char c : path) {
            if (c == '%' || c == '?' || c == '#') {
                static const char* hex = "0123456789ABCDEF";
                name += '%';
                name += hex[(static_cast<unsigned char>(c) >> 4) & 0xF];
                name += hex[static_cast<unsigned char>(c) & 0xF];
            } else {
                name += c;
            }
        }
        name += "?immutable=1";
        flags |= SQLITE_OPEN_URI;
    }
    const int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        StoreError e = make_error(rc, db_, busy_timeout_ms);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw e;
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
}

Connection::~Connection() {
    // close_v2 defers the close until remaining statements are finalised, so the order of
    // member destruction in the owner does not matter.
    if (db_) sqlite3_close_v2(db_);
}

Connection::Connection(Connection&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), busy_timeout_ms_(o.busy_timeout_ms_) {}

Connection& Connection::operator=(Connection&& o) noexcept {
    if (this != &o) {
        if (db_) sqlite3_close_v2(db_);
        db_ = std::exchange(o.db_, nullptr);
        busy_timeout_ms_ = o.busy_timeout_ms_;
    }
    return *this;
}

void Connection::fail(int rc) const {
    throw make_error(rc, db_, busy_timeout_ms_);
}

void Connection::exec(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc);
}

bool Connection::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

std::int64_t Connection::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_);
}

std::int64_t Connection::changes() const {
    return sqlite3_changes(db_);
}

Statement::Statement(const Connection& conn, std::string_view sql, bool persistent) : conn_(&conn) {
    const unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
    const int rc = sqlite3_prepare_v3(conn.get(), sql.data(), static_cast<int>(sql.size()), flags,
                                      &stmt_, nullptr);
    if (rc != SQLITE_OK) conn.fail(rc);
}

Statement::~Statement() {
    if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& o) noexcept
    : conn_(o.conn_), stmt_(std::exchange(o.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& o) noexcept {
    if (this != &o) {
        if (stmt_) sqlite3_finalize(stmt_);
        conn_ = o.conn_;
        stmt_ = std::exchange(o.stmt_, nullptr);
    }
    return *this;
}

Statement& Statement::bind(int i, std::int64_t v) {
    const int rc = sqlite3_bind_int64(stmt_, i, v);
    if (rc != SQLITE_OK) conn_->fail(rc);
    return *this;
}

Statement& Statement::bind(int i, double v) {
    const int rc = sqlite3_bind_double(stmt_, i, v);
    if (rc != SQLITE_OK) conn_->fail(rc);
    return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
    const int rc = sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) conn_->fail(rc);
    return *this;
}

Statement& Statement::bind_blob(int i, std::string_view bytes) {
    const int rc = sqlite3_bind_blob64(stmt_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) conn_->fail(rc);
    return *this;
}

Statement& Statement::bind_null(int i) {
    const int rc = sqlite3_bind_null(stmt_, i);
    if (rc != SQLITE_OK) conn_->fail(rc);
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // Capture the message before reset() replaces the connection's error state.
    StoreError e = make_error(rc, conn_->get(), conn_->busy_timeout_ms());
    sqlite3_reset(stmt_);
    throw e;
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int c) const {
    return sqlite3_column_type(stmt_, c) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int c) const {
    return sqlite3_column_int64(stmt_, c);
}

double Statement::column_double(int c) const {
    if (is_null(c)) return std::numeric_limits<double>::quiet_NaN();
    return sqlite3_column_double(stmt_, c);
}

std::string Statement::column_text(int c) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    const int n = sqlite3_column_bytes(stmt_, c);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

std::string Statement::column_blob(int c) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, c));
    const int n = sqlite3_column_bytes(stmt_, c);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::int64_t> Statement::column_optional_int(int c) const {
    if (is_null(c)) return std::nullopt;
    return column_int(c);
}

std::optional<double> Statement::column_optional_double(int c) const {
    if (is_null(c)) return std::nullopt;
    return sqlite3_column_double(stmt_, c);
}

Transaction::Transaction(Connection& conn) : conn_(conn) {
    conn_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    // SQLite rolls back by itself after some errors (e.g. SQLITE_FULL); only roll back a
    // transaction that is still open. A failing ROLLBACK cannot be reported from here, and
    // the journal makes the next opener roll back anyway.
    if (!done_ && conn_.in_transaction()) {
        sqlite3_exec(conn_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    conn_.exec("COMMIT");
    done_ = true;
}

}  // namespace sqlite
}  // namespace tinyseek
