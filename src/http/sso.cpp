#include "http/sso.h"

#include <algorithm>

namespace beian::http {
namespace json = boost::json;

std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t semi = std::min(header.find(';'), header.size());
    std::string_view pair = header.substr(0, semi);
    header.remove_prefix(std::min(semi + 1, header.size()));
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return {};
}

Error CsrfRefused() {
  return MakeError(ErrorCode::kForbidden,
                   Text{"缺少或错误的 X-CSRF-Token：请刷新控制台后重试",
                        "missing or wrong X-CSRF-Token; reload the console and try again"});
}

bool SecretEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

std::string Sso::SetCookie(std::string_view name, std::string_view value, std::string_view path,
                           std::chrono::seconds max_age) const {
  std::string c = std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path) +
                  "; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Lax";
  if (SecureCookies()) c += "; Secure";
  return c;
}

Sso::Sso(SsoOptions options)
    : options_(std::move(options)), issuer_(options_.issuer, options_.jwks_refetch_interval) {}

std::string Sso::PublicUrl() const {
  if (!options_.public_url.empty()) {
    std::string u = options_.public_url;
    while (!u.empty() && u.back() == '/') u.pop_back();
    return u;
  }
  std::lock_guard lock(mu_);
  return listening_url_;
}

void Sso::SetListening(const std::string& host, uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  std::lock_guard lock(mu_);
  listening_url_ = "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool Sso::SecureCookies() const { return PublicUrl().rfind("https://", 0) == 0; }

Result<Principal> Sso::AuthenticateJwt(std::string_view token, Service& svc,
                                       std::string_view request_id) {
  Result<json::object> claims = issuer_.Verify(token, request_id);
  if (!claims.ok()) return std::move(claims).error();
  JwtExpect expect{options_.issuer, options_.jwt_audience, std::chrono::system_clock::now(),
                   options_.leeway};
  if (Status st = CheckClaims(*claims, expect); !st.ok()) return std::move(st).error();
  Result<Principal> who = MapClaims(*claims, svc, "jwt_");
  if (!who.ok()) return who;
  // The cache of authentications (api.cpp) must not outlive the token.
  if (const json::value* e = claims->if_contains("exp"); e != nullptr && e->is_number()) {
    who->expires_at = Time{std::chrono::seconds{static_cast<int64_t>(e->to_number<double>())}};
  }
  return who;
}

std::optional<RoleSet> Sso::ClaimedRoles(const json::object& claims) const {
  if (options_.roles_claim.empty()) return std::nullopt;
  RoleSet set = 0;
  for (const std::string& r : ClaimStrings(claims, options_.roles_claim)) {
    if (r == "operator") set |= kAllOperatorRoles;
    if (std::optional<OperatorRole> role = ParseOperatorRole(r)) set |= RoleBit(*role);
  }
  return set;
}

Result<Principal> Sso::MapClaims(const json::object& claims, Service& svc,
                                 std::string_view credential_prefix) const {
  const std::vector<std::string> ids = ClaimStrings(claims, options_.account_claim, false);
  if (ids.size() != 1 || ids[0].empty()) {
    return MakeError(ErrorCode::kUnauthenticated,
                     Text{"身份令牌缺少账号声明 " + options_.account_claim,
                          "the identity token lacks the account claim " + options_.account_claim});
  }
  return svc.AuthenticateAccount(ids[0], ClaimedRoles(claims),
                                 std::string(credential_prefix) + ids[0]);
}

}  // namespace beian::http
