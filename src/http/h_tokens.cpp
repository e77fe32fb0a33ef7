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

namespace {

// The CSV columns of GET /v1/tokens and GET /v1/accounts (docs/openapi.yaml, TokenCsv,
// AccountCsv).
constexpr std::string_view kTokenCsv[] = {
    "id",      "account_id", "name",       "scopes",       "effective_scopes",
    "creator", "created_at", "expires_at", "last_used_at", "revoked_at"};
constexpr std::string_view kAccountCsv[] = {"id", "role", "roles", "status", "name", "created_at"};

}  // namespace

HandlerResult HandleListTokens(Ctx& c) {
  std::optional<std::string> account;
  if (const std::string* a = c.Query("account_id")) {
    BEIAN_RETURN_IF_ERROR(CheckAccountId(*a));
    account = *a;
  }
  std::map<std::string, ScopeSet> allowed;
  BEIAN_ASSIGN_OR_RETURN(const std::vector<TokenRecord> items,
                         c.svc.ListTokens(c.principal, account, &allowed));
  return ListResponse(c,
                      JsonArray(items,
                                [&](const TokenRecord& t) {
                                  auto it = allowed.find(t.account_id);
                                  return TokenToJson(t, it == allowed.end() ? 0 : it->second);
                                }),
                      "", kTokenCsv, "tokens");
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
  BEIAN_ASSIGN_OR_RETURN(const Page<Account> p, c.svc.ListAccounts(c.principal, page));
  return ListResponse(c, JsonArray(p.items, AccountToJson), p.next_page_token, kAccountCsv,
                      "accounts");
}

}  // namespace beian::http
