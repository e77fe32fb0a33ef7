// Filings: submit, list, get, and the review actions.
#include "codec/api_json.h"
#include "http/handlers.h"

namespace beian::http {
namespace {

std::string FilingText(const Filing& f) { return FilingToJson(f); }

// The filing as `who` may see it: the owner of the number who did not file it gets the "used by"
// view.
std::string FilingFor(const Principal& who, const Filing& f) {
  if (!who.IsOperator() && f.account_id != who.account_id) return FilingUsedByJson(f);
  return FilingToJson(f);
}

// Runs a review action on the filing of the path after checking its id and (empty) body.
template <class F>
ApiResponse FilingAction(Ctx& c, F&& action) {
  ApiResponse bad;
  if (!CheckFilingId(c, c.Param(0), bad) || !CheckEmptyBody(c, bad)) return bad;
  return Respond(c, action(), 200, FilingText);
}

}  // namespace

ApiResponse HandleSubmitFiling(Ctx& c) {
  ApiResponse bad;
  if (!CheckIdempotencyKey(c, bad)) return bad;
  Result<FilingRequest> req = ParseFilingRequestJson(c.req.body);
  if (!req.ok()) return ProblemResponse(req.error(), c.lang);
  Result<Filing> f = c.svc.SubmitFiling(c.principal, *req, c.req.idempotency_key);
  if (!f.ok()) return ProblemResponse(f.error(), c.lang);
  ApiResponse resp = JsonResponse(201, FilingToJson(*f));
  resp.headers.emplace_back("Location", "/v1/filings/" + f->id);
  return resp;
}

ApiResponse HandleListFilings(Ctx& c) {
  ApiResponse bad;
  FilingQuery q;
  auto page = ParsePage(c, PageList::kFilings, bad);
  if (!page) return bad;
  q.page = std::move(*page);
  if (const std::string* state = c.Query("state")) {
    q.state = ParseFilingState(*state);
    if (!q.state) {
      return BadRequest(c, "state",
                        "state 必须是 in_review、approved、rejected、withdrawn 或 cancelled",
                        "state must be in_review, approved, rejected, withdrawn or cancelled");
    }
  }
  return Respond(c, c.svc.ListFilings(c.principal, q), 200, [&](const Page<Filing>& p) {
    return ListJson(JsonArray(p.items, [&](const Filing& f) { return FilingFor(c.principal, f); }),
                    p.next_page_token);
  });
}

ApiResponse HandleGetFiling(Ctx& c) {
  ApiResponse bad;
  if (!CheckFilingId(c, c.Param(0), bad)) return bad;
  return Respond(c, c.svc.GetFiling(c.principal, c.Param(0)), 200,
                 [&](const Filing& f) { return FilingFor(c.principal, f); });
}

ApiResponse HandleApprove(Ctx& c) {
  return FilingAction(c, [&] { return c.svc.Approve(c.principal, c.Param(0)); });
}

ApiResponse HandleReject(Ctx& c) {
  ApiResponse bad;
  if (!CheckFilingId(c, c.Param(0), bad)) return bad;
  Result<std::string> reason = ParseRejectJson(c.req.body);
  if (!reason.ok()) return ProblemResponse(reason.error(), c.lang);
  return Respond(c, c.svc.Reject(c.principal, c.Param(0), *reason), 200, FilingText);
}

ApiResponse HandleWithdraw(Ctx& c) {
  return FilingAction(c, [&] { return c.svc.Withdraw(c.principal, c.Param(0)); });
}

ApiResponse HandleCancel(Ctx& c) {
  return FilingAction(c, [&] { return c.svc.Cancel(c.principal, c.Param(0)); });
}

}  // namespace beian::http
