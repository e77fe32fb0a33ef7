// Tx: idempotency keys, attempt counters, events and statistics.
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::AddCond;
using store_internal::EventFromRow;
using store_internal::FromSecs;
using store_internal::kEventCols;
using store_internal::Param;
using store_internal::Secs;
using store_internal::TextValue;

std::optional<IdempotencyRecord> Tx::GetIdempotency(std::string_view account_id,
                                                    std::string_view key) {
  const auto rows = conn_.Query(
      "SELECT account_id, key, request_hash, result, created_at FROM idempotency "
      "WHERE account_id = $1 AND key = $2",
      {TextValue(account_id), TextValue(key)});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows[0];
  return IdempotencyRecord{r.Str(0), r.Str(1), r.Str(2), r.Str(3), FromSecs(r.Int(4))};
}

void Tx::PutIdempotency(const IdempotencyRecord& r) {
  conn_.Exec(
      "INSERT INTO idempotency (account_id, key, request_hash, result, created_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {r.account_id, r.key, r.request_hash, r.result, Secs(r.created_at)});
}

void Tx::PurgeIdempotency(Time before) {
  conn_.Exec("DELETE FROM idempotency WHERE created_at < $1", {Secs(before)});
}

int Tx::CountAttempts(std::string_view subject, Time since) {
  const auto rows = conn_.Query("SELECT COUNT(*) FROM attempts WHERE subject = $1 AND at >= $2",
                                {TextValue(subject), Secs(since)});
  return static_cast<int>(rows.at(0).Int(0));
}

void Tx::LockAttempts(std::string_view subject) {
  if (!pg()) return;
  conn_.Query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", {TextValue(subject)});
}

std::optional<Time> Tx::NthAttempt(std::string_view subject, Time since, int n) {
  const auto rows = conn_.Query(
      "SELECT at FROM attempts WHERE subject = $1 AND at >= $2 ORDER BY at LIMIT 1 OFFSET $3",
      {TextValue(subject), Secs(since), int64_t{n}});
  if (rows.empty()) return std::nullopt;
  return FromSecs(rows[0].Int(0));
}

void Tx::RecordAttempt(std::string_view subject, Time at) {
  conn_.Exec("INSERT INTO attempts (subject, at) VALUES ($1, $2)", {TextValue(subject), Secs(at)});
}

void Tx::RemoveAttempt(std::string_view subject, Time at) {
  // One row of possibly several equal ones: by SQLite's rowid or PostgreSQL's ctid.
  conn_.Exec(pg() ? "DELETE FROM attempts WHERE ctid IN (SELECT ctid FROM attempts "
                    "WHERE subject = $1 AND at = $2 LIMIT 1)"
                  : "DELETE FROM attempts WHERE rowid IN (SELECT rowid FROM attempts "
                    "WHERE subject = $1 AND at = $2 LIMIT 1)",
             {TextValue(subject), Secs(at)});
}

void Tx::PurgeAttempts(Time before) {
  conn_.Exec("DELETE FROM attempts WHERE at < $1", {Secs(before)});
}

BucketState Tx::LockBucket(std::string_view key, const BucketState& if_new) {
  conn_.Exec(
      "INSERT INTO rate_buckets (key, level, at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
      {TextValue(key), if_new.milli, Secs(if_new.at)});
  const auto rows =
      conn_.Query(pg() ? "SELECT level, at FROM rate_buckets WHERE key = $1 FOR UPDATE"
                       : "SELECT level, at FROM rate_buckets WHERE key = $1",
                  {TextValue(key)});
  if (rows.empty()) throw StoreError("rate bucket vanished: " + std::string(key), true, false);
  return BucketState{rows[0].Int(0), FromSecs(rows[0].Int(1))};
}

void Tx::PutBucket(std::string_view key, const BucketState& state) {
  conn_.Exec("UPDATE rate_buckets SET level = $2, at = $3 WHERE key = $1",
             {TextValue(key), state.milli, Secs(state.at)});
}

void Tx::PurgeBuckets(Time before) {
  conn_.Exec("DELETE FROM rate_buckets WHERE at < $1", {Secs(before)});
}

void Tx::AppendEvent(const Event& e) {
  const std::vector<Value> params = {Secs(e.at), e.actor,     e.type,    e.account_id,
                                     e.subject,  e.data_json, e.account2};
  if (!pg()) {
    conn_.Exec(
        "INSERT INTO events (at, actor, type, account_id, subject, data, account2) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        params);
    return;
  }
  // seq = (xid << 20) + the number of events this transaction appended before (see 001_init.sql).
  conn_.Exec(
      "INSERT INTO events (seq, at, actor, type, account_id, subject, data, account2) "
      "SELECT COALESCE(MAX(e.seq) + 1, b.base), $1::bigint, $2::text, $3::text, $4::text, "
      "$5::text, $6::text, $7::text "
      "FROM (SELECT pg_current_xact_id()::text::bigint * 1048576 AS base) b "
      "LEFT JOIN events e ON e.seq >= b.base AND e.seq < b.base + 1048576 GROUP BY b.base",
      params);
}

std::vector<Event> Tx::ListEvents(int64_t after, int limit, std::optional<std::string> account_id) {
  std::vector<Value> params;
  std::string where;
  AddCond(where, "seq > " + Param(params, after));
  if (pg()) AddCond(where, "xid < pg_snapshot_xmin(pg_current_snapshot())");
  const std::string lim = Param(params, int64_t{limit});
  const std::string cols(kEventCols);
  std::string sql;
  if (!account_id) {
    sql = "SELECT " + cols + " FROM events" + where + " ORDER BY seq LIMIT " + lim;
  } else {
    // The account's events are those it is the first or the second account of: two ordered index
    // scans merged, each limited (an OR would sort every matching row).
    const std::string acc = Param(params, *account_id);
    sql = "SELECT " + cols + " FROM (SELECT * FROM (SELECT " + cols + " FROM events" + where +
          " AND account_id = " + acc + " ORDER BY seq LIMIT " + lim +
          ") a UNION ALL SELECT * FROM (SELECT " + cols + " FROM events" + where +
          " AND account2 = " + acc + " AND account2 <> '' ORDER BY seq LIMIT " + lim +
          ") b) u ORDER BY seq LIMIT " + lim;
  }
  const auto rows = conn_.Query(sql, params);
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(EventFromRow(r));
  return out;
}

Stats Tx::GetStats() {
  Stats s;
  // Counts kept by triggers (migration 3): no scan of the tables themselves.
  constexpr std::string_view kCounts =
      "SELECT state, CAST(SUM(n) AS BIGINT) FROM state_counts WHERE entity = $1 GROUP BY state "
      "HAVING SUM(n) > 0 ORDER BY state";
  for (const Row& r : conn_.Query(kCounts, {std::string("numbers")})) {
    s.numbers_by_state.emplace_back(r.Str(0), r.Int(1));
    s.numbers_issued += r.Int(1);
  }
  for (const Row& r : conn_.Query(kCounts, {std::string("filings")})) {
    s.filings_by_state.emplace_back(r.Str(0), r.Int(1));
  }
  return s;
}

}  // namespace beian
