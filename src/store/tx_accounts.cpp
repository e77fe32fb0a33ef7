// Tx: accounts, tokens and the credential generation.
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::FromSecs;
using store_internal::Must;
using store_internal::Secs;
using store_internal::TextValue;

namespace {

constexpr std::string_view kAccountCols = "id, role, name, created_at, roles, status";
constexpr std::string_view kTokenCols =
    "id, account_id, name, scopes, creator, created_at, expires_at, last_used_at, revoked_at";

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
  std::string sql = "SELECT " + std::string(kAccountCols) + " FROM accounts WHERE id = $1";
  if (pg() && lock == RowLock::kShare) sql += " FOR SHARE";
  if (pg() && lock == RowLock::kUpdate) sql += " FOR UPDATE";
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
  if (conn_.Exec("INSERT INTO accounts (id, role, name, created_at, roles, status) "
                 "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                 params) == 1) {
    return true;
  }
  conn_.Exec("UPDATE accounts SET role = $2, name = $3, roles = $4, status = $5 WHERE id = $1",
             {params[0], params[1], params[2], params[4], params[5]});
  return false;
}

std::vector<Account> Tx::ListAccounts(std::string_view after_id, int limit) {
  const auto rows = conn_.Query(
      "SELECT " + std::string(kAccountCols) + " FROM accounts WHERE id > $1 ORDER BY id LIMIT $2",
      {TextValue(after_id), int64_t{limit}});
  std::vector<Account> out;
  for (const Row& r : rows) out.push_back(AccountFromRow(r));
  return out;
}

int64_t Tx::CountOtherActiveAdmins(std::string_view except_id) {
  return conn_
      .Query(
          "SELECT COUNT(*) FROM accounts WHERE role = 'operator' AND status = 'active' AND "
          "(' ' || roles || ' ') LIKE '% admin %' AND id <> $1",
          {TextValue(except_id)})
      .at(0)
      .Int(0);
}

int64_t Tx::CountProductsOf(std::string_view account_id) {
  return conn_.Query("SELECT COUNT(*) FROM products WHERE account_id = $1", {TextValue(account_id)})
      .at(0)
      .Int(0);
}

void Tx::InsertToken(std::string_view token_hash, const TokenRecord& t) {
  conn_.Exec(
      "INSERT INTO tokens (hash, id, account_id, name, scopes, creator, created_at, expires_at, "
      "last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {TextValue(token_hash), t.id, t.account_id, t.name, ScopeListText(t.scopes), t.creator,
       Secs(t.created_at), OptSecs(t.expires_at), OptSecs(t.last_used_at), OptSecs(t.revoked_at)});
}

std::optional<Tx::TokenAuth> Tx::TokenByHash(std::string_view token_hash) {
  const auto rows = conn_.Query(
      "SELECT t.id, t.account_id, t.name, t.scopes, t.creator, t.created_at, t.expires_at, "
      "t.last_used_at, t.revoked_at, a.id, a.role, a.name, a.created_at, a.roles, a.status "
      "FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = $1",
      {TextValue(token_hash)});
  if (rows.empty()) return std::nullopt;
  return TokenAuth{TokenFromRow(rows[0]), AccountFromRow(rows[0], 9)};
}

std::optional<TokenRecord> Tx::GetToken(std::string_view id) {
  const auto rows = conn_.Query("SELECT " + std::string(kTokenCols) + " FROM tokens WHERE id = $1",
                                {TextValue(id)});
  if (rows.empty()) return std::nullopt;
  return TokenFromRow(rows[0]);
}

std::vector<TokenRecord> Tx::ListTokens(const std::optional<std::string>& account_id, int limit) {
  std::vector<Value> params;
  std::string sql = "SELECT " + std::string(kTokenCols) + " FROM tokens";
  if (account_id) {
    params.push_back(*account_id);
    sql += " WHERE account_id = $1";
  }
  params.push_back(int64_t{limit});
  sql += " ORDER BY created_at DESC, id DESC LIMIT $" + std::to_string(params.size());
  std::vector<TokenRecord> out;
  for (const Row& r : conn_.Query(sql, params)) out.push_back(TokenFromRow(r));
  return out;
}

void Tx::RevokeToken(std::string_view id, Time at) {
  conn_.Exec(
      "UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND (revoked_at IS NULL OR revoked_at > $2)",
      {TextValue(id), Secs(at)});
}

void Tx::TouchToken(std::string_view id, Time at, Time not_after) {
  conn_.Exec(
      "UPDATE tokens SET last_used_at = $2 WHERE id = $1 AND "
      "(last_used_at IS NULL OR last_used_at < $3)",
      {TextValue(id), Secs(at), Secs(not_after)});
}

int64_t Tx::CredentialGeneration() {
  return conn_.Query("SELECT gen FROM credential_generation WHERE id = 1").at(0).Int(0);
}

void Tx::BumpCredentialGeneration() {
  conn_.Exec("UPDATE credential_generation SET gen = gen + 1 WHERE id = 1");
}

}  // namespace beian
