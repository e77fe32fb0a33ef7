// API tokens (POST/GET /v1/tokens, DELETE /v1/tokens/{id}, POST /v1/tokens/{id}/rotate) and
// GET /v1/accounts.
#include "codec/api_json.h"
#include "http/handlers.h"

namespace beian::http {
namespace {

bool CheckTokenId(const Ctx& c, const std::string& id, ApiResponse& bad) {
  bool ok = id.size() == 20 && id.starts_with("tok_");
  for (std::size_t i = 4; ok && i < id.size(); ++i) {
    const char ch = id[i];
    ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
  }
  if (ok) return true;
  bad = BadRequest(c, "id", "令牌 ID 格式错误", "malformed token id");
  return false;
}

}  // namespace

ApiResponse HandleCreateToken(Ctx& c) {
  Result<TokenRequest> req = ParseTokenRequestJson(c.req.body);
  if (!req.ok()) return ProblemResponse(req.error(), c.lang);
  return Respond(c, c.svc.CreateToken(c.principal, *req), 201, NewTokenToJson);
}

ApiResponse HandleListTokens(Ctx& c) {
  std::optional<std::string> account;
  if (const std::string* a = c.Query("account_id")) {
    ApiResponse bad;
    if (!CheckAccountId(c, *a, bad)) return bad;
    account = *a;
  }
  return Respond(c, c.svc.ListTokens(c.principal, account), 200,
                 [](const std::vector<TokenRecord>& items) {
                   return ListJson(JsonArray(items, TokenToJson), "");
                 });
}

ApiResponse HandleRevokeToken(Ctx& c) {
  ApiResponse bad;
  if (!CheckTokenId(c, c.Param(0), bad) || !CheckEmptyBody(c, bad)) return bad;
  Status st = c.svc.RevokeToken(c.principal, c.Param(0));
  if (!st.ok()) return ProblemResponse(st.error(), c.lang);
  ApiResponse resp;
  resp.status = 204;
  return resp;
}

ApiResponse HandleRotateToken(Ctx& c) {
  ApiResponse bad;
  if (!CheckTokenId(c, c.Param(0), bad)) return bad;
  Result<int64_t> grace = ParseRotateJson(c.req.body);
  if (!grace.ok()) return ProblemResponse(grace.error(), c.lang);
  return Respond(c, c.svc.RotateToken(c.principal, c.Param(0), std::chrono::seconds(*grace)), 201,
                 NewTokenToJson);
}

ApiResponse HandleListAccounts(Ctx& c) {
  ApiResponse bad;
  std::optional<PageRequest> page = ParsePage(c, PageList::kAccounts, bad);
  if (!page) return bad;
  return Respond(c, c.svc.ListAccounts(c.principal, *page), 200, [](const Page<Account>& p) {
    return ListJson(JsonArray(p.items, AccountToJson), p.next_page_token);
  });
}

}  // namespace beian::http
