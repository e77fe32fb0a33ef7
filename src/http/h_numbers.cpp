// Service numbers: list, get (any accepted spelling), grant.
#include "codec/api_json.h"
#include "http/handlers.h"

namespace beian::http {

ApiResponse HandleListNumbers(Ctx& c) {
  ApiResponse bad;
  NumberQuery q;
  auto page = ParsePage(c, PageList::kNumbers, bad);
  if (!page) return bad;
  q.page = std::move(*page);
  if (const std::string* state = c.Query("state")) {
    q.state = ParseNumberState(*state);
    if (!q.state) {
      return BadRequest(c, "state", "state 必须是 available、in_review、filed 或 voided",
                        "state must be available, in_review, filed or voided");
    }
  }
  if (const std::string* product = c.Query("product_id")) {
    if (!IsValidProductId(*product)) {
      return BadRequest(c, "product_id", "产品 ID 格式错误", "malformed product id");
    }
    q.product_id = *product;
  }
  return Respond(c, c.svc.ListNumbers(c.principal, q), 200, [](const Page<NumberView>& p) {
    return ListJson(JsonArray(p.items, NumberToJson), p.next_page_token);
  });
}

ApiResponse HandleGetNumber(Ctx& c) {
  return Respond(c, c.svc.GetNumber(c.principal, c.Param(0)), 200,
                 [](const NumberView& n) { return NumberToJson(n); });
}

ApiResponse HandleGrant(Ctx& c) {
  Result<std::string> grantee = ParseGrantJson(c.req.body);
  if (!grantee.ok()) return ProblemResponse(grantee.error(), c.lang);
  return Respond(c, c.svc.Grant(c.principal, c.Param(0), *grantee), 200,
                 [](const NumberView& n) { return NumberToJson(n); });
}

}  // namespace beian::http
