// Tx: filtered reads of the audit trail and its archiving (010_events_filters.sql).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::EventFromRow;
using store_internal::Secs;

namespace {

constexpr std::string_view kEventColumns =
    "seq, at, actor, type, account_id, subject, data, account2";
// The PostgreSQL advisory lock key of the archive lease ("beianarc" as bytes, truncated).
constexpr int64_t kArchiveLockKey = 0x6265696172630a;

// A statement under construction: conditions and their parameters, numbered $1, $2, ...
class EventSql {
 public:
  std::string Param(Value v) {
    params_.push_back(std::move(v));
    return "$" + std::to_string(params_.size());
  }
  std::vector<Value>& params() { return params_; }

 private:
  std::vector<Value> params_;
};

// "filing.*" -> the range ["filing.", "filing/") of types; an exact type otherwise.
bool IsPrefix(const std::string& t) { return t.size() >= 2 && t.ends_with(".*"); }
std::string PrefixLow(const std::string& t) { return t.substr(0, t.size() - 1); }
std::string PrefixHigh(const std::string& t) {
  std::string s = PrefixLow(t);
  s.back() = static_cast<char>(s.back() + 1);  // '.' + 1 = '/'
  return s;
}

std::string TypeCondition(EventSql& b, const std::string& t) {
  if (IsPrefix(t)) {
    return "(type >= " + b.Param(PrefixLow(t)) + " AND type < " + b.Param(PrefixHigh(t)) + ")";
  }
  return "type = " + b.Param(t);
}

}  // namespace

std::vector<Event> Tx::FindEvents(const EventQuery& q) {
  EventSql b;
  const bool pg = conn_.dialect() == Dialect::kPostgres;
  // Conditions every branch carries.
  std::string common;
  const auto add = [&](const std::string& c) { common += " AND " + c; };
  if (q.newest_first) {
    add("seq < " + b.Param(q.before == 0 ? std::numeric_limits<int64_t>::max() : q.before));
  } else {
    add("seq > " + b.Param(q.after));
    // As list_events: no event a still-open transaction could precede.
    if (pg) add("xid < pg_snapshot_xmin(pg_current_snapshot())");
  }
  if (q.since) add("at >= " + b.Param(Secs(*q.since)));
  if (q.until) add("at < " + b.Param(Secs(*q.until)));
  // The branches, each an ordered index scan: per account column, else per type, else one.
  std::vector<std::string> branches;
  if (q.account) {
    const std::string a = b.Param(*q.account);
    branches = {"account_id = " + a, "account2 = " + a + " AND account2 <> ''"};
  } else if (!q.subject && !q.types.empty()) {
    for (const std::string& t : q.types) branches.push_back(TypeCondition(b, t));
  } else {
    branches = {"1 = 1"};
  }
  if (q.subject) add("subject = " + b.Param(*q.subject));
  if (!q.types.empty() && (q.account || q.subject)) {
    std::string any;
    for (const std::string& t : q.types) any += (any.empty() ? "" : " OR ") + TypeCondition(b, t);
    add("(" + any + ")");
  }
  const std::string order = q.newest_first ? " ORDER BY seq DESC LIMIT " : " ORDER BY seq LIMIT ";
  const std::string limit = b.Param(int64_t{q.limit});
  std::string sql;
  if (branches.size() == 1) {
    sql = "SELECT " + std::string(kEventColumns) + " FROM events WHERE " + branches[0] + common +
          order + limit;
  } else {
    sql = "SELECT " + std::string(kEventColumns) + " FROM (";
    for (std::size_t i = 0; i < branches.size(); ++i) {
      if (i > 0) sql += " UNION ALL ";
      sql += "SELECT * FROM (SELECT " + std::string(kEventColumns) + " FROM events WHERE " +
             branches[i] + common + order + limit + ") b" + std::to_string(i);
    }
    sql += ") u" + order + limit;
  }
  const auto rows = conn_.Query(sql, b.params());
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(EventFromRow(r));
  return out;
}

bool Tx::TryLockEventArchive() {
  if (conn_.dialect() != Dialect::kPostgres) return true;
  const auto rows = conn_.Query("SELECT CASE WHEN pg_try_advisory_xact_lock($1) THEN 1 ELSE 0 END",
                                {kArchiveLockKey});
  return rows.at(0).Int(0) == 1;
}

int64_t Tx::DeleteArchivedEvents(int64_t first, int64_t last, Time cutoff) {
  return conn_.Exec("DELETE FROM events WHERE seq >= $1 AND seq <= $2 AND at < $3",
                    {first, last, Secs(cutoff)});
}

}  // namespace beian
