// GET /v1/me, PUT /v1/accounts/{id}, POST /v1/accounts/{id}/tokens.
#include <boost/json.hpp>

#include "codec/api_json.h"
#include "http/handlers.h"

namespace beian::http {

HandlerResult HandleMe(Ctx& c) {
  return Respond(c.svc.Me(c.principal), 200, [](const Account& a) { return AccountToJson(a); });
}

HandlerResult HandlePutAccount(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckAccountId(c.Param(0)));
  BEIAN_ASSIGN_OR_RETURN(const AccountChange change, ParseAccountJson(c.req.body, c.Param(0)));
  BEIAN_ASSIGN_OR_RETURN(auto done, c.svc.PutAccount(c.principal, change));
  return JsonResponse(done.second ? 201 : 200, AccountToJson(done.first));
}

HandlerResult HandleIssueToken(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckAccountId(c.Param(0)));
  BEIAN_RETURN_IF_ERROR(CheckEmptyBody(c));
  return Respond(c.svc.IssueToken(c.principal, c.Param(0)), 201, [&](const std::string& t) {
    return boost::json::serialize(boost::json::object{{"account_id", c.Param(0)}, {"token", t}});
  });
}

}  // namespace beian::http
