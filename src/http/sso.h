#pragma once
// Single sign-on settings and claim mapping, shared by the console's OpenID Connect sign-in
// (h_auth.cpp) and bearer JWTs from the provider's gateway (api.cpp). Both trust one issuer.
// Thread-safe.
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/oidc_issuer.h"
#include "service/service.h"

namespace beian::http {

struct SsoOptions {
  std::string issuer;                 // --oidc-issuer; empty: no SSO at all
  std::string client_id;              // --oidc-client-id; empty: no console sign-in
  std::string client_secret;          // from --oidc-client-secret-file or BEIAN_OIDC_CLIENT_SECRET
  std::string jwt_audience;           // --jwt-audience; empty: bearer JWTs are not accepted
  std::string account_claim = "sub";  // --oidc-account-claim: names the beian account id
  std::string roles_claim;            // --oidc-roles-claim: operator roles; empty: not used
  std::string public_url;  // --public-url (scheme://host[:port]); empty: http://LISTEN address
  std::chrono::seconds leeway{60};
  std::chrono::seconds jwks_refetch_interval{30};
  std::chrono::seconds session_idle{std::chrono::hours(1)};
  std::chrono::seconds session_absolute{std::chrono::hours(12)};
};

inline constexpr std::string_view kSessionCookie = "beian_session";
inline constexpr std::string_view kLoginCookie = "beian_login";

// The value of cookie `name` in a Cookie header, or "".
std::string_view CookieValue(std::string_view header, std::string_view name);
// 403 for a cookie-authenticated write without the session's X-CSRF-Token (or from another
// Origin).
Error CsrfRefused();
// Constant-time equality of two secrets.
bool SecretEquals(std::string_view a, std::string_view b);

class Sso {
 public:
  explicit Sso(SsoOptions options);

  const SsoOptions& options() const { return options_; }
  bool console_enabled() const { return !options_.client_id.empty(); }
  bool jwt_enabled() const { return !options_.jwt_audience.empty(); }
  OidcIssuer& issuer() { return issuer_; }

  // The public base URL ("https://beian.example.com", no trailing slash): --public-url, else the
  // one set by SetListening. Cookies are Secure when it is https.
  std::string PublicUrl() const;
  void SetListening(const std::string& host, uint16_t port);
  bool SecureCookies() const;
  // A Set-Cookie value: HttpOnly, SameSite=Lax, Secure on https, `path`; Max-Age 0 deletes it.
  std::string SetCookie(std::string_view name, std::string_view value, std::string_view path,
                        std::chrono::seconds max_age) const;

  // A bearer JWT from the gateway → principal: signature (JWKS), iss, aud = --jwt-audience, exp,
  // nbf, then MapClaims; the principal expires with the token (exp). kUnauthenticated (detail
  // says why), kForbidden, kUnavailable.
  Result<Principal> AuthenticateJwt(std::string_view token, Service& svc,
                                    std::string_view request_id);

  // The operator roles granted by the roles claim ("operator" means all three; other names are
  // ignored), or nullopt when no roles claim is configured (not narrowed).
  std::optional<RoleSet> ClaimedRoles(const boost::json::object& claims) const;
  // Verified claims → principal (Service::AuthenticateAccount): the account named by the account
  // claim must exist and be active; an operator's roles are its stored roles intersected with
  // ClaimedRoles, and it is kForbidden when none is left: the issuer can take operator rights away
  // but never grant them. The credential id is `credential_prefix` + the account id.
  Result<Principal> MapClaims(const boost::json::object& claims, Service& svc,
                              std::string_view credential_prefix) const;

 private:
  const SsoOptions options_;
  OidcIssuer issuer_;
  mutable std::mutex mu_;
  std::string listening_url_;  // guarded by mu_
};

}  // namespace beian::http
