// The SQLite driver: one sqlite3 handle, prepared statements cached by SQL text.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "store/drivers.h"
#include "store/sqlite_checkpointer.h"
#include "store/sqlite_wal_vfs.h"

namespace beian::store_internal {
namespace {

bool IsBusy(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// Connections that hit these are replaced by the pool (the cause may be fixed meanwhile).
bool IsFatal(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_IOERR || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ||
         primary == SQLITE_CANTOPEN || primary == SQLITE_FULL || primary == SQLITE_READONLY;
}

StoreFault FaultOf(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StoreFault::kConflict;
    case SQLITE_READONLY:
      return StoreFault::kReadOnly;
    case SQLITE_FULL:
      return StoreFault::kFull;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StoreFault::kCorrupt;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return StoreFault::kUnreachable;
    default:
      return StoreFault::kOther;
  }
}

// "" when PRAGMA quick_check finds `db` sound, else what it found.
std::string QuickCheck(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA quick_check(10)", -1, &stmt, nullptr) != SQLITE_OK) {
    return sqlite3_errmsg(db);
  }
  std::string problems;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const auto* line = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    const std::string text = line != nullptr ? line : "";
    if (text != "ok") problems += (problems.empty() ? "" : "; ") + text;
  }
  if (rc != SQLITE_DONE && problems.empty()) problems = sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  return problems.empty() ? "" : "quick_check of the copy: " + problems;
}

