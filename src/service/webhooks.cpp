// Webhook subscriptions: create, list, get, update, delete, rotate the secret, list deliveries,
// replay (delivery itself: webhook_delivery.cpp).
#include <sodium.h>

#include <boost/json.hpp>
#include <charconv>

#include "service/internal.h"
#include "service/webhook_transport.h"

namespace beian {
namespace {

constexpr int64_t kWebhookPageMax = 100;

// The account whose webhooks `actor` manages: its own (customers), "" (admins), else 403.
Result<std::string> WebhookScope(const Principal& actor) {
  if (!actor.IsOperator()) return actor.account_id;
  if (!actor.HasRole(OperatorRole::kAdmin)) return NeedsRole(actor, OperatorRole::kAdmin);
  return std::string();
}

std::string NewWebhookId() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "wh_";
  for (int i = 0; i < 20; ++i) id += kHex[randombytes_uniform(16)];
  return id;
}

std::string WebhookEventJson(const Webhook& w) {
  boost::json::array types;
  for (const auto& t : w.event_types) types.emplace_back(t);
  return boost::json::serialize(boost::json::object{{"webhook_id", w.id},
                                                    {"url", w.url},
                                                    {"event_types", std::move(types)},
                                                    {"state", w.active ? "active" : "disabled"}});
}

Status CheckInput(const WebhookInput& in) {
  if (in.url) {
    if (auto why = CheckWebhookUrl(*in.url)) return svc::InvalidField("url", *why);
  }
  if (in.event_types) {
    if (in.event_types->size() > 100) {
      return svc::InvalidField("event_types", Text{"事件类型过多", "too many event types"});
    }
    for (const auto& t : *in.event_types) {
      if (!IsWebhookEventType(t)) {
        return svc::InvalidField("event_types",
                                 Text{"未知的事件类型：" + t, "unknown event type: " + t});
      }
    }
  }
  if (in.description && in.description->size() > 500) {
    return svc::InvalidField(
        "description",
        Text{"描述过长（最多 500 字节）", "the description is too long (500 bytes at most)"});
  }
  return OkStatus();
}

std::vector<std::string> SortedUnique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

Result<Webhook> Service::OwnWebhook(Tx& tx, const Principal& actor, std::string_view id,
                                    bool for_update) {
  BEIAN_ASSIGN_OR_RETURN(const std::string scope, WebhookScope(actor));
  std::optional<Webhook> w = tx.GetWebhook(id, for_update);
  if (!w || w->account_id != scope) return svc::NotFound();
  return std::move(*w);
}

Result<WebhookView> Service::WebhookViewOf(Tx& tx, Webhook w) {
  WebhookView v;
  v.pending = tx.CountPendingMessages(w.id);
  v.last = tx.LastWebhookAttempt(w.id);
  v.webhook = std::move(w);
  return v;
}

Result<NewWebhook> Service::CreateWebhook(const Principal& actor, const WebhookInput& in) {
  BEIAN_ASSIGN_OR_RETURN(const std::string scope, WebhookScope(actor));
  if (!in.url) return svc::InvalidField("url", Text{"缺少 url", "url is required"});
  BEIAN_RETURN_IF_ERROR(CheckInput(in));
  const Time now = Now();
  Webhook w;
  w.id = NewWebhookId();
  w.account_id = scope;
  w.url = *in.url;
  w.event_types = SortedUnique(in.event_types.value_or(std::vector<std::string>{}));
  w.description = in.description.value_or("");
  w.secret = NewWebhookSecret();
  w.active = in.active.value_or(true);
  if (!w.active) w.disabled_reason = "manual";
  w.next_at_ms = kWebhookNever;
  w.created_at = w.updated_at = now;
  return WriteTx([&](Tx& tx) -> Result<NewWebhook> {
    if (tx.CountWebhooks(scope) >= kMaxWebhooksPerAccount) {
      return MakeError(
          ErrorCode::kInvalidState,
          Text{"每个账号最多 " + std::to_string(kMaxWebhooksPerAccount) + " 个 Webhook",
               "an account may have at most " + std::to_string(kMaxWebhooksPerAccount) +
                   " webhooks"});
    }
    w.cursor_seq = tx.EventsHighWater();  // no back-fill: replay does that
    tx.InsertWebhook(w);
    svc::AppendEvent(tx, actor, now, "webhook.created", scope, w.id, WebhookEventJson(w));
    NewWebhook out;
    out.secret = w.secret;
    BEIAN_ASSIGN_OR_RETURN(out.view, WebhookViewOf(tx, w));
    return out;
  });
}

Result<Page<WebhookView>> Service::ListWebhooks(const Principal& actor, const PageRequest& page) {
  BEIAN_ASSIGN_OR_RETURN(const std::string scope, WebhookScope(actor));
  const int limit = std::clamp<int>(page.limit, 1, kWebhookPageMax);
  return store_.Read([&](Tx& tx) -> Result<Page<WebhookView>> {
    Page<WebhookView> out;
    for (Webhook& w : tx.ListWebhooks(scope, page.page_token, limit + 1)) {
      if (static_cast<int>(out.items.size()) == limit) {
        out.next_page_token = out.items.back().webhook.id;
        break;
      }
      BEIAN_ASSIGN_OR_RETURN(WebhookView v, WebhookViewOf(tx, std::move(w)));
      out.items.push_back(std::move(v));
    }
    return out;
  });
}

Result<WebhookView> Service::GetWebhook(const Principal& actor, std::string_view id) {
  return store_.Read([&](Tx& tx) -> Result<WebhookView> {
    BEIAN_ASSIGN_OR_RETURN(Webhook w, OwnWebhook(tx, actor, id));
    return WebhookViewOf(tx, std::move(w));
  });
}

Result<WebhookView> Service::UpdateWebhook(const Principal& actor, std::string_view id,
                                           const WebhookInput& in) {
  BEIAN_RETURN_IF_ERROR(CheckInput(in));
  const Time now = Now();
  return WriteTx([&](Tx& tx) -> Result<WebhookView> {
    BEIAN_ASSIGN_OR_RETURN(Webhook w, OwnWebhook(tx, actor, id, true));
    if (in.url) w.url = *in.url;
    if (in.event_types) w.event_types = SortedUnique(*in.event_types);
    if (in.description) w.description = *in.description;
    if (in.active) {
      if (*in.active && !w.active) {
        w.active = true;
        w.disabled_reason.clear();
        w.failing_since_ms.reset();
        w.next_at_ms = 0;  // look at its queue now
      } else if (!*in.active && w.active) {
        w.active = false;
        w.disabled_reason = "manual";
      }
    }
    w.updated_at = now;
    tx.UpdateWebhook(w);
    svc::AppendEvent(tx, actor, now, "webhook.updated", w.account_id, w.id, WebhookEventJson(w));
    return WebhookViewOf(tx, std::move(w));
  });
}

Status Service::DeleteWebhook(const Principal& actor, std::string_view id) {
  const Time now = Now();
  return WriteTx([&](Tx& tx) -> Status {
    BEIAN_ASSIGN_OR_RETURN(const Webhook w, OwnWebhook(tx, actor, id, true));
    tx.DeleteWebhook(w.id);
    svc::AppendEvent(tx, actor, now, "webhook.deleted", w.account_id, w.id, WebhookEventJson(w));
    return OkStatus();
  });
}

Result<NewWebhook> Service::RotateWebhookSecret(const Principal& actor, std::string_view id) {
  const Time now = Now();
  const std::string secret = NewWebhookSecret();
  return WriteTx([&](Tx& tx) -> Result<NewWebhook> {
    BEIAN_ASSIGN_OR_RETURN(Webhook w, OwnWebhook(tx, actor, id, true));
    w.previous_secret = w.secret;
    w.previous_secret_expires_at = now + std::chrono::seconds(kWebhookPreviousSecretSeconds);
    w.secret = secret;
    w.updated_at = now;
    tx.UpdateWebhook(w);
    svc::AppendEvent(tx, actor, now, "webhook.secret_rotated", w.account_id, w.id,
                     svc::JsonObject({{"webhook_id", w.id}}));
    NewWebhook out;
    out.secret = secret;
    BEIAN_ASSIGN_OR_RETURN(out.view, WebhookViewOf(tx, std::move(w)));
    return out;
  });
}

Result<Page<WebhookAttempt>> Service::ListWebhookDeliveries(const Principal& actor,
                                                            std::string_view id,
                                                            const PageRequest& page) {
  int64_t before = std::numeric_limits<int64_t>::max();
  if (!page.page_token.empty()) {
    const char* end = page.page_token.data() + page.page_token.size();
    auto [p, ec] = std::from_chars(page.page_token.data(), end, before);
    if (ec != std::errc() || p != end || before <= 0) {
      return svc::InvalidField("page_token", Text{"翻页令牌无效", "the page token is not valid"});
    }
  }
  const int limit = std::clamp<int>(page.limit, 1, 500);
  return store_.Read([&](Tx& tx) -> Result<Page<WebhookAttempt>> {
    BEIAN_ASSIGN_OR_RETURN(const Webhook w, OwnWebhook(tx, actor, id));
    Page<WebhookAttempt> out;
    out.items = tx.ListWebhookAttempts(w.id, before, limit + 1);
    if (static_cast<int>(out.items.size()) > limit) {
      out.items.resize(static_cast<std::size_t>(limit));
      out.next_page_token = std::to_string(out.items.back().id);
    }
    return out;
  });
}

Result<int64_t> Service::ReplayWebhook(const Principal& actor, std::string_view id,
                                       const WebhookReplay& replay) {
  if (replay.seqs.size() > static_cast<std::size_t>(kMaxWebhookReplay)) {
    return svc::InvalidField("event_ids", Text{"事件过多", "too many events"});
  }
  if (replay.seqs.empty() && (!replay.since || !replay.until || *replay.since >= *replay.until)) {
    return svc::InvalidField("since", Text{"需要 event_ids，或 since 早于 until",
                                           "give event_ids, or since before until"});
  }
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  return WriteTx([&](Tx& tx) -> Result<int64_t> {
    BEIAN_ASSIGN_OR_RETURN(Webhook w, OwnWebhook(tx, actor, id, true));
    const std::vector<Event> events =
        replay.seqs.empty() ? tx.EventsBetween(*replay.since, *replay.until, kMaxWebhookReplay)
                            : tx.EventsWithSeqs(replay.seqs);
    int64_t n = 0;
    for (const Event& e : events) {
      if (e.seq > w.cursor_seq || !WebhookWants(w, e)) continue;  // later ones come anyway
      tx.QueueWebhookMessage(WebhookMessage{.webhook_id = w.id,
                                            .seq = e.seq,
                                            .event_type = e.type,
                                            .queued_at_ms = now_ms,
                                            .next_attempt_at_ms = now_ms});
      ++n;
    }
    if (n > 0) {
      w.next_at_ms = std::min(w.next_at_ms, now_ms);
      tx.UpdateWebhook(w);
    }
    return n;
  });
}

Result<WebhookQueue> Service::GetWebhookQueue() {
  return store_.Read([&](Tx& tx) -> Result<WebhookQueue> {
    auto [n, oldest] = tx.WebhookQueueStats();
    return WebhookQueue{n, oldest};
  });
}

}  // namespace beian
