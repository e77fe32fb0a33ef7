#pragma once
// The route table of the API (method + path template) and its matcher. Templates are literal
// segments, "{name}" parameters that match one non-empty segment, and a final "{name*}" that
// matches the rest of the path (a fallback: it never makes a 405, and never hides one: a path that
// another route serves with other methods is 405). Routes with more literal segments win.
// Thread-safe (the table is immutable).
#include <span>
#include <string>
#include <string_view>

#include "domain/access.h"
#include "http/api_types.h"

namespace beian::http {

struct Ctx;
using HandlerFn = ApiResponse (*)(Ctx&);

struct Route {
  std::string_view method;  // "GET", "PUT", "POST", "DELETE"
  std::string_view path;    // template, e.g. "/v1/products/{id}"
  HandlerFn handler;
  bool auth;               // needs a Bearer token (every /v1 route)
  bool on_worker;          // calls the service, so runs on the worker pool
  std::string_view query;  // accepted query parameters, comma-separated ("" for none)
  // The credential must hold one of these scopes (0: any authenticated caller). Documented per
  // operation in docs/openapi.yaml (checked by openapi_test.cpp).
  ScopeSet scopes;
};

// Every route of the API, in a fixed order (route indexes are stable within one binary).
std::span<const Route> Routes();

struct RouteMatch {
  enum Outcome { kFound, kNotFound, kMethodNotAllowed } outcome = kNotFound;
  int index = -1;     // into Routes() when kFound
  PathParams params;  // percent-decoded
  std::string allow;  // "GET, PUT" when kMethodNotAllowed
};

// Matches `path` (no query) against `routes`. A path that matches some template but not with this
// method is kMethodNotAllowed with the allowed methods; malformed percent-encoding never matches.
RouteMatch MatchRoute(std::span<const Route> routes, std::string_view method,
                      std::string_view path);

}  // namespace beian::http
