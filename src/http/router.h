#pragma once
// The route table of the API (method + path template) and its matcher. Templates are literal
// segments, "{name}" parameters that match one non-empty segment, and a final "{name*}" that
// matches the rest of the path (a fallback: it never makes a 405, and never hides one: a path that
// another route serves with other methods is 405). Routes with more literal segments win, also
// across methods: a path whose most literal templates serve only other methods is 405 even when a
// less literal one of the request's method fits (GET /v1/filings/review is not GET of a filing).
// Thread-safe (the table is immutable).
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/access.h"
#include "domain/result.h"
#include "http/api_types.h"

namespace beian::http {

struct Ctx;
// A handler's answer: the response, or the Error of a refusal (Api maps it to problem+json).
using HandlerResult = Result<ApiResponse>;
using HandlerFn = HandlerResult (*)(Ctx&);

// Who may call a route.
enum class Auth {
  kNone,    // anyone (health, metrics, the console's files)
  kBearer,  // a valid Bearer token or gateway JWT, or a console session cookie (every /v1 route)
};
// Where a route's handler runs.
enum class Runs {
  kOnIoThread,  // answers from memory, never blocks
  kOnWorker,    // calls the service (and so the store): the worker pool
};

// One entry of the route table; write entries with designated initializers, e.g.
//   {.method = "GET", .path = "/v1/me", .handler = HandleMe, .auth = Auth::kBearer,
//    .runs = Runs::kOnWorker}
struct Route {
  std::string_view method;  // "GET", "PUT", "POST", "DELETE"
  std::string_view path;    // template, e.g. "/v1/products/{id}"
  HandlerFn handler = nullptr;
  Auth auth = Auth::kNone;
  Runs runs = Runs::kOnIoThread;
  std::string_view query = "";  // accepted query parameters, comma-separated; "*" for any
  // The credential must hold one of these scopes (0: any authenticated caller). Documented per
  // operation in docs/openapi.yaml (checked by openapi_test.cpp).
  ScopeSet scopes = 0;
};

// Every route of the API, in a fixed order (route indexes are stable within one binary).
std::span<const Route> Routes();

struct RouteMatch {
  enum Outcome { kFound, kNotFound, kMethodNotAllowed } outcome = kNotFound;
  int index = -1;     // into Routes() when kFound
  PathParams params;  // percent-decoded
  std::string allow;  // "GET, PUT" when kMethodNotAllowed
};

// A route table with what the matcher checks first (each template's literal prefix, whether it
// is exact or a "{name*}" fallback) worked out once. `routes` must outlive the table. Match is
// thread-safe (const).
class RouteTable {
 public:
  explicit RouteTable(std::span<const Route> routes);

  // Matches `path` (no query). A path that matches some template but not with this method is
  // kMethodNotAllowed with the allowed methods; malformed percent-encoding never matches.
  RouteMatch Match(std::string_view method, std::string_view path) const;

 private:
  struct Shape {
    std::string_view prefix;  // the text before the first '{' (all of it when exact)
    bool exact = false;
    bool fallback = false;
  };
  std::span<const Route> routes_;
  std::vector<Shape> shapes_;
};

// RouteTable(routes).Match(method, path): for tables matched once (tests).
RouteMatch MatchRoute(std::span<const Route> routes, std::string_view method,
                      std::string_view path);

}  // namespace beian::http