// Makes a rename in the directory of `path` durable.
void SyncDirectoryOf(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Before SQLite's first use in the process: it keeps global memory statistics by default, under a
// global mutex taken on every allocation and free (~40 times per one-row read, by two I/O threads
// at once). Nothing here reads those statistics. A no-op (SQLITE_MISUSE) if SQLite was initialised
// already.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

class SqliteConn final : public Conn {
 public:
  SqliteConn(const std::string& path, const StoreOptions& options,
             std::shared_ptr<SqliteCheckpointer> checkpointer)
      : checkpointer_(std::move(checkpointer)) {
    ConfigureSqliteOnce();
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = OpenWithCoalescingWal(path, flags, &db_);
    if (rc != SQLITE_OK) {
      const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw StoreError("sqlite: cannot open " + path + ": " + msg, false, true, FaultOf(rc));
    }
    sqlite3_busy_timeout(db_, static_cast<int>(options.busy_timeout.count()));
    Setup(options.busy_timeout);
    if (checkpointer_) checkpointer_->Attach(db_);
  }
  ~SqliteConn() override { Close(); }

  Dialect dialect() const override { return Dialect::kSqlite; }

  // BEGIN and COMMIT run as cached prepared statements: sqlite3_exec would parse them anew for
  // every transaction (a tenth of a one-row read's CPU). Failures read as sqlite3_exec's would.
  void Begin(TxMode mode) override {
    Control(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  void Commit() override { Control("COMMIT"); }
  void Rollback() override {
    if (db_ != nullptr && sqlite3_get_autocommit(db_) == 0) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      // Still inside a transaction: unusable, the pool replaces it.
      if (sqlite3_get_autocommit(db_) == 0) broken_ = true;
    }
  }

  std::vector<Row> Query(std::string_view sql, const std::vector<Value>& params) override {
    sqlite3_stmt* stmt = Prepare(sql);
    Bind(stmt, params);
    std::vector<Row> rows;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) Fail(rc, sql, stmt);
      rows.push_back(ReadRow(stmt));
    }
    sqlite3_reset(stmt);
    return rows;
  }

  int64_t Exec(std::string_view sql, const std::vector<Value>& params) override {
    sqlite3_stmt* stmt = Prepare(sql);
    Bind(stmt, params);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) Fail(rc, sql, stmt);
    sqlite3_reset(stmt);
    return sqlite3_changes64(db_);
  }

  void ExecScript(std::string_view sql) override {
    char* err = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      Throw(rc, msg);
    }
  }

  bool Healthy() const override { return db_ != nullptr && !broken_; }

  void BackupTo(const std::string& dest) override {
    struct stat st;
    if (::stat(dest.c_str(), &st) == 0) throw StoreError("backup: " + dest + " exists already");
    const std::string partial = dest + ".partial";
    ::unlink(partial.c_str());
    sqlite3* out = nullptr;
    int rc =
        sqlite3_open_v2(partial.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    std::string failure;
    if (rc == SQLITE_OK) {
      // One step copies every page inside one read transaction: a consistent snapshot, while
      // writers go on appending to the write-ahead log.
      sqlite3_backup* b = sqlite3_backup_init(out, "main", db_, "main");
      if (b == nullptr) {
        failure = sqlite3_errmsg(out);
      } else {
        rc = sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) failure = sqlite3_errstr(rc);
      }
    } else {
      failure = out != nullptr ? sqlite3_errmsg(out) : sqlite3_errstr(rc);
    }
    if (failure.empty()) failure = QuickCheck(out);
    // Closing checkpoints and removes the copy's own log: one self-contained file.
    if (sqlite3_close(out) != SQLITE_OK && failure.empty()) failure = "cannot close the copy";
    if (failure.empty() && ::rename(partial.c_str(), dest.c_str()) != 0) {
      failure = std::string("cannot rename the copy: ") + std::strerror(errno);
    }
    if (!failure.empty()) {
      ::unlink(partial.c_str());
      throw StoreError("backup to " + dest + " failed: " + failure);
    }
    SyncDirectoryOf(dest);
  }

 private:
  static constexpr const char* kSetup =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
      // Savepoints (one per group-commit member) keep their undo pages in memory.
      "PRAGMA temp_store=MEMORY; "
      // Without a SqliteCheckpointer, checkpoint every 10,000 pages (~40 MiB) instead of 1,000:
      // a random index page that many commits touch is copied into the database once per
      // checkpoint, not ten times. After a checkpoint the log is cut back to 64 MiB.
      "PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864;";

  // Runs kSetup. Switching a new database to WAL takes an exclusive lock, and SQLite answers
  // SQLITE_BUSY at once, without waiting, where waiting could deadlock (several processes opening
  // a new database together): such failures are retried until `busy_timeout` has passed.
  void Setup(std::chrono::milliseconds busy_timeout) {
    const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
    for (int attempt = 1;; ++attempt) {
      try {
        ExecScript(kSetup);
        return;
      } catch (const StoreError& e) {
        if (!e.retryable() || std::chrono::steady_clock::now() >= deadline) {
          Close();
          const StoreFault f =
              e.fault() == StoreFault::kConflict ? StoreFault::kUnreachable : e.fault();
          throw StoreError(e.what(), e.retryable(), f != StoreFault::kCorrupt, f);
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(attempt, 20)));
    }
  }

  void Close() {
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  // Runs a transaction control statement without parameters or rows.
  void Control(std::string_view sql) {
    sqlite3_stmt* stmt = Prepare(sql);
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) {
      sqlite3_reset(stmt);
      return;
    }
    const std::string msg = sqlite3_errmsg(db_);
    sqlite3_reset(stmt);
    Throw(rc, msg);
  }

  sqlite3_stmt* Prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    std::string key(sql);
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) Throw(rc, std::string(sqlite3_errmsg(db_)) + " in: " + key);
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  void Bind(sqlite3_stmt* stmt, const std::vector<Value>& params) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (std::size_t i = 0; i < params.size(); ++i) {
      char name[24] = "$";
      *std::to_chars(name + 1, name + sizeof name - 1, i + 1).ptr = '\0';
      const int idx = sqlite3_bind_parameter_index(stmt, name);
      if (idx == 0) continue;
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text64(stmt, idx, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(stmt, idx);
      }
      if (rc != SQLITE_OK) Throw(rc, sqlite3_errmsg(db_));
    }
  }

  static Row ReadRow(sqlite3_stmt* stmt) {
    Row row;
    const int n = sqlite3_column_count(stmt);
    row.cols.reserve(n);
    for (int c = 0; c < n; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_NULL:
          row.cols.emplace_back(nullptr);
          break;
        case SQLITE_INTEGER:
          row.cols.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        default: {
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          row.cols.emplace_back(std::string(p, sqlite3_column_bytes(stmt, c)));
        }
      }
    }
    return row;
  }

  [[noreturn]] void Fail(int rc, std::string_view sql, sqlite3_stmt* stmt) {
    std::string msg = std::string(sqlite3_errmsg(db_)) + " in: " + std::string(sql);
    sqlite3_reset(stmt);
    Throw(rc, msg);
  }

  [[noreturn]] void Throw(int rc, const std::string& msg) {
    if (IsFatal(rc)) broken_ = true;
    const StoreFault fault = FaultOf(rc);
    // "unavailable": the same transaction may succeed on a fresh connection (see Store::Settle).
    const bool unavailable = fault == StoreFault::kUnreachable || fault == StoreFault::kFull;
    throw StoreError("sqlite: " + msg, IsBusy(rc), unavailable, fault);
  }

  std::shared_ptr<SqliteCheckpointer> checkpointer_;  // outlives db_ (closed in the destructor)
  sqlite3* db_ = nullptr;
  bool broken_ = false;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Looked up by the statement's text without copying it.
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> cache_;
};

}  // namespace

std::unique_ptr<Conn> OpenSqliteConn(const std::string& path, const StoreOptions& options,
                                     std::shared_ptr<SqliteCheckpointer> checkpointer) {
  return std::make_unique<SqliteConn>(path, options, std::move(checkpointer));
}

}  // namespace beian::store_internal
