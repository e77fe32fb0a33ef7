// The PostgreSQL driver: one libpq connection, statements prepared once per connection and
// cached by SQL text; all parameters are sent as text.
#include <libpq-fe.h>

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

class PgConn final : public Conn {
 public:
  explicit PgConn(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      const std::string msg = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError("postgres: cannot connect: " + msg, false, true);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
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
  void Commit() override {
    // COMMIT of a transaction aborted by an error (that the caller swallowed) would roll back.
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
      throw StoreError("postgres: transaction aborted by an earlier error; not committed");
    }
    ExecScript("COMMIT");
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

  bool Healthy() const override {
    return conn_ != nullptr && !broken_ && PQstatus(conn_) == CONNECTION_OK;
  }

 private:
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
    if (PQstatus(conn_) != CONNECTION_OK) {
      throw StoreError("postgres: connection lost: " + msg, false, true);
    }
    const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state != nullptr ? state : "";
    // Class 08 (connection exception), 57P0x (shutdown) and 53 (insufficient resources).
    // "cached plan must not change result type": re-prepare at the next transaction and retry.
    const bool stale = code == "0A000" && msg.find("cached plan") != std::string::npos;
    if (stale) stale_plans_ = true;
    const bool unavailable =
        code.rfind("08", 0) == 0 || code.rfind("57P0", 0) == 0 || code.rfind("53", 0) == 0;
    throw StoreError("postgres: " + code + " " + msg + " in: " + std::string(sql),
                     IsRetryableState(code) || stale, unavailable);
  }

  PGconn* conn_;
  bool stale_plans_ = false;
  bool broken_ = false;
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace

std::unique_ptr<Conn> OpenPgConn(const std::string& url) { return std::make_unique<PgConn>(url); }

}  // namespace beian::store_internal
