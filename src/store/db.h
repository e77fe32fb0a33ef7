#pragma once
// The driver layer: one database connection. Implemented for SQLite and PostgreSQL; everything
// above it (Tx) writes portable SQL with $1, $2, … parameters.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace beian {

using Value = std::variant<std::nullptr_t, int64_t, std::string>;

struct Row {
  std::vector<Value> cols;
  bool IsNull(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(cols.at(i)); }
  int64_t Int(std::size_t i) const;             // text columns are converted
  const std::string& Str(std::size_t i) const;  // throws StoreError if not text
  std::optional<std::string> OptStr(std::size_t i) const;
};

enum class Dialect { kSqlite, kPostgres };
enum class TxMode { kRead, kWrite };

// What an operator must know about a database failure: it decides the client's status (503 while
// it may pass, 500 when it will not) and is named in the server's log line.
enum class StoreFault {
  kConflict,     // serialization failure, deadlock, busy: retried by the Store
  kUnreachable,  // the database cannot be reached, or refused or lost the connection
  kReadOnly,     // the database refuses writes (read-only file or transaction, a standby)
  kFull,         // no space left for the database
  kCorrupt,      // the database file is damaged: permanent until restored
  kOther,        // anything else (a bug, a constraint): permanent
};
// "unreachable", "read-only", "disk-full", "corrupt", "conflict", "other".
const char* StoreFaultName(StoreFault f);

// Thrown by drivers (and caught by Store at the transaction boundary). `retryable` marks a
// transaction that may succeed when run again (SQLITE_BUSY, serialization failure, deadlock);
// `unavailable` marks a lost or refused connection. what() is internal text (it may hold SQL,
// hosts and driver messages): it goes to the server log, never to a client.
class StoreError : public std::runtime_error {
 public:
  StoreError(const std::string& what, bool retryable = false, bool unavailable = false)
      : StoreError(what, retryable, unavailable,
                   unavailable ? StoreFault::kUnreachable
                               : (retryable ? StoreFault::kConflict : StoreFault::kOther)) {}
  StoreError(const std::string& what, bool retryable, bool unavailable, StoreFault fault)
      : std::runtime_error(what), retryable_(retryable), unavailable_(unavailable), fault_(fault) {}
  bool retryable() const { return retryable_; }
  bool unavailable() const { return unavailable_; }
  StoreFault fault() const { return fault_; }

 private:
  bool retryable_;
  bool unavailable_;
  StoreFault fault_;
};

// The connection to the server was lost (or the server is no longer a primary) before COMMIT was
// sent: the server rolled the transaction back, so running it again on a new connection is safe.
class ConnectionLostError : public StoreError {
 public:
  explicit ConnectionLostError(const std::string& what, StoreFault fault = StoreFault::kUnreachable)
      : StoreError(what, false, true, fault) {}
};

// The connection was lost while COMMIT was in flight, or the server committed locally but warned
// that it could not confirm the synchronous replication: the transaction may or may not have
// committed (on the primary that survives a failover). Never retried and never reported as success.
class CommitUnknownError : public StoreError {
 public:
  explicit CommitUnknownError(const std::string& what) : StoreError(what, false, true) {}
};

// One connection; not thread-safe (the pool hands it to one thread at a time).
class Conn {
 public:
  virtual ~Conn() = default;
  virtual Dialect dialect() const = 0;
  // SQLite: BEGIN IMMEDIATE for kWrite, BEGIN for kRead. PostgreSQL: BEGIN (READ ONLY for kRead).
  virtual void Begin(TxMode mode) = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;  // never throws
  // Runs one statement with $1… parameters (prepared and cached by SQL text) and returns its rows.
  virtual std::vector<Row> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs one statement; returns the number of rows changed.
  virtual int64_t Exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs several statements with no parameters (migrations).
  virtual void ExecScript(std::string_view sql) = 0;
  // False once the connection is known to be broken (the pool then replaces it).
  virtual bool Healthy() const = 0;
  // SQLite: copies the database, as of one moment, to a new file `dest` with the online backup
  // API (writers go on meanwhile), checks the copy (PRAGMA quick_check) and moves it into place
  // atomically; fails if `dest` exists. PostgreSQL: throws (use pg_dump).
  virtual void BackupTo(const std::string& dest) = 0;
};

}  // namespace beian
