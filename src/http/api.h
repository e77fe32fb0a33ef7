#pragma once
// The API: routes a request, authenticates /v1 calls (Bearer token), checks query parameter names
// and runs the handler. Independent of Beast. Thread-safe.
#include "http/api_types.h"
#include "http/auth_cache.h"
#include "http/metrics.h"
#include "http/router.h"
#include "service/service.h"

namespace beian::http {

class Api {
 public:
  // `auth_ttl` 0 disables the cache of token look-ups (auth_cache.h).
  Api(Service& svc, Metrics& metrics,
      std::chrono::milliseconds auth_ttl = std::chrono::milliseconds(2000))
      : svc_(svc), metrics_(metrics), auth_cache_(auth_ttl, 10000) {}

  // Cheap (no I/O): which route the request is for.
  RouteMatch Match(const ApiRequest& req) const;
  // True when Handle must run on the worker pool (it calls the service).
  static bool NeedsWorker(const RouteMatch& m);
  // The full answer: 404/405 for unmatched routes, 401 without a valid token, the handler's
  // response otherwise. Never throws: unexpected exceptions become 500 INTERNAL.
  ApiResponse Handle(const ApiRequest& req, const RouteMatch& m);

  Metrics& metrics() { return metrics_; }

 private:
  ApiResponse Run(const ApiRequest& req, const RouteMatch& m);
  Result<Principal> Authenticate(std::string_view token);

  Service& svc_;
  Metrics& metrics_;
  AuthCache auth_cache_;
};

}  // namespace beian::http
