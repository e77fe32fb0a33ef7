// Service numbers: list, get (any accepted spelling), grants (grant, list, revoke).
#include "codec/api_json.h"
#include "http/handlers.h"

namespace beian::http {
namespace {

// The CSV columns of GET /v1/service-numbers (docs/openapi.yaml, ServiceNumberCsv).
constexpr std::string_view kNumberCsv[] = {"code",      "product_id", "account_id", "kind",
                                           "state",     "usable",     "issued_at",  "domain",
                                           "filing_id", "granted_to"};

}  // namespace

HandlerResult HandleListNumbers(Ctx& c) {
  NumberQuery q;
  BEIAN_ASSIGN_OR_RETURN(q.page, ParsePage(c, PageList::kNumbers));
  if (const std::string* state = c.Query("state")) {
    q.state = ParseNumberState(*state);
    if (!q.state) {
      return InvalidField("state", Text{"state 必须是 available、in_review、filed 或 voided",
                                        "state must be available, in_review, filed or voided"});
    }
  }
  if (const std::string* product = c.Query("product_id")) {
    BEIAN_RETURN_IF_ERROR(CheckProductId(*product, "product_id"));
    q.product_id = *product;
  }
  BEIAN_ASSIGN_OR_RETURN(const Page<NumberView> p, c.svc.ListNumbers(c.principal, q));
  return ListResponse(c, JsonArray(p.items, NumberToJson), p.next_page_token, kNumberCsv,
                      "service-numbers");
}

HandlerResult HandleGetNumber(Ctx& c) {
  return Respond(c.svc.GetNumber(c.principal, c.Param(0)), 200,
                 [](const NumberView& n) { return NumberToJson(n); });
}

HandlerResult HandleGrant(Ctx& c) {
  BEIAN_ASSIGN_OR_RETURN(const std::string grantee, ParseGrantJson(c.req.body));
  return Respond(c.svc.Grant(c.principal, c.Param(0), grantee), 200,
                 [](const NumberView& n) { return NumberToJson(n); });
}

HandlerResult HandleListGrants(Ctx& c) {
  return Respond(c.svc.ListGrants(c.principal, c.Param(0)), 200, NumberGrantsToJson);
}

HandlerResult HandleRevokeGrant(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckAccountId(c.Param(1), "account_id"));
  return Respond(c.svc.RevokeGrant(c.principal, c.Param(0), c.Param(1)), 200, NumberGrantsToJson);
}

}  // namespace beian::http
