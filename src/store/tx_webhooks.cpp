// Webhook subscriptions, messages and attempts (009_webhooks.sql).
#include <boost/json.hpp>

#include "store/statements.h"
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using namespace store_internal;

namespace {

Value OptInt(const std::optional<int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}
std::optional<int64_t> IntOrNull(const Row& r, std::size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return r.Int(i);
}

std::vector<std::string> DecodeTypes(const std::string& json) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) throw StoreError("corrupt row: bad webhook event_types");
  for (const auto& e : v.as_array()) {
    if (!e.is_string()) throw StoreError("corrupt row: bad webhook event_types");
    out.emplace_back(e.as_string());
  }
  return out;
}

Webhook WebhookFromRow(const Row& r) {
  Webhook w;
  w.id = r.Str(0);
  w.account_id = r.Str(1);
  w.url = r.Str(2);
  w.event_types = DecodeTypes(r.Str(3));
  w.description = r.Str(4);
  w.secret = r.Str(5);
  w.previous_secret = r.Str(6);
  if (auto e = IntOrNull(r, 7)) w.previous_secret_expires_at = FromSecs(*e);
  w.active = r.Str(8) == "active";
  w.disabled_reason = r.Str(9);
  w.cursor_seq = r.Int(10);
  w.failing_since_ms = IntOrNull(r, 11);
  w.lease_owner = r.Str(12);
  w.lease_until_ms = r.Int(13);
  w.next_at_ms = r.Int(14);
  w.created_at = FromSecs(r.Int(15));
  w.updated_at = FromSecs(r.Int(16));
  return w;
}

WebhookMessage MessageFromRow(const Row& r) {
  WebhookMessage m;
  m.webhook_id = r.Str(0);
  m.seq = r.Int(1);
  m.event_type = r.Str(2);
  m.state = r.Str(3);
  m.attempts = static_cast<int>(r.Int(4));
  m.queued_at_ms = r.Int(5);
  m.next_attempt_at_ms = r.Int(6);
  return m;
}

WebhookAttempt AttemptFromRow(const Row& r) {
  WebhookAttempt a;
  a.id = r.Int(0);
  a.webhook_id = r.Str(1);
  a.seq = r.Int(2);
  a.event_type = r.Str(3);
  a.attempt = static_cast<int>(r.Int(4));
  a.at_ms = r.Int(5);
  a.outcome = r.Str(6);
  a.status = IntOrNull(r, 7);
  a.latency_ms = r.Int(8);
  a.response = r.Str(9);
  a.next_attempt_at_ms = IntOrNull(r, 10);
  return a;
}

std::vector<Event> Events(const std::vector<Row>& rows) {
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(EventFromRow(r));
  return out;
}

}  // namespace

void Tx::InsertWebhook(const Webhook& w) {
  std::optional<int64_t> prev_exp;
  if (w.previous_secret_expires_at) prev_exp = Secs(*w.previous_secret_expires_at);
  conn_.Exec(sql_.insert_webhook,
             {w.id, w.account_id, w.url, EncodeStrings(w.event_types), w.description, w.secret,
              w.previous_secret, OptInt(prev_exp), std::string(w.active ? "active" : "disabled"),
              w.disabled_reason, w.cursor_seq, OptInt(w.failing_since_ms), w.lease_owner,
              w.lease_until_ms, w.next_at_ms, Secs(w.created_at), Secs(w.updated_at)});
}

std::optional<Webhook> Tx::GetWebhook(std::string_view id, bool for_update) {
  const auto rows = conn_.Query(for_update ? sql_.lock_webhook : sql_.get_webhook, {TextValue(id)});
  if (rows.empty()) return std::nullopt;
  return WebhookFromRow(rows[0]);
}

std::vector<Webhook> Tx::ListWebhooks(std::string_view account_id, std::string_view after_id,
                                      int limit) {
  std::vector<Webhook> out;
  for (const Row& r : conn_.Query(sql_.list_webhooks,
                                  {TextValue(account_id), TextValue(after_id), int64_t{limit}})) {
    out.push_back(WebhookFromRow(r));
  }
  return out;
}

int64_t Tx::CountWebhooks(std::string_view account_id) {
  return conn_.Query(sql_.count_webhooks, {TextValue(account_id)})[0].Int(0);
}

