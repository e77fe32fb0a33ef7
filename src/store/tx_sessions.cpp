// Tx: console sign-in (OpenID Connect logins in progress and web sessions); the statements are in
// statements.h.
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::FromSecs;
using store_internal::Must;
using store_internal::Secs;
using store_internal::TextValue;

void Tx::InsertOidcLogin(const OidcLogin& l) {
  conn_.Exec(sql_.insert_oidc_login, {l.state_hash, l.code_verifier, l.nonce, Secs(l.created_at)});
}

std::optional<OidcLogin> Tx::TakeOidcLogin(std::string_view state_hash) {
  const auto rows = conn_.Query(sql_.take_oidc_login, {TextValue(state_hash)});
  if (rows.empty()) return std::nullopt;
  return OidcLogin{std::string(state_hash), rows[0].Str(0), rows[0].Str(1),
                   FromSecs(rows[0].Int(2))};
}

void Tx::PurgeOidcLogins(Time before) { conn_.Exec(sql_.purge_oidc_logins, {Secs(before)}); }

void Tx::InsertWebSession(const WebSession& s) {
  conn_.Exec(sql_.insert_web_session,
             {s.id_hash, s.account.id, RoleListText(s.claimed_roles), s.csrf_token,
              Secs(s.created_at), Secs(s.last_seen_at), Secs(s.expires_at)});
}

std::optional<WebSession> Tx::GetWebSession(std::string_view id_hash) {
  const auto rows = conn_.Query(sql_.get_web_session, {TextValue(id_hash)});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows[0];
  std::optional<Account> account = GetAccount(r.Str(0));
  if (!account) return std::nullopt;
  WebSession s;
  s.id_hash = std::string(id_hash);
  s.account = std::move(*account);
  s.claimed_roles = Must(ParseRoleList(r.Str(1)), "roles");
  s.csrf_token = r.Str(2);
  s.created_at = FromSecs(r.Int(3));
  s.last_seen_at = FromSecs(r.Int(4));
  s.expires_at = FromSecs(r.Int(5));
  if (!r.IsNull(6)) s.revoked_at = FromSecs(r.Int(6));
  return s;
}

void Tx::TouchWebSession(std::string_view id_hash, Time at) {
  conn_.Exec(sql_.touch_web_session, {TextValue(id_hash), Secs(at)});
}

bool Tx::RevokeWebSession(std::string_view id_hash, Time at) {
  return conn_.Exec(sql_.revoke_web_session, {TextValue(id_hash), Secs(at)}) == 1;
}

void Tx::PurgeWebSessions(Time before) { conn_.Exec(sql_.purge_web_sessions, {Secs(before)}); }

}  // namespace beian
