#pragma once
// The API handlers and what they share. Each handler parses its request, calls the Service and maps
// the result to a response; refusals become problem+json (problem.h). Handlers run on the worker
// pool when their route says so (router.h) and are thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/idempotency_key.h"
#include "domain/page_token.h"
#include "http/api_types.h"
#include "http/metrics.h"
#include "http/problem.h"
#include "http/router.h"
#include "service/service.h"

namespace beian::http {

struct Ctx {
  Service& svc;
  const Metrics& metrics;
  const ApiRequest& req;
  const PathParams& params;
  Lang lang = Lang::kZh;
  Principal principal;                                     // set for authenticated routes
  std::vector<std::pair<std::string, std::string>> query;  // decoded, names checked

  const std::string& Param(int i) const { return params.values[static_cast<std::size_t>(i)]; }
  // The value of query parameter `name`, or nullptr.
  const std::string* Query(std::string_view name) const;
};

// A JSON response with `body` and `status`.
ApiResponse JsonResponse(int status, std::string body);
// 400 INVALID_REQUEST naming `field` with `detail_en` / `detail_zh`.
ApiResponse BadRequest(const Ctx& c, std::string_view field, std::string_view detail_zh,
                       std::string_view detail_en);
// The JSON array of `items`, each encoded by `encode` (a callable returning a JSON text).
template <class T, class F>
std::string JsonArray(const std::vector<T>& items, F&& encode) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += encode(items[i]);
  }
  out += ']';
  return out;
}
// {"items": array, "next_page_token": token|null}; `array` is a JSON array text.
std::string ListJson(std::string_view array, const std::string& next_page_token);

// limit (1–500, default 100) from the query; nullopt after filling `bad` with 400.
std::optional<int> ParseLimit(const Ctx& c, ApiResponse& bad);
// limit (as ParseLimit) and page_token from the query; nullopt after filling `bad` with 400 when
// the token is not one of `list` (DecodePageToken, the rule the service applies too).
std::optional<PageRequest> ParsePage(const Ctx& c, PageList list, ApiResponse& bad);

// Path ids: false after filling `bad` with 400 INVALID_REQUEST when malformed.
bool CheckProductId(const Ctx& c, const std::string& id, ApiResponse& bad);
bool CheckAccountId(const Ctx& c, const std::string& id, ApiResponse& bad);
bool CheckFilingId(const Ctx& c, const std::string& id, ApiResponse& bad);

// A body that must carry no fields: empty, or the JSON object {}. False after filling `bad`.
bool CheckEmptyBody(const Ctx& c, ApiResponse& bad);
// The Idempotency-Key header: absent, or once with what domain's CheckIdempotencyKey accepts (so
// an empty key is refused). False after filling `bad` with 400 naming the header.
bool CheckIdempotencyKey(const Ctx& c, ApiResponse& bad);

// Maps a Result to `status` with `to_json(value)` as body, or to its problem response.
template <class T, class F>
ApiResponse Respond(const Ctx& c, Result<T>&& r, int status, F&& to_json) {
  if (!r.ok()) return ProblemResponse(r.error(), c.lang);
  return JsonResponse(status, to_json(r.value()));
}

// misc
ApiResponse HandleHealthz(Ctx& c);
ApiResponse HandleReadyz(Ctx& c);
ApiResponse HandleMetrics(Ctx& c);
ApiResponse HandleIndex(Ctx& c);
ApiResponse HandleAsset(Ctx& c);
ApiResponse HandleOpenApi(Ctx& c);
ApiResponse HandleOverview(Ctx& c);
ApiResponse HandleMe(Ctx& c);
ApiResponse HandleEvents(Ctx& c);
// accounts
ApiResponse HandlePutAccount(Ctx& c);
ApiResponse HandleIssueToken(Ctx& c);
ApiResponse HandleListAccounts(Ctx& c);
// tokens
ApiResponse HandleCreateToken(Ctx& c);
ApiResponse HandleListTokens(Ctx& c);
ApiResponse HandleRevokeToken(Ctx& c);
ApiResponse HandleRotateToken(Ctx& c);
// products
ApiResponse HandlePutProduct(Ctx& c);
ApiResponse HandleImport(Ctx& c);
ApiResponse HandleDeleteProduct(Ctx& c);
ApiResponse HandleListProducts(Ctx& c);
ApiResponse HandleGetProduct(Ctx& c);
ApiResponse HandleApply(Ctx& c);
// service numbers
ApiResponse HandleListNumbers(Ctx& c);
ApiResponse HandleGetNumber(Ctx& c);
ApiResponse HandleGrant(Ctx& c);
// filings
ApiResponse HandleSubmitFiling(Ctx& c);
ApiResponse HandleListFilings(Ctx& c);
ApiResponse HandleGetFiling(Ctx& c);
ApiResponse HandleApprove(Ctx& c);
ApiResponse HandleReject(Ctx& c);
ApiResponse HandleWithdraw(Ctx& c);
ApiResponse HandleCancel(Ctx& c);

}  // namespace beian::http
