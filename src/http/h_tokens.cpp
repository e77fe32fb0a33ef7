// API tokens (POST/GET /v1/tokens, DELETE /v1/tokens/{id}, POST /v1/tokens/{id}/rotate) and
// GET /v1/accounts.
#include <map>

#include "codec/api_json.h"
#include "http/handlers.h"

namespace beian::http {

HandlerResult HandleCreateToken(Ctx& c) {
  BEIAN_ASSIGN_OR_RETURN(const TokenRequest req, ParseTokenRequestJson(c.req.body));
  return Respond(c.svc.CreateToken(c.principal, req), 201, NewTokenToJson);
}

HandlerResult HandleListTokens(Ctx& c) {
  std::optional<std::string> account;
  if (const std::string* a = c.Query("account_id")) {
    BEIAN_RETURN_IF_ERROR(CheckAccountId(*a));
    account = *a;
  }
  std::map<std::string, ScopeSet> allowed;
  return Respond(c.svc.ListTokens(c.principal, account, &allowed), 200,
                 [&](const std::vector<TokenRecord>& items) {
                   return ListJson(JsonArray(items,
                                             [&](const TokenRecord& t) {
                                               auto it = allowed.find(t.account_id);
                                               return TokenToJson(
                                                   t, it == allowed.end() ? 0 : it->second);
                                             }),
                                   "");
                 });
}

HandlerResult HandleRevokeToken(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckTokenId(c.Param(0)));
  BEIAN_RETURN_IF_ERROR(CheckEmptyBody(c));
  return NoContent(c.svc.RevokeToken(c.principal, c.Param(0)));
}

HandlerResult HandleRotateToken(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckTokenId(c.Param(0)));
  BEIAN_ASSIGN_OR_RETURN(const int64_t grace, ParseRotateJson(c.req.body));
  return Respond(c.svc.RotateToken(c.principal, c.Param(0), std::chrono::seconds(grace)), 201,
                 NewTokenToJson);
}

HandlerResult HandleListAccounts(Ctx& c) {
  BEIAN_ASSIGN_OR_RETURN(const PageRequest page, ParsePage(c, PageList::kAccounts));
  return Respond(c.svc.ListAccounts(c.principal, page), 200, [](const Page<Account>& p) {
    return ListJson(JsonArray(p.items, AccountToJson), p.next_page_token);
  });
}

}  // namespace beian::http
