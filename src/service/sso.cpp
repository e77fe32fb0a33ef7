// Single sign-on: principals of identities vouched for by the OpenID issuer, and console sessions.
#include <sodium.h>

#include <array>

#include "service/internal.h"

namespace beian {

using svc::AppendEvent;
using svc::CustomerOf;
using svc::JsonObject;

namespace {

constexpr std::chrono::minutes kLoginLifetime{10};
constexpr std::chrono::minutes kTouchEvery{1};

// 32 random bytes, base64url without padding (43 characters).
std::string NewSecret() {
  std::array<unsigned char, 32> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::array<char, sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)> text{};
  sodium_bin2base64(text.data(), text.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text.data();
}

Error SessionEnded() {
  return MakeError(
      ErrorCode::kUnauthenticated,
      Text{"登录会话已结束，请重新登录", "the sign-in session has ended; sign in again"});
}

// The principal of an identity the issuer vouched for, or why it may not act (see
// Service::AuthenticateAccount).
Result<Principal> IdentityPrincipal(const Account& a, RoleSet claimed, std::string credential_id) {
  if (a.disabled) return svc::AccountDisabled();
  Principal p{a.id, a.role, a.roles & claimed, kAllScopes, std::move(credential_id), std::nullopt};
  if (p.IsOperator() && p.roles == 0) {
    return MakeError(ErrorCode::kForbidden,
                     Text{"身份提供方未授予该运营账号其拥有的任何运营角色",
                          "the identity provider grants this operator account none of its "
                          "operator roles"});
  }
  return p;
}

// The public id of a session: "ses_" and the start of its hash (for audit and rate limits).
std::string SessionId(std::string_view id_hash) {
  return "ses_" + std::string(id_hash.substr(0, 16));
}

}  // namespace

Result<Principal> Service::AuthenticateAccount(std::string_view account_id,
                                               std::optional<RoleSet> claimed_roles,
                                               std::string credential_id) {
  BEIAN_ASSIGN_OR_RETURN(const Account found, store_.Read([&](Tx& tx) -> Result<Account> {
    std::optional<Account> a = tx.GetAccount(account_id);
    if (!a) {
      return MakeError(ErrorCode::kUnauthenticated,
                       Text{"身份提供方确认的身份没有对应的账号，请联系运营方开通",
                            "no account belongs to this identity; ask an operator to create it"});
    }
    return *a;
  }));
  return IdentityPrincipal(found, claimed_roles.value_or(kAllOperatorRoles),
                           std::move(credential_id));
}

Result<SsoLogin> Service::BeginSsoLogin() {
  SsoLogin login{NewSecret(), NewSecret(), NewSecret()};
  const Time now = Now();
  BEIAN_RETURN_IF_ERROR(store_.Write([&](Tx& tx) -> Status {
    tx.PurgeOidcLogins(now - kLoginLifetime);
    tx.InsertOidcLogin(OidcLogin{svc::ApiTokenHash(login.state, token_pepper_), login.code_verifier,
                                 login.nonce, now});
    return OkStatus();
  }));
  return login;
}

Result<SsoLogin> Service::TakeSsoLogin(std::string_view state) {
  const Time now = Now();
  BEIAN_ASSIGN_OR_RETURN(const OidcLogin taken, store_.Write([&](Tx& tx) -> Result<OidcLogin> {
    std::optional<OidcLogin> l = tx.TakeOidcLogin(svc::ApiTokenHash(state, token_pepper_));
    if (!l || l->created_at < now - kLoginLifetime) {
      return MakeError(ErrorCode::kUnauthenticated,
                       Text{"登录请求已过期或已使用，请重新登录",
                            "the sign-in request expired or was already used; sign in again"});
    }
    return *l;
  }));
  return SsoLogin{std::string(state), taken.code_verifier, taken.nonce};
}

Result<NewSession> Service::StartSession(const Principal& who, std::optional<RoleSet> claimed_roles,
                                         std::chrono::seconds lifetime) {
  NewSession out{NewSecret(), NewSecret(), {}};
  const Time now = Now();
  out.expires_at = now + lifetime;
  BEIAN_RETURN_IF_ERROR(store_.Write([&](Tx& tx) -> Status {
    std::optional<Account> a = tx.GetAccount(who.account_id);
    if (!a) return SessionEnded();
    if (a->disabled) return svc::AccountDisabled();
    tx.PurgeWebSessions(now - std::chrono::hours(24));
    WebSession s;
    s.id_hash = svc::ApiTokenHash(out.secret, token_pepper_);
    s.account = *a;
    s.claimed_roles = claimed_roles.value_or(kAllOperatorRoles);
    s.csrf_token = out.csrf_token;
    s.created_at = now;
    s.last_seen_at = now;
    s.expires_at = out.expires_at;
    tx.InsertWebSession(s);
    Principal actor = who;
    actor.credential_id = SessionId(s.id_hash);
    AppendEvent(tx, actor, now, "auth.signed_in", CustomerOf(*a), actor.credential_id,
                JsonObject({{"method", "oidc"},
                            {"roles", RoleListText(a->role == Role::kOperator ? who.roles : 0)}}));
    return OkStatus();
  }));
  return out;
}

Result<SessionAuth> Service::AuthenticateSession(std::string_view secret,
                                                 std::chrono::seconds idle) {
  if (secret.empty()) return SessionEnded();
  const std::string hash = svc::ApiTokenHash(secret, token_pepper_);
  const Time now = Now();
  BEIAN_ASSIGN_OR_RETURN(const WebSession found, store_.Read([&](Tx& tx) -> Result<WebSession> {
    std::optional<WebSession> s = tx.GetWebSession(hash);
    if (!s || s->revoked_at || now >= s->expires_at || now - s->last_seen_at > idle) {
      return SessionEnded();
    }
    return *s;
  }));
  BEIAN_ASSIGN_OR_RETURN(Principal who, IdentityPrincipal(found.account, found.claimed_roles,
                                                          SessionId(found.id_hash)));
  if (now - found.last_seen_at >= kTouchEvery) {
    BEIAN_RETURN_IF_ERROR(store_.Write([&](Tx& tx) -> Status {
      tx.TouchWebSession(hash, now);
      return OkStatus();
    }));
  }
  return SessionAuth{std::move(who), found.csrf_token, found.expires_at};
}

Status Service::EndSession(std::string_view secret) {
  const std::string hash = svc::ApiTokenHash(secret, token_pepper_);
  const Time now = Now();
  return store_.Write([&](Tx& tx) -> Status {
    std::optional<WebSession> s = tx.GetWebSession(hash);
    if (!s || !tx.RevokeWebSession(hash, now)) return SessionEnded();
    const Principal who{s->account.id, s->account.role, s->account.roles,
                        kAllScopes,    SessionId(hash), std::nullopt};
    AppendEvent(tx, who, now, "auth.signed_out", CustomerOf(s->account), who.credential_id,
                JsonObject({{"method", "oidc"}}));
    return OkStatus();
  });
}

}  // namespace beian
