#pragma once
// One OpenID Connect issuer as seen by the server: its discovery document
// (ISSUER/.well-known/openid-configuration) and its JWKS, fetched lazily over outbound.h and
// cached. The JWKS is refetched when older than `max_age`, and when a token names a kid the cached
// set lacks — at most once per `refetch_interval`, so tokens with invented kids cannot make the
// server hammer the issuer. Concurrent requests that need a fetch share one (no lock is held across
// the I/O). Thread-safe.
#include <boost/json/object.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "http/jwt.h"

namespace beian::http {

struct IssuerEndpoints {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string end_session_endpoint;  // may be empty
};

class OidcIssuer {
 public:
  using Clock = std::chrono::steady_clock;
  // `issuer` is the exact issuer identifier (what "iss" says); see CheckOutboundUrl for which URLs
  // are allowed.
  OidcIssuer(std::string issuer, std::chrono::seconds refetch_interval,
             std::chrono::seconds max_age = std::chrono::hours(1));

  const std::string& issuer() const { return issuer_; }

  // The discovery document's endpoints (fetched once, then cached; a failed fetch is retried by
  // the next call, at most once per refetch interval). kUnavailable when the issuer cannot be
  // reached or its document is unusable (details are logged).
  Result<IssuerEndpoints> Endpoints();

  // Verifies compact JWS `token` against the issuer's keys and returns its claims (not checked:
  // see CheckClaims). An unknown kid triggers a rate-limited refetch. kUnauthenticated for a bad
  // token, kUnavailable when no keys could be fetched.
  Result<boost::json::object> Verify(std::string_view token, std::string_view request_id);

  // How many times the JWKS was fetched (for tests and metrics).
  int jwks_fetches() const;

 private:
  using KeysResult = Result<std::shared_ptr<const JwkSet>>;
  // The cached keys, fetching first when there are none, they are older than max_age, or
  // `want_kid` is missing (rate-limited as above).
  KeysResult Keys(const std::string& want_kid);
  KeysResult FetchKeys();

  const std::string issuer_;
  const std::chrono::seconds refetch_interval_;
  const std::chrono::seconds max_age_;

  mutable std::mutex mu_;
  std::optional<IssuerEndpoints> endpoints_;       // guarded by mu_
  Clock::time_point endpoints_attempt_{};          // guarded by mu_
  std::shared_ptr<const JwkSet> keys_;             // guarded by mu_
  Clock::time_point keys_fetched_{};               // guarded by mu_
  Clock::time_point keys_attempt_{};               // guarded by mu_
  std::shared_future<KeysResult> keys_in_flight_;  // guarded by mu_
  int fetches_ = 0;                                // guarded by mu_
};

}  // namespace beian::http
