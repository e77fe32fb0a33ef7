#pragma once
// What webhook delivery needs from the outside world, so that the service layer stays free of
// HTTP clients: Post() sends one signed message (implemented with libcurl and an SSRF guard in
// src/http/webhook_client.*, wired by the CLI), and the signing helpers of Standard Webhooks v1
// (libsodium; src/service/webhook_sign.cpp).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.h"

namespace beian {

struct WebhookRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // webhook-id, -timestamp, -signature
  std::string body;                                          // application/json
  std::chrono::milliseconds timeout{15000};
};

struct WebhookReply {
  enum class Failure {
    kNone,     // an HTTP answer arrived: see status
    kRefused,  // not sent: the URL or its resolved address is not allowed (SSRF guard)
    kConnect,  // DNS failure, connection refused or reset, TLS failure
    kTimeout,  // no complete answer within the timeout
  };
  Failure failure = Failure::kNone;
  long status = 0;                                  // the HTTP status when failure == kNone
  std::string body_head;                            // the first 2 KiB of the answer's body
  std::chrono::milliseconds latency{0};             // from the start of the request to the end
  std::optional<std::chrono::seconds> retry_after;  // Retry-After of a 429/503 (seconds or date)
  std::string error;                                // why, for the deliveries list and the log
};

// Sends webhook messages. Post never throws and is thread-safe; it may block up to the timeout.
class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  virtual WebhookReply Post(const WebhookRequest& request) = 0;
};

// A new endpoint secret: "whsec_" + base64 of 24 random bytes.
std::string NewWebhookSecret();

// Standard Webhooks v1 signature of (msg_id, timestamp in Unix seconds, body) with each secret
// ("whsec_…"): "v1,<base64 HMAC-SHA256>" per secret, space-separated. kInvalidRequest when a
// secret is malformed.
Result<std::string> SignWebhook(const std::vector<std::string>& secrets, std::string_view msg_id,
                                int64_t timestamp, std::string_view body);

}  // namespace beian
