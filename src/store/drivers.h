#pragma once
// Internal to src/store: opening driver connections and the embedded migration files.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"
#include "store/store.h"

namespace beian::store_internal {

// Opens a SQLite connection to `path` (created if missing) in WAL mode with synchronous=FULL,
// foreign keys on and the busy timeout of `options`, through the coalescing WAL VFS
// (sqlite_wal_vfs.h). Its log is checkpointed by `checkpointer` (shared by the connections of one
// Store) on a thread of its own, or, when null, by the committing connection every 10,000 log
// pages. Throws StoreError (unavailable) on failure.
class SqliteCheckpointer;
std::unique_ptr<Conn> OpenSqliteConn(const std::string& path, const StoreOptions& options,
                                     std::shared_ptr<SqliteCheckpointer> checkpointer);

// Opens a libpq connection to `url`. Throws StoreError (unavailable) on failure.
std::unique_ptr<Conn> OpenPgConn(const std::string& url);

// One migration file as embedded at build time (generated migrations_embedded.cpp).
struct MigrationFile {
  std::string_view dialect;  // "sqlite" or "postgres"
  std::string_view name;     // e.g. "001_init.sql"; the leading number is its version
  std::string_view sql;
};
const std::vector<MigrationFile>& EmbeddedMigrationFiles();

}  // namespace beian::store_internal
