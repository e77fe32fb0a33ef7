// Console sign-in with OpenID Connect (authorization code flow with PKCE): /auth/login sends the
// browser to the issuer, /auth/callback takes the code back, verifies the ID token and starts a
// server-side session (cookie), /auth/session tells the console who is signed in (and its CSRF
// token), /auth/logout ends the session. Failures of the browser flow redirect to
// /?sso_error=CODE, where the console explains them.
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <map>

#include "http/handlers.h"
#include "http/outbound.h"

namespace beian::http {
namespace json = boost::json;

namespace {

constexpr std::chrono::seconds kLoginCookieAge{600};

ApiResponse Redirect(std::string location) {
  ApiResponse r;
  r.status = 302;
  r.content_type = "";
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

// Ends a failed browser sign-in on the console, which shows what `code` means.
ApiResponse FailRedirect(const Ctx& c, std::string_view code, std::string_view why) {
  spdlog::warn("request {}: sign-in failed ({}): {}", c.req.request_id, code, why);
  ApiResponse r = Redirect("/?sso_error=" + std::string(code));
  r.headers.emplace_back("Set-Cookie",
                         c.sso->SetCookie(kLoginCookie, "", "/auth/", std::chrono::seconds(0)));
  return r;
}

std::string B64Url(const unsigned char* data, std::size_t len) {
  std::string out(sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

// The PKCE S256 challenge of `verifier` (RFC 7636 4.2).
std::string PkceChallenge(std::string_view verifier) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> h{};
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size());
  return B64Url(h.data(), h.size());
}

// The decoded query parameters of the callback (the issuer may add ones of its own, so the route
// accepts any; the first value of a repeated name wins).
std::map<std::string, std::string> CallbackParams(std::string_view target) {
  std::map<std::string, std::string> out;
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return out;
  for (auto p : parsed->params()) out.emplace(p.key, p.value);
  return out;
}

const std::string* Get(const std::map<std::string, std::string>& m, const char* name) {
  auto it = m.find(name);
  return it == m.end() ? nullptr : &it->second;
}

std::string RedirectUri(const Sso& sso) { return sso.PublicUrl() + "/auth/callback"; }

// The console's code (?sso_error=) for a refused sign-in of a verified identity.
std::string_view SignInRefusal(const Error& e) {
  if (e.code == ErrorCode::kForbidden) return "NO_ROLE";
  if (e.code != ErrorCode::kUnauthenticated) return "UNAVAILABLE";
  return e.detail.en == AccountDisabled().detail.en ? "ACCOUNT_DISABLED" : "NO_ACCOUNT";
}

// The ID token of the token endpoint's answer to `code`, or "" (logged).
std::string ExchangeCode(const Ctx& c, const IssuerEndpoints& e, const std::string& code,
                         const std::string& verifier) {
  const SsoOptions& o = c.sso->options();
  const std::string form = "grant_type=authorization_code&code=" + FormEncode(code) +
                           "&redirect_uri=" + FormEncode(RedirectUri(*c.sso)) +
                           "&code_verifier=" + FormEncode(verifier);
  Result<OutboundReply> reply =
      OutboundPostForm(e.token_endpoint, form, o.client_id, o.client_secret);
  if (!reply.ok()) {
    spdlog::warn("request {}: token endpoint: {}", c.req.request_id, reply.error().detail.en);
    return {};
  }
  boost::system::error_code ec;
  json::value v = json::parse(reply->body, ec);
  const json::value* id = !ec && v.is_object() ? v.as_object().if_contains("id_token") : nullptr;
  if (reply->status != 200 || id == nullptr || !id->is_string()) {
    spdlog::warn("request {}: token endpoint answered {}: {}", c.req.request_id, reply->status,
                 reply->body.substr(0, 300));
    return {};
  }
  return std::string(id->as_string());
}

}  // namespace

HandlerResult HandleAuthSession(Ctx& c) {
  json::object o;
  o["sso"] = c.sso != nullptr && c.sso->console_enabled();
  o["signed_in"] = false;
  o["demo"] = c.demo;
  const std::string_view secret = CookieValue(c.req.cookie, kSessionCookie);
  if (c.sso != nullptr && c.sso->console_enabled() && !secret.empty()) {
    Result<SessionAuth> s = c.svc.AuthenticateSession(secret, c.sso->options().session_idle);
    if (s.ok()) {
      o["signed_in"] = true;
      o["account_id"] = s->principal.account_id;
      o["role"] = RoleName(s->principal.role);
      json::array roles;
      for (const std::string& r :
           OperatorRoleNames(s->principal.IsOperator() ? s->principal.roles : 0)) {
        roles.emplace_back(r);
      }
      o["roles"] = std::move(roles);
      json::array scopes;
      for (const std::string& n : ScopeNames(s->principal.EffectiveScopes()))
        scopes.emplace_back(n);
      o["scopes"] = std::move(scopes);
      o["csrf_token"] = s->csrf_token;
      o["expires_at"] = FormatRfc3339Utc(s->expires_at);
    } else if (s.error().code != ErrorCode::kUnauthenticated &&
               s.error().code != ErrorCode::kForbidden) {  // an operator left with no role
      return std::move(s).error();
    }
  }
  return JsonResponse(200, json::serialize(o));
}

HandlerResult HandleAuthLogin(Ctx& c) {
  if (c.sso == nullptr || !c.sso->console_enabled()) {
    return MakeError(ErrorCode::kNotFound);
  }
  Result<IssuerEndpoints> e = c.sso->issuer().Endpoints();
  if (!e.ok()) return FailRedirect(c, "UNAVAILABLE", "no discovery document");
  Result<SsoLogin> login = c.svc.BeginSsoLogin();
  if (!login.ok()) return std::move(login).error();
  const SsoOptions& o = c.sso->options();
  std::string url = e->authorization_endpoint;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "response_type=code&client_id=" + FormEncode(o.client_id) +
         "&redirect_uri=" + FormEncode(RedirectUri(*c.sso)) + "&scope=openid%20profile" +
         "&state=" + login->state + "&nonce=" + login->nonce +
         "&code_challenge=" + PkceChallenge(login->code_verifier) + "&code_challenge_method=S256";
  ApiResponse r = Redirect(std::move(url));
  // Binds the sign-in to this browser: the callback must come back with the same state.
  r.headers.emplace_back("Set-Cookie",
                         c.sso->SetCookie(kLoginCookie, login->state, "/auth/", kLoginCookieAge));
  return r;
}

HandlerResult HandleAuthCallback(Ctx& c) {
  if (c.sso == nullptr || !c.sso->console_enabled()) {
    return MakeError(ErrorCode::kNotFound);
  }
  const std::map<std::string, std::string> params = CallbackParams(c.req.target);
  const std::string* state = Get(params, "state");
  const std::string* code = Get(params, "code");
  const std::string* error = Get(params, "error");
  const std::string* iss = Get(params, "iss");  // RFC 9207: which issuer answered
  if (state == nullptr || !SecretEquals(*state, CookieValue(c.req.cookie, kLoginCookie))) {
    return FailRedirect(c, "LOGIN_EXPIRED", "state missing or not this browser's");
  }
  Result<SsoLogin> login = c.svc.TakeSsoLogin(*state);
  if (!login.ok()) return FailRedirect(c, "LOGIN_EXPIRED", "unknown or expired state");
  if (error != nullptr || code == nullptr) {
    return FailRedirect(c, "ACCESS_DENIED", error != nullptr ? *error : "no code");
  }
  if (iss != nullptr && *iss != c.sso->options().issuer) {
    return FailRedirect(c, "INVALID", "the answer names another issuer: " + *iss);
  }
  Result<IssuerEndpoints> e = c.sso->issuer().Endpoints();
  if (!e.ok()) return FailRedirect(c, "UNAVAILABLE", "no discovery document");
  const std::string id_token = ExchangeCode(c, *e, *code, login->code_verifier);
  if (id_token.empty()) return FailRedirect(c, "UNAVAILABLE", "no ID token");
  Result<json::object> claims = c.sso->issuer().Verify(id_token, c.req.request_id);
  if (!claims.ok()) {
    return FailRedirect(c,
                        claims.error().code == ErrorCode::kUnavailable ? "UNAVAILABLE" : "INVALID",
                        claims.error().detail.en);
  }
  const SsoOptions& o = c.sso->options();
  JwtExpect expect{o.issuer, o.client_id, std::chrono::system_clock::now(), o.leeway};
  if (Status st = CheckClaims(*claims, expect); !st.ok()) {
    return FailRedirect(c, "INVALID", st.error().detail.en);
  }
  const std::vector<std::string> nonce = ClaimStrings(*claims, "nonce", false);
  if (nonce.size() != 1 || !SecretEquals(nonce[0], login->nonce)) {
    return FailRedirect(c, "INVALID", "nonce mismatch");
  }
  Result<Principal> who = c.sso->MapClaims(*claims, c.svc, "oidc_");
  if (!who.ok()) return FailRedirect(c, SignInRefusal(who.error()), who.error().detail.en);
  Result<NewSession> s = c.svc.StartSession(*who, c.sso->ClaimedRoles(*claims), o.session_absolute);
  if (!s.ok()) return FailRedirect(c, SignInRefusal(s.error()), s.error().detail.en);
  spdlog::info("request {}: {} signed in", c.req.request_id, who->account_id);
  ApiResponse r = Redirect("/");
  r.headers.emplace_back("Set-Cookie",
                         c.sso->SetCookie(kSessionCookie, s->secret, "/", o.session_absolute));
  r.headers.emplace_back("Set-Cookie",
                         c.sso->SetCookie(kLoginCookie, "", "/auth/", std::chrono::seconds(0)));
  return r;
}

HandlerResult HandleAuthLogout(Ctx& c) {
  if (c.sso == nullptr || !c.sso->console_enabled()) {
    return MakeError(ErrorCode::kNotFound);
  }
  const std::string_view secret = CookieValue(c.req.cookie, kSessionCookie);
  Result<SessionAuth> s = c.svc.AuthenticateSession(secret, c.sso->options().session_idle);
  if (s.ok()) {
    if (!SecretEquals(c.req.csrf_token, s->csrf_token)) return CsrfRefused();
    if (Status st = c.svc.EndSession(secret);
        !st.ok() && st.error().code != ErrorCode::kUnauthenticated) {
      return std::move(st).error();
    }
  } else if (s.error().code != ErrorCode::kUnauthenticated &&
             s.error().code != ErrorCode::kForbidden) {
    // kForbidden: an operator left with no role; its session is unusable, the cookie goes.
    return std::move(s).error();
  }
  ApiResponse r;
  r.status = 204;
  r.content_type = "";
  r.headers.emplace_back("Set-Cookie",
                         c.sso->SetCookie(kSessionCookie, "", "/", std::chrono::seconds(0)));
  return r;
}

}  // namespace beian::http
