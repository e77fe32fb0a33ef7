// Filings: submit, list, get, and the review actions.
#include "codec/api_json.h"
#include "http/handlers.h"

namespace beian::http {
namespace {

// The CSV columns of GET /v1/filings (docs/openapi.yaml, FilingCsv); "access" is set for the
// "used by" view, reason is empty there.
constexpr std::string_view kFilingCsv[] = {"id",         "account_id", "domain", "service_number",
                                           "product_id", "state",      "reason", "created_at",
                                           "updated_at", "access"};

std::string FilingText(const Filing& f) { return FilingToJson(f); }

// The filing as `who` may see it: the owner of the number who did not file it gets the "used by"
// view.
std::string FilingFor(const Principal& who, const Filing& f) {
  if (!who.IsOperator() && f.account_id != who.account_id) return FilingUsedByJson(f);
  return FilingToJson(f);
}

// Runs a review action on the filing of the path after checking its id and (empty) body.
template <class F>
HandlerResult FilingAction(Ctx& c, F&& action) {
  BEIAN_RETURN_IF_ERROR(CheckFilingId(c.Param(0)));
  BEIAN_RETURN_IF_ERROR(CheckEmptyBody(c));
  return Respond(action(), 200, FilingText);
}

}  // namespace

HandlerResult HandleSubmitFiling(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckIdempotencyKey(c));
  BEIAN_ASSIGN_OR_RETURN(const FilingRequest req, ParseFilingRequestJson(c.req.body));
  BEIAN_ASSIGN_OR_RETURN(const Filing f,
                         c.svc.SubmitFiling(c.principal, req, c.req.idempotency_key));
  ApiResponse resp = JsonResponse(201, FilingToJson(f));
  resp.headers.emplace_back("Location", "/v1/filings/" + f.id);
  return resp;
}

HandlerResult HandleListFilings(Ctx& c) {
  FilingQuery q;
  BEIAN_ASSIGN_OR_RETURN(q.page, ParsePage(c, PageList::kFilings));
  if (const std::string* state = c.Query("state")) {
    q.state = ParseFilingState(*state);
    if (!q.state) {
      return InvalidField(
          "state", Text{"state 必须是 in_review、approved、rejected、withdrawn 或 cancelled",
                        "state must be in_review, approved, rejected, withdrawn or cancelled"});
    }
  }
  BEIAN_ASSIGN_OR_RETURN(const Page<Filing> p, c.svc.ListFilings(c.principal, q));
  return ListResponse(
      c, JsonArray(p.items, [&](const Filing& f) { return FilingFor(c.principal, f); }),
      p.next_page_token, kFilingCsv, "filings");
}

HandlerResult HandleGetFiling(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckFilingId(c.Param(0)));
  return Respond(c.svc.GetFiling(c.principal, c.Param(0)), 200,
                 [&](const Filing& f) { return FilingFor(c.principal, f); });
}

HandlerResult HandleApprove(Ctx& c) {
  return FilingAction(c, [&] { return c.svc.Approve(c.principal, c.Param(0)); });
}

HandlerResult HandleReject(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckFilingId(c.Param(0)));
  BEIAN_ASSIGN_OR_RETURN(const std::string reason, ParseRejectJson(c.req.body));
  return Respond(c.svc.Reject(c.principal, c.Param(0), reason), 200, FilingText);
}

HandlerResult HandleWithdraw(Ctx& c) {
  return FilingAction(c, [&] { return c.svc.Withdraw(c.principal, c.Param(0)); });
}

HandlerResult HandleCancel(Ctx& c) {
  return FilingAction(c, [&] { return c.svc.Cancel(c.principal, c.Param(0)); });
}

}  // namespace beian::http
