// GET /v1/me, PUT /v1/accounts/{id}, POST /v1/accounts/{id}/tokens.
#include <boost/json.hpp>

#include "codec/api_json.h"
#include "http/handlers.h"

namespace beian::http {

ApiResponse HandleMe(Ctx& c) {
  return Respond(c, c.svc.Me(c.principal), 200, [](const Account& a) { return AccountToJson(a); });
}

ApiResponse HandlePutAccount(Ctx& c) {
  ApiResponse bad;
  if (!CheckAccountId(c, c.Param(0), bad)) return bad;
  Result<Account> account = ParseAccountJson(c.req.body, c.Param(0));
  if (!account.ok()) return ProblemResponse(account.error(), c.lang);
  Result<bool> created = c.svc.PutAccount(c.principal, *account);
  if (!created.ok()) return ProblemResponse(created.error(), c.lang);
  return JsonResponse(*created ? 201 : 200, AccountToJson(*account));
}

ApiResponse HandleIssueToken(Ctx& c) {
  ApiResponse bad;
  if (!CheckAccountId(c, c.Param(0), bad) || !CheckEmptyBody(c, bad)) return bad;
  return Respond(c, c.svc.IssueToken(c.principal, c.Param(0)), 201, [&](const std::string& t) {
    return boost::json::serialize(boost::json::object{{"account_id", c.Param(0)}, {"token", t}});
  });
}

}  // namespace beian::http
