// The PostgreSQL driver: one libpq connection, statements prepared once per connection and
// cached by SQL text; all parameters are sent as text.
#include <libpq-fe.h>
#include <poll.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "store/drivers.h"

namespace beian::store_internal {
namespace {

constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// Serialization failure, deadlock, and unique violation (a concurrent insert of the same key:
// re-running the transaction sees the other row and takes the ordinary path).
bool IsRetryableState(std::string_view state) {
  return state == "40001" || state == "40P01" || state == "23505";
}

// The server is gone or is going (class 08 connection exception, 57P01-57P03 shutdown), or it is
// no longer a primary (25006 read-only transaction: a demoted server, or a stale proxy route).
bool IsLostState(std::string_view state) {
  return state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03" ||
         state == "25006";
}

// Connection defaults that a failover needs; the URL may override each of them. connect_timeout
// bounds a connect to a dead address; keepalives and tcp_user_timeout find a silently vanished
// server (a lost machine) in seconds instead of the kernel's minutes; read-write skips standbys
// when the URL lists several hosts (postgresql://h1,h2,h3/db).
constexpr const char* kDefaultKeys[] = {
    "connect_timeout",  "keepalives",       "keepalives_idle",     "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "target_session_attrs"};
constexpr const char* kDefaultValues[] = {"5", "1", "5", "2", "3", "10000", "read-write"};

PGconn* Connect(const std::string& url) {
  constexpr std::size_t n = std::size(kDefaultKeys);
  const char* keys[n + 2];
  const char* values[n + 2];
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = kDefaultKeys[i];
    values[i] = kDefaultValues[i];
  }
  keys[n] = "dbname";  // expanded: the URL's own parameters override the defaults above
  values[n] = url.c_str();
  keys[n + 1] = values[n + 1] = nullptr;
  return PQconnectdbParams(keys, values, /*expand_dbname=*/1);
}

// libpq's messages span lines ("…failed: Connection refused\n\tIs the server running…"): one
// line for the log.
std::string OneLine(std::string msg) {
  for (char& ch : msg) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  while (!msg.empty() && msg.back() == ' ') msg.pop_back();
  std::string out;
  for (char ch : msg) {
    if (ch == ' ' && !out.empty() && out.back() == ' ') continue;
    out += ch;
  }
  return out;
}

// SQLSTATE classes: 25006 read-only transaction (default_transaction_read_only, a standby),
// 53100 disk full, XX001/XX002 corrupt data or index, 40001/40P01/23505 retried conflicts.
StoreFault FaultOf(const std::string& code, bool unavailable) {
  if (code == "25006") return StoreFault::kReadOnly;
  if (code == "53100") return StoreFault::kFull;
  if (code == "XX001" || code == "XX002") return StoreFault::kCorrupt;
  if (unavailable) return StoreFault::kUnreachable;
  if (IsRetryableState(code)) return StoreFault::kConflict;
  return StoreFault::kOther;
}

class PgConn final : public Conn {
 public:
  explicit PgConn(const std::string& url) : conn_(Connect(url)) {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      const std::string msg = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      // target_session_attrs=read-write turns a read-only server away at connect time: that is a
      // read-only store (a standby, or default_transaction_read_only), not an unreachable one.
      const bool read_only = msg.find("session is read-only") != std::string::npos ||
                             msg.find("hot standby") != std::string::npos;
      throw ConnectionLostError("postgres: cannot connect: " + OneLine(msg),
                                read_only ? StoreFault::kReadOnly : StoreFault::kUnreachable);
    }
    PQsetNoticeReceiver(conn_, &PgConn::OnNotice, this);
  }
  ~PgConn() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  void Begin(TxMode mode) override {
    if (stale_plans_) {  // a migration changed a table under a cached statement
      ExecScript("DEALLOCATE ALL");
      cache_.clear();
      stale_plans_ = false;
    }
    ExecScript(mode == TxMode::kWrite ? "BEGIN" : "BEGIN READ ONLY");
  }
  // Throws CommitUnknownError when the outcome cannot be known: the connection broke while COMMIT
  // was in flight, or the server warned (SQLSTATE class 01) that it stopped waiting for the
  // synchronous standby, so the commit is local only and a failover may lose it.
  void Commit() override {
    // COMMIT of a transaction aborted by an error (that the caller swallowed) would roll back.
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
      throw StoreError("postgres: transaction aborted by an earlier error; not committed");
    }
    commit_warning_.clear();
    committing_ = true;
    PgResult res(PQexec(conn_, "COMMIT"));
    committing_ = false;
    const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK) {
      if (commit_warning_.empty()) return;
      broken_ = true;  // the server is shutting down or cancelled the wait: start afresh
      throw CommitUnknownError("postgres: COMMIT answered with a warning: " +
                               OneLine(commit_warning_));
    }
    const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
    if (PQstatus(conn_) != CONNECTION_OK || state == nullptr || IsLostState(state)) {
      broken_ = true;
      const std::string msg = res ? PQresultErrorMessage(res.get()) : PQerrorMessage(conn_);
      throw CommitUnknownError("postgres: connection lost during COMMIT: " + OneLine(msg));
    }
    Check(std::move(res), "COMMIT");  // a definite failure (the transaction rolled back)
  }
  void Rollback() override {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) return;
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
    PgResult r(PQexec(conn_, "ROLLBACK"));
    // Still inside a transaction: unusable, the pool replaces it.
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) broken_ = true;
  }

  std::vector<Row> Query(std::string_view sql, const std::vector<Value>& params) override {
    PgResult res = Run(sql, params);
    std::vector<Row> rows;
    const int n = PQntuples(res.get());
    const int cols = PQnfields(res.get());
    rows.reserve(n);
    for (int r = 0; r < n; ++r) {
      Row row;
      row.cols.reserve(cols);
      for (int c = 0; c < cols; ++c) row.cols.push_back(Cell(res.get(), r, c));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  int64_t Exec(std::string_view sql, const std::vector<Value>& params) override {
    PgResult res = Run(sql, params);
    const char* n = PQcmdTuples(res.get());
    return n != nullptr && *n != '\0' ? std::stoll(n) : 0;
  }

  void ExecScript(std::string_view sql) override {
    const std::string text(sql);
    Check(PgResult(PQexec(conn_, text.c_str())), text);
  }

  // Also false when the server closed an idle connection (it is readable although no query is in
  // flight: a termination message or end of file), e.g. after a failover or a proxy's reset.
  bool Healthy() const override {
    if (conn_ == nullptr || broken_ || PQstatus(conn_) != CONNECTION_OK) return false;
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (poll(&p, 1, 0) == 0) return true;
    if (PQconsumeInput(conn_) == 0) return false;
    return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }

  void BackupTo(const std::string&) override {
    throw StoreError("postgres: beian backup copies SQLite databases only; use pg_dump");
  }

 private:
  static void OnNotice(void* self, const PGresult* res) {
    auto* conn = static_cast<PgConn*>(self);
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (!conn->committing_ || state == nullptr || std::string_view(state).rfind("01", 0) != 0) {
      return;
    }
    conn->commit_warning_ += PQresultErrorMessage(res);
  }

  static Value Cell(const PGresult* res, int r, int c) {
    if (PQgetisnull(res, r, c)) return nullptr;
    std::string text(PQgetvalue(res, r, c), PQgetlength(res, r, c));
    const Oid type = PQftype(res, c);
    if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid) return std::stoll(text);
    return text;
  }

  PgResult Run(std::string_view sql, const std::vector<Value>& params) {
    const std::string& name = Prepare(sql);
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        text[i] = std::to_string(*n);
        values[i] = text[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    PgResult res(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(),
                                nullptr, nullptr, 0));
    return Check(std::move(res), sql);
  }

  const std::string& Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    std::string name = "s" + std::to_string(cache_.size() + 1);
    Check(PgResult(PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr)), sql);
    return cache_.emplace(std::move(key), std::move(name)).first->second;
  }

  PgResult Check(PgResult res, std::string_view sql) {
    const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return res;
    std::string msg = res ? PQresultErrorMessage(res.get()) : PQerrorMessage(conn_);
    const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state != nullptr ? state : "";
    if (PQstatus(conn_) != CONNECTION_OK || IsLostState(code)) {
      broken_ = true;
      // A read-only transaction (25006) is a demoted server or default_transaction_read_only.
      throw ConnectionLostError(
          (code == "25006" ? "postgres: read-only: " : "postgres: connection lost: ") + code + " " +
              OneLine(msg),
          code == "25006" ? StoreFault::kReadOnly : StoreFault::kUnreachable);
    }
    // Class 08 (connection exception), 57P0x (shutdown) and 53 (insufficient resources).
    // "cached plan must not change result type": re-prepare at the next transaction and retry.
    const bool stale = code == "0A000" && msg.find("cached plan") != std::string::npos;
    if (stale) stale_plans_ = true;
    const bool unavailable =
        code.rfind("08", 0) == 0 || code.rfind("57P0", 0) == 0 || code.rfind("53", 0) == 0;
    throw StoreError("postgres: " + code + " " + OneLine(msg) + " in: " + std::string(sql),
                     IsRetryableState(code) || stale, unavailable, FaultOf(code, unavailable));
  }

  PGconn* conn_;
  bool stale_plans_ = false;
  bool broken_ = false;
  bool committing_ = false;     // COMMIT in flight: OnNotice collects warnings
  std::string commit_warning_;  // the warnings COMMIT raised
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace

std::unique_ptr<Conn> OpenPgConn(const std::string& url) { return std::make_unique<PgConn>(url); }

}  // namespace beian::store_internal
