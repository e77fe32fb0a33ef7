// Webhook delivery (docs/architecture.md, "Webhooks"): the events table is the outbox; each
// webhook's cursor says which events it has taken. A worker claims one due webhook at a time with
// a lease (lease_owner, lease_until on its row), then loops: in one transaction (row locked, lease
// still ours) record the last attempt, queue new events, pick the head message; outside any
// transaction send it. The head message is retried until delivered or its schedule runs out before
// the next one goes, so an endpoint receives its events in order.
#include <sodium.h>

#include <boost/json.hpp>

#include "service/internal.h"
#include "service/webhook_transport.h"

namespace beian {

std::string_view WebhookOutcomeName(WebhookOutcome o) {
  switch (o) {
    case WebhookOutcome::kDelivered:
      return "delivered";
    case WebhookOutcome::kFailed:
      return "failed";
    case WebhookOutcome::kRefused:
      return "refused";
    case WebhookOutcome::kTimeout:
      return "timeout";
    case WebhookOutcome::kConnect:
      return "connect";
  }
  return "failed";
}

namespace {

constexpr int kFillBatch = 500;
constexpr int kMaxClaimsPerRun = 1000;

int64_t NowMs(const WebhookOptions& o) {
  if (o.now_ms) return o.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t LeaseMs(const WebhookOptions& o) { return o.timeout.count() + 10000; }

// The body of the message of `e` (see docs/interface.md, "Webhooks").
std::string MessageBody(const Event& e) {
  boost::json::object data;
  data["seq"] = e.seq;
  if (e.account_id.empty()) {
    data["account_id"] = nullptr;
  } else {
    data["account_id"] = e.account_id;
  }
  data["subject"] = e.subject;
  data["actor"] = e.actor;
  if (!e.account2.empty()) data["account2"] = e.account2;
  boost::system::error_code ec;
  const boost::json::value extra = boost::json::parse(e.data_json, ec);
  if (!ec && extra.is_object()) {
    for (const auto& [k, v] : extra.as_object()) {
      if (!data.contains(k)) data[k] = v;
    }
  }
  return boost::json::serialize(boost::json::object{
      {"type", e.type}, {"timestamp", FormatRfc3339Cst(e.at)}, {"data", std::move(data)}});
}

// Queues the events after w's cursor that it wants, and advances the cursor past every event
// looked at. Only events up to the high water: ListEvents lists all of those.
void Fill(Tx& tx, Webhook& w, int64_t now_ms, const RetrySchedule& schedule) {
  const int64_t hw = tx.EventsHighWater();
  if (w.cursor_seq >= hw) return;
  const std::vector<Event> events = tx.ListEvents(
      w.cursor_seq, kFillBatch, w.account_id.empty() ? std::nullopt : std::optional(w.account_id));
  const int64_t first_delay =
      schedule.empty() ? 0 : std::chrono::milliseconds(schedule.front()).count();
  int taken = 0;
  for (const Event& e : events) {
    if (e.seq > hw) break;
    ++taken;
    w.cursor_seq = e.seq;
    if (!WebhookWants(w, e)) continue;
    tx.QueueWebhookMessage(WebhookMessage{.webhook_id = w.id,
                                          .seq = e.seq,
                                          .event_type = e.type,
                                          .queued_at_ms = now_ms,
                                          .next_attempt_at_ms = now_ms + first_delay});
  }
  if (taken < kFillBatch) w.cursor_seq = std::max(w.cursor_seq, hw);
}

struct Work {
  Webhook webhook;
  WebhookMessage message;
  Event event;
};

struct Sent {
  WebhookMessage message;
  WebhookReply reply;
  int64_t at_ms = 0;
};

WebhookOutcome OutcomeOf(const WebhookReply& r) {
  switch (r.failure) {
    case WebhookReply::Failure::kRefused:
      return WebhookOutcome::kRefused;
    case WebhookReply::Failure::kConnect:
      return WebhookOutcome::kConnect;
    case WebhookReply::Failure::kTimeout:
      return WebhookOutcome::kTimeout;
    case WebhookReply::Failure::kNone:
      break;
  }
  return r.status >= 200 && r.status < 300 ? WebhookOutcome::kDelivered : WebhookOutcome::kFailed;
}

double UnitRandom() { return randombytes_uniform(1000000) / 1e6; }

}  // namespace

std::chrono::milliseconds Service::DeliverWebhooks(WebhookTransport& transport,
                                                   const WebhookOptions& options) {
  try {
    for (int i = 0; i < kMaxClaimsPerRun; ++i) {
      const int64_t now = NowMs(options);
      // A read first, so that an idle poll writes nothing.
      auto due = store_.Read([&](Tx& tx) -> Result<bool> {
        return tx.DueWebhook(now, tx.EventsHighWater(), false).has_value();
      });
      if (!due.ok()) return options.idle_poll;
      if (!*due) return options.poll;
      auto claimed = store_.Write([&](Tx& tx) -> Result<std::optional<std::string>> {
        std::optional<std::string> id = tx.DueWebhook(now, tx.EventsHighWater(), true);
        if (id) tx.SetWebhookLease(*id, options.owner, now + LeaseMs(options));
        return id;
      });
      if (!claimed.ok()) return options.idle_poll;
      if (!*claimed) return options.poll;
      if (options.on_due) options.on_due();
      DeliverClaimed(**claimed, transport, options);
    }
    return std::chrono::milliseconds(0);
  } catch (const std::exception&) {
    return options.idle_poll;
  }
}

void Service::DeliverClaimed(const std::string& id, WebhookTransport& transport,
                             const WebhookOptions& options) {
  std::optional<Sent> sent;
  for (;;) {
    const int64_t now = NowMs(options);
    std::optional<WebhookOutcome> counted;
    auto step = store_.Write([&](Tx& tx) -> Result<std::optional<Work>> {
      counted.reset();
      std::optional<Webhook> w = tx.GetWebhook(id, true);
      if (!w || w->lease_owner != options.owner) return std::optional<Work>();  // lost it
      if (sent) {
        // Record the attempt (the lease is still ours, so no one else sent this message).
        WebhookMessage m = sent->message;
        const WebhookReply& r = sent->reply;
        const WebhookOutcome outcome = OutcomeOf(r);
        counted = outcome;
        WebhookAttempt a{.webhook_id = w->id,
                         .seq = m.seq,
                         .event_type = m.event_type,
                         .attempt = m.attempts + 1,
                         .at_ms = sent->at_ms,
                         .outcome = std::string(WebhookOutcomeName(outcome)),
                         .status = std::nullopt,
                         .latency_ms = r.latency.count(),
                         .response = r.failure == WebhookReply::Failure::kNone
                                         ? r.body_head.substr(0, 2048)
                                         : r.error.substr(0, 2048),
                         .next_attempt_at_ms = std::nullopt};
        if (r.failure == WebhookReply::Failure::kNone) a.status = r.status;
        m.attempts += 1;
        std::string disable;
        if (outcome == WebhookOutcome::kDelivered) {
          m.state = "delivered";
          w->failing_since_ms.reset();
        } else if (r.failure == WebhookReply::Failure::kNone && r.status == 410) {
          disable = "gone";
          m.next_attempt_at_ms = now;  // sent again if the webhook is enabled again
        } else {
          std::optional<std::chrono::seconds> retry_after;
          if (r.failure == WebhookReply::Failure::kNone && (r.status == 429 || r.status == 503)) {
            retry_after = r.retry_after;
          }
          const auto delay =
              RetryDelay(options.schedule, m.attempts + 1, UnitRandom(), retry_after);
          if (delay) {
            m.next_attempt_at_ms = now + std::chrono::milliseconds(*delay).count();
            a.next_attempt_at_ms = m.next_attempt_at_ms;
          } else {
            m.state = "failed";
          }
          if (!w->failing_since_ms) {
            w->failing_since_ms = sent->at_ms;
          } else if (now - *w->failing_since_ms >= kWebhookFailingDisableMs) {
            disable = "failing";
          }
        }
        tx.UpdateWebhookMessage(m);
        tx.InsertWebhookAttempt(a);
        if (!disable.empty()) {
          w->active = false;
          w->disabled_reason = disable;
          w->updated_at = Now();
          svc::AppendEvent(tx, SystemPrincipal(), Now(), "webhook.disabled", w->account_id, w->id,
                           svc::JsonObject({{"webhook_id", w->id}, {"reason", disable}}));
        }
      }
      std::optional<Work> work;
      if (w->active) {
        Fill(tx, *w, now, options.schedule);
        w->next_at_ms = kWebhookNever;
        while (std::optional<WebhookMessage> head = tx.HeadWebhookMessage(w->id)) {
          if (head->next_attempt_at_ms > now) {
            w->next_at_ms = head->next_attempt_at_ms;
            break;
          }
          std::optional<Event> e = tx.GetEvent(head->seq);
          if (!e) {  // removed by retention: nothing left to send
            head->state = "failed";
            tx.UpdateWebhookMessage(*head);
            continue;
          }
          w->next_at_ms = head->next_attempt_at_ms;
          work = Work{*w, *head, std::move(*e)};
          break;
        }
      }
      tx.UpdateWebhook(*w);
      if (work) {
        tx.SetWebhookLease(w->id, options.owner, now + LeaseMs(options));
      } else {
        tx.SetWebhookLease(w->id, "", 0);
      }
      return work;
    });
    if (counted && step.ok()) {
      webhook_outcomes_[static_cast<int>(*counted)].fetch_add(1, std::memory_order_relaxed);
    }
    if (!step.ok() || !*step) return;  // the lease runs out by itself if we could not release it
    const Work& work = **step;
    sent = Sent{work.message, {}, NowMs(options)};
    const std::string msg_id = WebhookMessageId(work.webhook.id, work.message.seq);
    const std::string body = MessageBody(work.event);
    std::vector<std::string> secrets = {work.webhook.secret};
    if (!work.webhook.previous_secret.empty() && work.webhook.previous_secret_expires_at &&
        *work.webhook.previous_secret_expires_at > Now()) {
      secrets.push_back(work.webhook.previous_secret);
    }
    const int64_t ts = sent->at_ms / 1000;
    Result<std::string> sig = SignWebhook(secrets, msg_id, ts, body);
    if (!sig.ok()) {
      sent->reply.failure = WebhookReply::Failure::kRefused;
      sent->reply.error = "the webhook secret cannot sign";
      continue;
    }
    WebhookRequest req;
    req.url = work.webhook.url;
    req.headers = {{"webhook-id", msg_id},
                   {"webhook-timestamp", std::to_string(ts)},
                   {"webhook-signature", *sig}};
    req.body = body;
    req.timeout = options.timeout;
    sent->reply = transport.Post(req);
  }
}

}  // namespace beian
