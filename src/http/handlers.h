#pragma once
// The API handlers and what they share. Each handler parses its request, calls the Service and maps
// the result to a response; refusals become problem+json (problem.h). Handlers run on the worker
// pool when their route says so (router.h) and are thread-safe.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/entities.h"
#include "domain/idempotency_key.h"
#include "domain/page_token.h"
#include "http/api_types.h"
#include "http/metrics.h"
#include "http/problem.h"
#include "http/router.h"
#include "http/sso.h"
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
  Sso* sso = nullptr;                                      // nullptr without --oidc-issuer
  bool demo = false;                                       // served by `beian demo`

  const std::string& Param(int i) const { return params.values[static_cast<std::size_t>(i)]; }
  // The value of query parameter `name`, or nullptr.
  const std::string* Query(std::string_view name) const;
};

// One error style: a handler returns its response, or the Error of a refusal, which Api turns into
// problem+json (problem.h) in the request's language. Validation and service refusals alike are
// Result errors, propagated with BEIAN_RETURN_IF_ERROR / BEIAN_ASSIGN_OR_RETURN; no handler builds
// a problem body itself.

// A JSON response with `body` and `status`.
ApiResponse JsonResponse(int status, std::string body);
// 400 INVALID_REQUEST naming `field`, with `detail` (also the field error, in English).
Error InvalidField(std::string_view field, Text detail);
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

// True when the Accept header asks for CSV: one of its media ranges is text/csv (any case, any
// parameters) without q=0. Anything else (absent, */*, application/json, unknown types) is JSON, as
// before CSV existed.
bool WantsCsv(std::string_view accept);
// True when one of the Accept header's media ranges is `media_type` (any case) without q=0.
bool AcceptsType(std::string_view accept, std::string_view media_type);
// A list page as CSV (codec/csv.h: header row of `columns`, one record per item of the JSON array
// `items_json`), text/csv; charset=utf-8, with Content-Disposition "attachment; filename=NAME.csv",
// Vary: Accept and, when `next_value` is not empty, the header `next_header` set to it.
Result<ApiResponse> CsvListResponse(std::string_view items_json,
                                    std::span<const std::string_view> columns,
                                    std::string_view name, std::string_view next_header,
                                    const std::string& next_value);
// The answer of a paged list: ListJson, or for WantsCsv the CSV of `csv_columns` with the next
// page token in the X-Next-Page-Token header (absent on the last page).
Result<ApiResponse> ListResponse(const Ctx& c, std::string_view items_json,
                                 const std::string& next_page_token,
                                 std::span<const std::string_view> csv_columns,
                                 std::string_view name);

// limit (1–500, default 100) from the query; 400 INVALID_REQUEST otherwise.
Result<int> ParseLimit(const Ctx& c);
// limit (as ParseLimit) and page_token from the query; 400 when the token is not one of `list`
// (DecodePageToken, the rule the service applies too).
Result<PageRequest> ParsePage(const Ctx& c, PageList list);

// Path ids: 400 INVALID_REQUEST naming `field` when malformed (the domain's IsValid*Id rules).
Status CheckProductId(const std::string& id, std::string_view field = "id");
Status CheckAccountId(const std::string& id, std::string_view field = "id");
Status CheckFilingId(const std::string& id);
Status CheckTokenId(const std::string& id);

// A body that must carry no fields: empty, or the JSON object {}; 400 otherwise.
Status CheckEmptyBody(const Ctx& c);
// The Idempotency-Key header: absent, or once with what domain's CheckIdempotencyKey accepts (so
// an empty key is refused); 400 naming the header otherwise.
Status CheckIdempotencyKey(const Ctx& c);

// `status` with `to_json(value)` as body, or the error of `r`.
template <class T, class F>
Result<ApiResponse> Respond(Result<T>&& r, int status, F&& to_json) {
  if (!r.ok()) return std::move(r).error();
  return JsonResponse(status, to_json(r.value()));
}
// 204 No Content, or the error of `st`.
Result<ApiResponse> NoContent(Status st);

