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
  Result<AccountChange> change = ParseAccountJson(c.req.body, c.Param(0));
  if (!change.ok()) return ProblemResponse(change.error(), c.lang);
  auto done = c.svc.PutAccount(c.principal, *change);
  if (!done.ok()) return ProblemResponse(done.error(), c.lang);
  return JsonResponse(done->second ? 201 : 200, AccountToJson(done->first));
}

ApiResponse HandleIssueToken(Ctx& c) {
  ApiResponse bad;
  if (!CheckAccountId(c, c.Param(0), bad) || !CheckEmptyBody(c, bad)) return bad;
  return Respond(c, c.svc.IssueToken(c.principal, c.Param(0)), 201, [&](const std::string& t) {
    return boost::json::serialize(boost::json::object{{"account_id", c.Param(0)}, {"token", t}});
  });
}

}  // namespace beian::http
