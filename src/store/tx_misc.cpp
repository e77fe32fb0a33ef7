// Tx: idempotency keys, attempt counters, events and statistics.
#include <boost/json.hpp>

#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::EventFromRow;
using store_internal::FromSecs;
using store_internal::Secs;
using store_internal::TextValue;

std::optional<IdempotencyRecord> Tx::GetIdempotency(std::string_view account_id,
                                                    std::string_view key) {
  const auto rows = conn_.Query(sql_.get_idempotency, {TextValue(account_id), TextValue(key)});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows[0];
  return IdempotencyRecord{r.Str(0), r.Str(1), r.Str(2), r.Str(3), FromSecs(r.Int(4))};
}

void Tx::PutIdempotency(const IdempotencyRecord& r) {
  conn_.Exec(sql_.put_idempotency,
             {r.account_id, r.key, r.request_hash, r.result, Secs(r.created_at)});
}

void Tx::PurgeIdempotency(Time before) { conn_.Exec(sql_.purge_idempotency, {Secs(before)}); }

int Tx::CountAttempts(std::string_view subject, Time since) {
  const auto rows = conn_.Query(sql_.count_attempts, {TextValue(subject), Secs(since)});
  return static_cast<int>(rows.at(0).Int(0));
}

void Tx::LockAttempts(std::string_view subject) {
  if (sql_.lock_attempts.empty()) return;  // write transactions exclude each other already
  conn_.Query(sql_.lock_attempts, {TextValue(subject)});
}

std::optional<Time> Tx::NthAttempt(std::string_view subject, Time since, int n) {
  const auto rows = conn_.Query(sql_.nth_attempt, {TextValue(subject), Secs(since), int64_t{n}});
  if (rows.empty()) return std::nullopt;
  return FromSecs(rows[0].Int(0));
}

void Tx::RecordAttempt(std::string_view subject, Time at) {
  conn_.Exec(sql_.record_attempt, {TextValue(subject), Secs(at)});
}

void Tx::RemoveAttempt(std::string_view subject, Time at) {
  conn_.Exec(sql_.remove_attempt, {TextValue(subject), Secs(at)});
}

void Tx::PurgeAttempts(Time before) { conn_.Exec(sql_.purge_attempts, {Secs(before)}); }

BucketState Tx::LockBucket(std::string_view key, const BucketState& if_new) {
  conn_.Exec(sql_.insert_bucket, {TextValue(key), if_new.milli, Secs(if_new.at)});
  const auto rows = conn_.Query(sql_.lock_bucket, {TextValue(key)});
  if (rows.empty()) throw StoreError("rate bucket vanished: " + std::string(key), true, false);
  return BucketState{rows[0].Int(0), FromSecs(rows[0].Int(1))};
}

void Tx::PutBucket(std::string_view key, const BucketState& state) {
  conn_.Exec(sql_.put_bucket, {TextValue(key), state.milli, Secs(state.at)});
}

void Tx::PurgeBuckets(Time before) { conn_.Exec(sql_.purge_buckets, {Secs(before)}); }

void Tx::AppendEvent(const Event& e) {
  conn_.Exec(sql_.append_event,
             {Secs(e.at), e.actor, e.type, e.account_id, e.subject, e.data_json, e.account2});
}

void Tx::AppendEvents(const std::vector<Event>& events) {
  if (events.empty()) return;
  boost::json::array rows;
  for (const Event& e : events) {
    rows.push_back(boost::json::array{
        boost::json::value(Secs(e.at)), boost::json::value(e.actor), boost::json::value(e.type),
        boost::json::value(e.account_id), boost::json::value(e.subject),
        boost::json::value(e.data_json), boost::json::value(e.account2)});
  }
  conn_.Exec(sql_.append_events, {boost::json::serialize(rows)});
}

std::vector<Event> Tx::ListEvents(int64_t after, int limit, std::optional<std::string> account_id) {
  const auto rows = account_id ? conn_.Query(sql_.list_events_of_account,
                                             {after, int64_t{limit}, std::move(*account_id)})
                               : conn_.Query(sql_.list_events, {after, int64_t{limit}});
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(EventFromRow(r));
  return out;
}

std::vector<Event> Tx::ListEventsBefore(int64_t before, int limit,
                                        std::optional<std::string> account_id) {
  const auto rows = account_id ? conn_.Query(sql_.list_events_of_account_desc,
                                             {before, int64_t{limit}, std::move(*account_id)})
                               : conn_.Query(sql_.list_events_desc, {before, int64_t{limit}});
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(EventFromRow(r));
  return out;
}

Stats Tx::GetStats() {
  Stats s;
  // Counts kept by triggers (migration 3): no scan of the tables themselves.
  for (const Row& r : conn_.Query(sql_.state_counts, {std::string("numbers")})) {
    s.numbers_by_state.emplace_back(r.Str(0), r.Int(1));
    s.numbers_issued += r.Int(1);
  }
  for (const Row& r : conn_.Query(sql_.state_counts, {std::string("filings")})) {
    s.filings_by_state.emplace_back(r.Str(0), r.Int(1));
  }
  return s;
}

}  // namespace beian
