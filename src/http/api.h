#pragma once
// The API: routes a request, authenticates /v1 calls (Bearer token), checks query parameter names
// and runs the handler. Independent of Beast. Thread-safe.
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "http/api_types.h"
#include "http/auth_cache.h"
#include "http/fault_log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/sso.h"
#include "service/service.h"

namespace beian::http {

// How long a revocation may take to reach this process at most (see CredentialWatch).
inline constexpr std::chrono::milliseconds kRevocationBound{500};

// Whether an authenticated request to `route` draws on the write rate limits, and so is answered
// with RateLimit-Policy and RateLimit: every method but GET, except the one read-only POST
// (/v1/eligibility, a body too big for a query). Routes without authentication draw on none.
bool ChargesWrites(const Route& route);

class Api {
 public:
  // `auth_ttl` 0 disables the cache of token look-ups (auth_cache.h), and with it the thread
  // that watches the store's credential generation. `sso`: console sessions and bearer JWTs
  // (nullptr without --oidc-issuer). `demo`: served by `beian demo` (GET /auth/session says so).
  explicit Api(Service& svc, Metrics& metrics,
               std::chrono::milliseconds auth_ttl = std::chrono::seconds(60), Sso* sso = nullptr,
               bool demo = false);

  // Cheap (no I/O): which route the request is for.
  RouteMatch Match(const ApiRequest& req) const;
  // True when Handle must run on the worker pool (it calls the service).
  static bool NeedsWorker(const RouteMatch& m);
  // True for the reads of one row by key that never write (GET of a product or filing, /v1/me):
  // short and bounded work, which the server may run without a hand-off
  // (ServerState::reads_inline).
  static bool IsOneRowRead(const RouteMatch& m);
  // False when authenticating `req` may wait: on the network for a gateway JWT whose principal is
  // not cached (its check may fetch the issuer's JWKS), or on a commit for a console session
  // (which records its use once a minute). Such requests go to a worker.
  bool MayRunInline(const ApiRequest& req);
  // The full answer: 404/405 for unmatched routes, 401 without a valid token, the handler's
  // response otherwise. Never throws: unexpected exceptions become 500 INTERNAL. Every problem
  // body carries "request_id"; the cause of a 500 or 503 is logged with it (fault_log.h).
  ApiResponse Handle(const ApiRequest& req, const RouteMatch& m);

  // POST /v1/products/{id}/service-numbers without a worker, where it can be: with a bearer
  // credential whose principal is cached (no look-up) and has the route's scope, and a well-formed
  // request, the apply is queued (Service::TryApplyQueued) and done is called once, on the store's
  // writer thread, with what it did (QueuedApplyResponse answers that), or with nullopt when
  // nothing was written for another reason (then Handle answers the request). done must neither
  // block nor throw. Returns false, having done nothing, for any other request: Handle answers it.
  // Never throws.
  bool TryQueueApply(const ApiRequest& req, const RouteMatch& m,
                     std::function<void(std::optional<QueuedApply>)> done);
  // The answer to a queued apply, as Handle would have given it: 201 with the number, or 429 when
  // the write rate limits refused it.
  ApiResponse QueuedApplyResponse(const QueuedApply& applied, const ApiRequest& req,
                                  const RouteMatch& m) const;

  Metrics& metrics() { return metrics_; }

 private:
  ApiResponse Run(const ApiRequest& req, const RouteMatch& m);
  // A bearer credential: an API token or (with sso) a gateway JWT. Successful look-ups of either
  // are cached under the credential generation (auth_cache.h).
  Result<Principal> Authenticate(std::string_view token, std::string_view request_id);
  // The cached principal of a bearer credential (no look-up), or nullopt. When the cache may be
  // used, `stamp` (if given) gets the stamp the look-up used, read before it: an entry put under it
  // never outlives a change it might predate.
  std::optional<Principal> CachedBearer(std::string_view token,
                                        std::optional<AuthCache::Stamp>* stamp = nullptr);
  // The principal of a console session cookie (never cached: read from the store each time); writes
  // need the session's X-CSRF-Token and a same-origin Origin, if any (when that check fails,
  // `refused` gets the session's principal, for the audit).
  Result<Principal> AuthenticateCookie(const ApiRequest& req, Principal& refused);
  // Records an "auth.denied" event for a 401/403 answer, at most once a minute per credential
  // (or, without a known credential, per answer status) and route in this process.
  void NoteDenied(const Route& route, const ApiResponse& resp, const Principal* who);

  Service& svc_;
  Metrics& metrics_;
  AuthCache auth_cache_;
  std::unique_ptr<CredentialWatch> watch_;  // null when the cache is off
  std::mutex denied_mu_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> denied_;  // guarded
  FaultLog fault_log_;
  Sso* sso_;   // nullptr without --oidc-issuer
  bool demo_;  // served by `beian demo`
};

}  // namespace beian::http
