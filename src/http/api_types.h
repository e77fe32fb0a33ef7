#pragma once
// Plain request and response values of the API layer, independent of Beast: the server fills an
// ApiRequest from the parsed HTTP message (views into it stay valid while the request is handled)
// and writes the ApiResponse back.
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace beian::http {

struct ApiRequest {
  std::string_view method;  // "GET", "PUT", …
  std::string_view target;  // origin-form: path and query
  std::string_view authorization;
  std::string_view accept;  // the Accept header (CSV for list endpoints)
  std::string_view accept_language;
  std::string_view idempotency_key;
  int idempotency_keys = 0;  // how many Idempotency-Key fields the request had
  std::string_view if_none_match;
  std::string_view body;
  std::string_view request_id;
  std::string_view cookie;      // the Cookie header (console sessions)
  std::string_view csrf_token;  // the X-CSRF-Token header
  std::string_view origin;      // the Origin header
};

struct ApiResponse {
  int status = 200;
  std::string_view content_type = "application/json";
  std::string body;
  std::string_view cache_control = "no-store";
  std::vector<std::pair<std::string_view, std::string>> headers;  // Allow, Location, ETag, …
  int route_index = -1;  // the matched route (for metrics), -1 when none matched
  // A fault to log with the request id ("KIND: text", Error::cause); never sent to the client.
  std::string fault;
};

// Path parameters of the matched route, in template order.
struct PathParams {
  std::array<std::string, 2> values;
  int count = 0;
};

}  // namespace beian::http
