#pragma once
// Internal to src/store: tells, without a transaction, whether anything was committed to a SQLite
// database (in WAL mode) since an earlier moment, by any connection of any process.
//
// Every commit rewrites the header of the database's wal-index (the "-shm" file that all
// connections map; https://www.sqlite.org/walformat.html): its change counter, the last valid log
// frame and the log's salts. SQLite writes the header's second copy, then the first, and readers
// take it only when the two agree. This class maps that header read-only and returns those words
// as a ChangeStamp: equal stamps at two moments mean no commit in between. Within one log (same
// salts) frames are only appended, so the last frame and the salts alone identify the committed
// state; the change counter is kept too.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "store/store.h"

struct sqlite3;

namespace beian::store_internal {

class SqliteChangeWatch {
 public:
  // For the database at `path` (a file name, not a URI), which must exist and be in WAL mode.
  // Keeps a connection of its own open and idle, and reads the header through that connection's
  // mapping (SQLite's), which lives as long as the connection. Returns nullptr when
  // any of this fails (an in-memory database, another journal mode): callers then always read.
  static std::unique_ptr<SqliteChangeWatch> Open(const std::string& path);
  ~SqliteChangeWatch();
  SqliteChangeWatch(const SqliteChangeWatch&) = delete;
  SqliteChangeWatch& operator=(const SqliteChangeWatch&) = delete;

  // The header's stamp now; nullopt while a commit is writing it (the copies differ) or before
  // the wal-index was first built. Thread-safe, lock-free, no system call.
  std::optional<ChangeStamp> Current() const;

 private:
  SqliteChangeWatch(sqlite3* db, const void* map) : db_(db), map_(map) {}

  sqlite3* db_;
  const void* map_;  // SQLite's mapping of the wal-index, valid while db_ is open
};

}  // namespace beian::store_internal
