// Tx: accounts, tokens and the credential generation.
#include <boost/json.hpp>

#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::EncodeStrings;
using store_internal::FromSecs;
using store_internal::Must;
using store_internal::Secs;
using store_internal::TextValue;

namespace {

// id, role, name, created_at, roles, status from column `at` on.
Account AccountFromRow(const Row& r, std::size_t at = 0) {
  Account a;
  a.id = r.Str(at);
  a.role = Must(ParseRole(r.Str(at + 1)), "role");
  a.name = r.Str(at + 2);
  a.created_at = FromSecs(r.Int(at + 3));
  a.roles = Must(ParseRoleList(r.Str(at + 4)), "roles");
  a.disabled = r.Str(at + 5) == "disabled";
  return a;
}

std::optional<Time> OptTime(const Row& r, std::size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return FromSecs(r.Int(i));
}

Value OptSecs(const std::optional<Time>& t) {
  if (!t) return nullptr;
  return Secs(*t);
}

// id, account_id, name, scopes, creator, created_at, expires_at, last_used_at, revoked_at.
TokenRecord TokenFromRow(const Row& r) {
  TokenRecord t;
  t.id = r.Str(0);
  t.account_id = r.Str(1);
  t.name = r.Str(2);
  t.scopes = Must(ParseScopeList(r.Str(3)), "scopes");
  t.creator = r.Str(4);
  t.created_at = FromSecs(r.Int(5));
  t.expires_at = OptTime(r, 6);
  t.last_used_at = OptTime(r, 7);
  t.revoked_at = OptTime(r, 8);
  return t;
}

}  // namespace

std::optional<Account> Tx::GetAccount(std::string_view id, RowLock lock) {
  const std::string_view sql = lock == RowLock::kShare    ? sql_.get_account_for_share
                               : lock == RowLock::kUpdate ? sql_.get_account_for_update
                                                          : sql_.get_account;
  const auto rows = conn_.Query(sql, {TextValue(id)});
  if (rows.empty()) return std::nullopt;
  return AccountFromRow(rows[0]);
}

bool Tx::UpsertAccount(const Account& a) {
  const std::vector<Value> params = {a.id,
                                     std::string(RoleName(a.role)),
                                     a.name,
                                     Secs(a.created_at),
                                     RoleListText(a.role == Role::kOperator ? a.roles : 0),
                                     std::string(a.disabled ? "disabled" : "active")};
  if (conn_.Exec(sql_.insert_account, params) == 1) return true;
  conn_.Exec(sql_.update_account, {params[0], params[1], params[2], params[4], params[5]});
  return false;
}

std::vector<Account> Tx::GetAccountsForShare(const std::vector<std::string>& ids) {
  std::vector<Account> out;
  if (ids.empty()) return out;
  for (const Row& r : conn_.Query(sql_.get_accounts_in_for_share, {EncodeStrings(ids)})) {
    out.push_back(AccountFromRow(r));
  }
  return out;
}

void Tx::UpsertAccounts(const std::vector<Account>& accounts) {
  if (accounts.empty()) return;
  boost::json::array rows;
  for (const Account& a : accounts) {
    rows.push_back(boost::json::array{
        boost::json::value(a.id), boost::json::value(RoleName(a.role)), boost::json::value(a.name),
        boost::json::value(Secs(a.created_at)),
        boost::json::value(RoleListText(a.role == Role::kOperator ? a.roles : 0)),
        boost::json::value(a.disabled ? "disabled" : "active")});
  }
  conn_.Exec(sql_.upsert_accounts, {boost::json::serialize(rows)});
}

std::vector<Account> Tx::ListAccounts(std::string_view after_id, int limit) {
  const auto rows = conn_.Query(sql_.list_accounts, {TextValue(after_id), int64_t{limit}});
  std::vector<Account> out;
  for (const Row& r : rows) out.push_back(AccountFromRow(r));
  return out;
}

int64_t Tx::CountOtherActiveAdmins(std::string_view except_id) {
  return conn_.Query(sql_.count_other_active_admins, {TextValue(except_id)}).at(0).Int(0);
}

int64_t Tx::CountProductsOf(std::string_view account_id) {
  return conn_.Query(sql_.count_products_of, {TextValue(account_id)}).at(0).Int(0);
}

void Tx::InsertToken(std::string_view token_hash, const TokenRecord& t) {
  conn_.Exec(
      sql_.insert_token,
      {TextValue(token_hash), t.id, t.account_id, t.name, ScopeListText(t.scopes), t.creator,
       Secs(t.created_at), OptSecs(t.expires_at), OptSecs(t.last_used_at), OptSecs(t.revoked_at)});
}

std::optional<Tx::TokenAuth> Tx::TokenByHash(std::string_view token_hash) {
  const auto rows = conn_.Query(sql_.token_by_hash, {TextValue(token_hash)});
  if (rows.empty()) return std::nullopt;
  return TokenAuth{TokenFromRow(rows[0]), AccountFromRow(rows[0], 9)};
}

std::optional<TokenRecord> Tx::GetToken(std::string_view id) {
  const auto rows = conn_.Query(sql_.get_token, {TextValue(id)});
  if (rows.empty()) return std::nullopt;
  return TokenFromRow(rows[0]);
}

std::vector<TokenRecord> Tx::ListTokens(const std::optional<std::string>& account_id, int limit) {
  const auto rows = account_id
                        ? conn_.Query(sql_.list_tokens_of_account, {*account_id, int64_t{limit}})
                        : conn_.Query(sql_.list_tokens, {int64_t{limit}});
  std::vector<TokenRecord> out;
  for (const Row& r : rows) out.push_back(TokenFromRow(r));
  return out;
}

void Tx::RevokeToken(std::string_view id, Time at) {
  conn_.Exec(sql_.revoke_token, {TextValue(id), Secs(at)});
}

void Tx::TouchToken(std::string_view id, Time at, Time not_after) {
  conn_.Exec(sql_.touch_token, {TextValue(id), Secs(at), Secs(not_after)});
}

int64_t Tx::CredentialGeneration() { return conn_.Query(sql_.credential_generation).at(0).Int(0); }

void Tx::BumpCredentialGeneration() { conn_.Exec(sql_.bump_credential_generation); }

}  // namespace beian
