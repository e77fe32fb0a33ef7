#pragma once
// Webhook subscriptions, their messages and delivery attempts (pure). See docs/architecture.md
// ("Webhooks"): the events table is the outbox; each webhook keeps a cursor in it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.h"
#include "domain/text.h"
#include "domain/time.h"

namespace beian {

inline constexpr int kMaxWebhooksPerAccount = 10;  // per customer account, and for operators
inline constexpr int64_t kWebhookNever = 9'000'000'000'000'000;  // next_at when nothing is due
// A failing endpoint is disabled when its failures started this long ago.
inline constexpr int64_t kWebhookFailingDisableMs = int64_t{5} * 24 * 3600 * 1000;
// The previous secret still signs this long after rotate-secret.
inline constexpr int64_t kWebhookPreviousSecretSeconds = 24 * 3600;

struct Webhook {
  std::string id;          // "wh_" + 20 lower-case hex digits
  std::string account_id;  // "" = operator subscription (all events)
  std::string url;
  std::vector<std::string> event_types;  // empty = all
  std::string description;
  std::string secret;
  std::string previous_secret;  // "" = none
  std::optional<Time> previous_secret_expires_at;
  bool active = true;
  std::string disabled_reason;  // "", "manual", "gone", "failing"
  int64_t cursor_seq = 0;
  std::optional<int64_t> failing_since_ms;
  std::string lease_owner;
  int64_t lease_until_ms = 0;
  int64_t next_at_ms = 0;
  Time created_at{};
  Time updated_at{};
};

struct WebhookMessage {
  std::string webhook_id;
  int64_t seq = 0;
  std::string event_type;
  std::string state = "pending";  // pending, delivered, failed
  int attempts = 0;
  int64_t queued_at_ms = 0;
  int64_t next_attempt_at_ms = 0;
};

struct WebhookAttempt {
  int64_t id = 0;
  std::string webhook_id;
  int64_t seq = 0;
  std::string event_type;
  int attempt = 0;
  int64_t at_ms = 0;
  std::string outcome;  // delivered, failed, refused, timeout, connect
  std::optional<int64_t> status;
  int64_t latency_ms = 0;
  std::string response;  // the first 2 KiB of the answer
  std::optional<int64_t> next_attempt_at_ms;
};

// A webhook as the API shows it: with its queue and last attempt.
struct WebhookView {
  Webhook webhook;
  int64_t pending = 0;
  std::optional<WebhookAttempt> last;  // at_ms and outcome only
};

// POST and PATCH /v1/webhooks: the fields given (PATCH), all but url optional on create.
struct WebhookInput {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> event_types;
  std::optional<std::string> description;
  std::optional<bool> active;  // PATCH state
};

// A webhook with its secret: shown once, when created or rotated.
struct NewWebhook {
  WebhookView view;
  std::string secret;
};

// POST /v1/webhooks/{id}/replay: event seqs, or a time range [since, until).
struct WebhookReplay {
  std::vector<int64_t> seqs;
  std::optional<Time> since;
  std::optional<Time> until;
};
inline constexpr int kMaxWebhookReplay = 10000;  // events per replay request

// The message id of event `seq` for webhook `webhook_id`: "msg_<webhook id>_<seq>".
std::string WebhookMessageId(std::string_view webhook_id, int64_t seq);

// Every event type a webhook may subscribe to, sorted.
const std::vector<std::string>& WebhookEventTypes();
bool IsWebhookEventType(std::string_view type);

// Ok when `url` is an absolute http or https URL with a host and without user:password; else
// the reason in zh-CN and en.
std::optional<Text> CheckWebhookUrl(std::string_view url);

// Whether `w` takes event `e`: its types (empty = all) and, for a customer's webhook, events whose
// account_id or account2 is that account.
bool WebhookWants(const Webhook& w, const Event& e);

}  // namespace beian