// misc
HandlerResult HandleHealthz(Ctx& c);
HandlerResult HandleReadyz(Ctx& c);
HandlerResult HandleMetrics(Ctx& c);
HandlerResult HandleIndex(Ctx& c);
HandlerResult HandleAsset(Ctx& c);
HandlerResult HandleOpenApi(Ctx& c);
HandlerResult HandleOverview(Ctx& c);
HandlerResult HandleMe(Ctx& c);
HandlerResult HandleEvents(Ctx& c);
HandlerResult HandleNotices(Ctx& c);  // h_notices.cpp
// console sign-in (h_auth.cpp)
HandlerResult HandleAuthSession(Ctx& c);
HandlerResult HandleAuthLogin(Ctx& c);
HandlerResult HandleAuthCallback(Ctx& c);
HandlerResult HandleAuthLogout(Ctx& c);
// accounts
HandlerResult HandlePutAccount(Ctx& c);
HandlerResult HandleIssueToken(Ctx& c);
HandlerResult HandleListAccounts(Ctx& c);
// tokens
HandlerResult HandleCreateToken(Ctx& c);
HandlerResult HandleListTokens(Ctx& c);
HandlerResult HandleRevokeToken(Ctx& c);
HandlerResult HandleRotateToken(Ctx& c);
// products
HandlerResult HandlePutProduct(Ctx& c);
HandlerResult HandleImport(Ctx& c);
HandlerResult HandleDeleteProduct(Ctx& c);
HandlerResult HandleListProducts(Ctx& c);
HandlerResult HandleGetProduct(Ctx& c);
HandlerResult HandleApply(Ctx& c);
// HandleApply's two halves: the checks of the request before the service is called, and the 201
// answer for the number issued (or replayed).
Status CheckApplyRequest(const Ctx& c);
ApiResponse AppliedResponse(const NumberView& n);
HandlerResult HandleApplyBatch(Ctx& c);
HandlerResult HandleEligibility(Ctx& c);
// service numbers
HandlerResult HandleListNumbers(Ctx& c);
HandlerResult HandleGetNumber(Ctx& c);
HandlerResult HandleGrant(Ctx& c);
HandlerResult HandleListGrants(Ctx& c);
HandlerResult HandleRevokeGrant(Ctx& c);
// filings
HandlerResult HandleSubmitFiling(Ctx& c);
HandlerResult HandleListFilings(Ctx& c);
HandlerResult HandleGetFiling(Ctx& c);
HandlerResult HandleApprove(Ctx& c);
HandlerResult HandleReject(Ctx& c);
HandlerResult HandleWithdraw(Ctx& c);
HandlerResult HandleCancel(Ctx& c);
HandlerResult HandleReviewMany(Ctx& c);
// search and the operators' dashboard (h_search_stats.cpp)
HandlerResult HandleSearch(Ctx& c);
HandlerResult HandleStats(Ctx& c);
// webhooks (h_webhooks.cpp)
HandlerResult HandleCreateWebhook(Ctx& c);
HandlerResult HandleListWebhooks(Ctx& c);
HandlerResult HandleGetWebhook(Ctx& c);
HandlerResult HandlePatchWebhook(Ctx& c);
HandlerResult HandleDeleteWebhook(Ctx& c);
HandlerResult HandleRotateWebhookSecret(Ctx& c);
HandlerResult HandleWebhookDeliveries(Ctx& c);
HandlerResult HandleReplayWebhook(Ctx& c);
HandlerResult HandleWebhookEventTypes(Ctx& c);
// The webhook lines of GET /metrics: beian_webhook_deliveries_total{outcome} (this process),
// beian_webhook_queue_depth and beian_webhook_oldest_pending_seconds (the store; left out when
// it fails).
std::string WebhookMetricsText(Service& svc);

}  // namespace beian::http