void Tx::UpdateWebhook(const Webhook& w) {
  std::optional<int64_t> prev_exp;
  if (w.previous_secret_expires_at) prev_exp = Secs(*w.previous_secret_expires_at);
  conn_.Exec(sql_.update_webhook,
             {w.id, w.url, EncodeStrings(w.event_types), w.description, w.secret, w.previous_secret,
              OptInt(prev_exp), std::string(w.active ? "active" : "disabled"), w.disabled_reason,
              w.cursor_seq, OptInt(w.failing_since_ms), w.next_at_ms, Secs(w.updated_at)});
}

void Tx::SetWebhookLease(std::string_view id, std::string_view owner, int64_t until_ms) {
  conn_.Exec(sql_.set_webhook_lease, {TextValue(id), TextValue(owner), until_ms});
}

void Tx::DeleteWebhook(std::string_view id) {
  conn_.Exec(sql_.delete_webhook_attempts, {TextValue(id)});
  conn_.Exec(sql_.delete_webhook_messages, {TextValue(id)});
  conn_.Exec(sql_.delete_webhook, {TextValue(id)});
}

int64_t Tx::EventsHighWater() { return conn_.Query(sql_.events_high_water)[0].Int(0); }

std::optional<std::string> Tx::DueWebhook(int64_t now_ms, int64_t high_water, bool claim) {
  const auto rows =
      conn_.Query(claim ? sql_.claim_webhook : sql_.webhook_due, {now_ms, high_water});
  if (rows.empty()) return std::nullopt;
  return rows[0].Str(0);
}

void Tx::QueueWebhookMessage(const WebhookMessage& m) {
  conn_.Exec(sql_.upsert_webhook_message,
             {m.webhook_id, m.seq, m.event_type, m.queued_at_ms, m.next_attempt_at_ms});
}

std::optional<WebhookMessage> Tx::HeadWebhookMessage(std::string_view webhook_id) {
  const auto rows = conn_.Query(sql_.head_webhook_message, {TextValue(webhook_id)});
  if (rows.empty()) return std::nullopt;
  return MessageFromRow(rows[0]);
}

void Tx::UpdateWebhookMessage(const WebhookMessage& m) {
  conn_.Exec(sql_.update_webhook_message,
             {m.webhook_id, m.seq, m.state, int64_t{m.attempts}, m.next_attempt_at_ms});
}

void Tx::InsertWebhookAttempt(const WebhookAttempt& a) {
  conn_.Exec(sql_.insert_webhook_attempt,
             {a.webhook_id, a.seq, a.event_type, int64_t{a.attempt}, a.at_ms, a.outcome,
              OptInt(a.status), a.latency_ms, a.response, OptInt(a.next_attempt_at_ms)});
}

std::vector<WebhookAttempt> Tx::ListWebhookAttempts(std::string_view webhook_id, int64_t before_id,
                                                    int limit) {
  std::vector<WebhookAttempt> out;
  for (const Row& r : conn_.Query(sql_.list_webhook_attempts,
                                  {TextValue(webhook_id), before_id, int64_t{limit}})) {
    out.push_back(AttemptFromRow(r));
  }
  return out;
}

int64_t Tx::CountPendingMessages(std::string_view webhook_id) {
  return conn_.Query(sql_.count_pending_messages, {TextValue(webhook_id)})[0].Int(0);
}

std::optional<WebhookAttempt> Tx::LastWebhookAttempt(std::string_view webhook_id) {
  const auto rows = conn_.Query(sql_.last_webhook_attempt, {TextValue(webhook_id)});
  if (rows.empty()) return std::nullopt;
  WebhookAttempt a;
  a.at_ms = rows[0].Int(0);
  a.outcome = rows[0].Str(1);
  return a;
}

std::pair<int64_t, std::optional<int64_t>> Tx::WebhookQueueStats() {
  const auto rows = conn_.Query(sql_.webhook_queue_stats);
  return {rows[0].Int(0), IntOrNull(rows[0], 1)};
}

std::optional<Event> Tx::GetEvent(int64_t seq) {
  const auto rows = conn_.Query(sql_.get_event, {seq});
  if (rows.empty()) return std::nullopt;
  return EventFromRow(rows[0]);
}

std::vector<Event> Tx::EventsWithSeqs(const std::vector<int64_t>& seqs) {
  boost::json::array a;
  for (int64_t s : seqs) a.push_back(s);
  return Events(conn_.Query(sql_.events_in_seqs, {boost::json::serialize(a)}));
}

std::vector<Event> Tx::EventsBetween(Time since, Time until, int limit) {
  return Events(conn_.Query(sql_.events_in_time_range, {Secs(since), Secs(until), int64_t{limit}}));
}

}  // namespace beian
