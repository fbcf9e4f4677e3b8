// StoreError: every failure of the RunStore, typed by what went wrong so callers can react
// (retry a locked database, offer read-only browsing, ...). Messages name the database file,
// what was being done and, for writes, that nothing of the failed operation was stored.
#pragma once

#include <string>

#include "core/errors.h"

namespace tinyseek {

struct StoreError : Error {
    enum class Kind {
        locked,            // another connection holds the write lock beyond the busy timeout
        read_only,         // the file (or this connection) cannot be written
        corrupt,           // integrity check failed or SQLite reported corruption
        not_a_database,    // the file is not SQLite, or SQLite but not a TinySeek run store
        disk_full,         // no space left (or the configured size limit was reached)
        newer_schema,      // written by a newer TinySeek: refused, left untouched
        older_schema,      // needs a migration, which a read-only connection cannot do
        not_found,         // no such run (or file, for read-only opens)
        invalid_argument,  // bad input, e.g. a duplicate step or mismatched matrix shapes
        io,                // cannot open / read / write the file for another reason
        sqlite,            // any other SQLite failure
    };

    StoreError(Kind kind, const std::string& message) : Error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

  private:
    Kind kind_;
};

const char* to_string(StoreError::Kind kind);

}  // namespace tinyseek
