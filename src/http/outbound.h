#pragma once
// The server's only outbound HTTP client (libcurl), used to reach the OpenID issuer: discovery,
// JWKS and the token endpoint. Guarded against SSRF: a URL comes only from configuration or the
// issuer's discovery document (never from a request or a token header); https only, except http to
// a loopback host (127.0.0.0/8, ::1, localhost — for tests and a co-located IdP); no redirects, no
// proxies from the environment, 5 s timeouts, replies of at most 1 MiB. Thread-safe.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.h"

namespace beian::http {

struct OutboundReply {
  long status = 0;
  std::string body;
};

// kInvalidRequest when `url` is not an allowed outbound URL (see above).
Status CheckOutboundUrl(std::string_view url);

// GET `url`. kUnavailable (detail for the log only) when the URL is refused, the connection
// fails, the reply is too large or times out. Any HTTP status is a reply.
Result<OutboundReply> OutboundGet(const std::string& url);

// POST an application/x-www-form-urlencoded `form` (already encoded) to `url` with HTTP Basic
// credentials `user`:`password` (each form-urlencoded first, as RFC 6749 2.3.1 asks) when `user`
// is not empty. Errors as OutboundGet.
Result<OutboundReply> OutboundPostForm(const std::string& url, const std::string& form,
                                       std::string_view user, std::string_view password);

// application/x-www-form-urlencoded encoding of `s` (libcurl's escaping).
std::string FormEncode(std::string_view s);

}  // namespace beian::http
