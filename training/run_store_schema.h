// The RunStore schema as a list of migrations: version v is reached from v-1 by running
// migration_sql(v). A new database runs them all; an older one runs those it lacks; the
// version lives in PRAGMA user_version. training/SCHEMA.md documents the tables.
#pragma once

namespace tinyseek::run_store_schema {

inline constexpr int kCurrentVersion = 4;

// SQL taking a database from version to_version-1 to to_version (1 <= to_version <=
// kCurrentVersion); it does not set user_version, the caller does in the same transaction.
const char* migration_sql(int to_version);

}  // namespace tinyseek::run_store_schema
