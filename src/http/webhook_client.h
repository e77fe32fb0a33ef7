#pragma once
// The webhook sender (libcurl) with its SSRF guard. A webhook URL comes from a customer, so before
// anything is sent the host is resolved here (within the request's timeout: a resolver slower than
// that is given up on) and the request is refused when ANY of its addresses
// is special-purpose (loopback, private, shared, link-local incl. cloud metadata, unspecified,
// multicast, broadcast, reserved; IPv4 embedded in IPv6 counts as its IPv4 address) unless that
// address lies inside an allowed network (--webhook-allowed-private). curl is then pinned to the
// checked addresses (CURLOPT_RESOLVE, and every socket's address is checked again before it
// connects), so DNS rebinding cannot move the request. No redirects, no proxies from the
// environment, http and https only; at most 64 KiB of an answer is read.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"
#include "service/webhook_transport.h"

namespace beian::http {

// An IP address as 16 bytes; IPv4 a.b.c.d is held as ::ffff:a.b.c.d.
using IpBytes = std::array<uint8_t, 16>;

// A network: the address with its prefix length counted on the 16 bytes (IPv4 /n is 96 + n).
struct IpNetwork {
  IpBytes bytes{};  // host bits are zero
  int prefix = 0;
};

// "127.0.0.1" or "::1" (no brackets, no zone); nullopt otherwise.
std::optional<IpBytes> ParseIpAddress(std::string_view text);

// "127.0.0.0/8", "::1/128" or a bare address (a single host). Host bits are cleared.
// kInvalidRequest with a message naming the entry otherwise.
Result<IpNetwork> ParseCidr(std::string_view text);

// A comma-separated list of ParseCidr entries (spaces around entries allowed); "" is the empty
// list. kInvalidRequest for the first bad entry.
Result<std::vector<IpNetwork>> ParseCidrList(std::string_view text);

bool NetworkContains(const IpNetwork& network, const IpBytes& address);

// True when `address` is special-purpose (see above) and not inside one of `allowed`.
bool IsForbiddenWebhookAddress(const IpBytes& address, const std::vector<IpNetwork>& allowed);

// What a host name resolves to: every address (IPv4 as ::ffff:a.b.c.d), or an error text.
struct HostAddresses {
  std::vector<IpBytes> addresses;
  std::string error;  // set when resolution failed
};

// Resolves a host name (no brackets). May block for as long as the system resolver does.
using HostResolver = std::function<HostAddresses(const std::string& host)>;

// The system resolver (getaddrinfo, any family).
HostAddresses ResolveWithSystem(const std::string& host);

struct WebhookClientOptions {
  std::vector<IpNetwork> allowed_private;  // special-purpose networks that may be reached
  // The timeout of a request whose WebhookRequest::timeout is zero or less.
  std::chrono::milliseconds timeout{15000};
  // Used on a thread of its own: a Post waits for it at most until its timeout has passed (the
  // timeout covers resolution and transfer together), then gives up with kTimeout.
  HostResolver resolver = ResolveWithSystem;
};

// WebhookTransport over libcurl. Adds Content-Type: application/json and User-Agent:
// beian-webhooks/1 unless the request carries them. A redirect is an answer (its status), never
// followed. Thread-safe (one curl handle per Post).
class CurlWebhookTransport final : public WebhookTransport {
 public:
  explicit CurlWebhookTransport(WebhookClientOptions options);
  WebhookReply Post(const WebhookRequest& request) override;

 private:
  WebhookClientOptions options_;
};

}  // namespace beian::http
