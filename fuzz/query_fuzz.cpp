// Fuzz target: query strings and page tokens. The input's first byte picks a list route and an
// account; the rest is the query string of a GET through the Api (query parsing, limit and
// page_token checks, the list query on a real SQLite store). The input is also decoded as a page
// token. Invariants: a list answers 200 or 400 (problem+json), never 5xx; a decoded token
// re-encodes to a token that decodes to the same key.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/page_token.h"
#include "fuzz/world.h"

using namespace beian;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::World& w = fuzz::GetWorld();
  if (size == 0) return 0;
  static constexpr std::string_view kPaths[] = {"/v1/products", "/v1/service-numbers",
                                                "/v1/filings", "/v1/events"};
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string target = std::string(kPaths[data[0] % 4]) + "?" + std::string(rest);
  const std::string auth = "Bearer " + ((data[0] & 4) ? w.ops_token : w.alice_token);
  http::ApiRequest req;
  req.method = "GET";
  req.target = target;
  req.authorization = auth;
  req.request_id = "fuzz";
  const http::ApiResponse resp = w.api->Handle(req, w.api->Match(req));
  fuzz::Check(resp.status == 200 || resp.status == 400, "a list answers 200 or 400");

  for (PageList list : {PageList::kProducts, PageList::kNumbers, PageList::kFilings}) {
    Result<std::string> key = DecodePageToken(list, rest);
    if (key.ok() && !key.value().empty()) {
      Result<std::string> again = DecodePageToken(list, EncodePageToken(list, key.value()));
      fuzz::Check(again.ok() && again.value() == key.value(), "page tokens round-trip");
    }
  }
  return 0;
}
