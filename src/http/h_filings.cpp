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

// {"filing_id", "ok": true, "filing"} or {"filing_id", "ok": false, "error": problem}.
std::string ReviewOutcomeJson(const ReviewOutcome& o, Lang lang) {
  std::string out = "{\"filing_id\":\"" + o.filing_id + "\",\"ok\":";
  if (o.filing) return out + "true,\"filing\":" + FilingToJson(*o.filing) + "}";
  return out + "false,\"error\":" + ProblemResponse(*o.error, lang).body + "}";
}

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
  if (const std::string* order = c.Query("order")) {
    if (*order == "asc") {
      q.order = FilingOrder::kOldestFirst;
    } else if (*order == "desc") {
      q.order = FilingOrder::kNewestFirst;
    } else {
      return InvalidField("order", Text{"order 须为 asc 或 desc", "order must be asc or desc"});
    }
  }
  // A list by age has page tokens of its own.
  BEIAN_ASSIGN_OR_RETURN(
      q.page,
      ParsePage(c, q.order == FilingOrder::kById ? PageList::kFilings : PageList::kFilingsByAge));
  if (const std::string* state = c.Query("state")) {
    q.state = ParseFilingState(*state);
    if (!q.state) {
      return InvalidField(
          "state", Text{"state 必须是 in_review、approved、rejected、withdrawn 或 cancelled",
                        "state must be in_review, approved, rejected, withdrawn or cancelled"});
    }
  }
  if (const std::string* account = c.Query("account_id")) {
    BEIAN_RETURN_IF_ERROR(CheckAccountId(*account, "account_id"));
    q.account_id = *account;
  }
  if (const std::string* kind = c.Query("kind")) {
    q.kind = ParseKind(*kind);
    if (!q.kind) return InvalidField("kind", Text{"未知的产品类型", "unknown product kind"});
  }
  const std::string* before = c.Query("submitted_before");
  const std::string* older = c.Query("older_than");
  if (before != nullptr && older != nullptr) {
    return InvalidField("older_than", Text{"submitted_before 与 older_than 只能给出其一",
                                           "give submitted_before or older_than, not both"});
  }
  if (before != nullptr) {
    q.submitted_before = ParseRfc3339(*before);
    if (!q.submitted_before) {
      return InvalidField("submitted_before", Text{"submitted_before 须为 RFC 3339 时间",
                                                   "submitted_before must be an RFC 3339 time"});
    }
  }
  if (older != nullptr) {
    const bool digits = !older->empty() && older->size() <= 9 &&
                        older->find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      return InvalidField("older_than", Text{"older_than 须为 0 到 999999999 之间的秒数",
                                             "older_than must be 0 to 999999999 seconds"});
    }
    q.submitted_before = c.svc.Now() - std::chrono::seconds{std::stoll(*older)};
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

HandlerResult HandleReviewMany(Ctx& c) {
  BEIAN_ASSIGN_OR_RETURN(const BulkReviewRequest req, ParseBulkReviewJson(c.req.body));
  BEIAN_ASSIGN_OR_RETURN(const std::vector<ReviewOutcome> out,
                         c.svc.ReviewMany(c.principal, req.action, req.filing_ids, req.reason));
  return JsonResponse(200, "{\"items\":" + JsonArray(out, [&](const ReviewOutcome& o) {
                             return ReviewOutcomeJson(o, c.lang);
                           }) + "}");
}

HandlerResult HandleWithdraw(Ctx& c) {
  return FilingAction(c, [&] { return c.svc.Withdraw(c.principal, c.Param(0)); });
}

HandlerResult HandleCancel(Ctx& c) {
  return FilingAction(c, [&] { return c.svc.Cancel(c.principal, c.Param(0)); });
}

}  // namespace beian::http
