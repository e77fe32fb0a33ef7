// Tx: accounts and tokens.
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::FromSecs;
using store_internal::Must;
using store_internal::Secs;
using store_internal::TextValue;

namespace {

Account AccountFromRow(const Row& r) {
  Account a;
  a.id = r.Str(0);
  a.role = Must(ParseRole(r.Str(1)), "role");
  a.name = r.Str(2);
  a.created_at = FromSecs(r.Int(3));
  return a;
}

}  // namespace

std::optional<Account> Tx::GetAccount(std::string_view id) {
  const auto rows =
      conn_.Query("SELECT id, role, name, created_at FROM accounts WHERE id = $1", {TextValue(id)});
  if (rows.empty()) return std::nullopt;
  return AccountFromRow(rows[0]);
}

bool Tx::UpsertAccount(const Account& a) {
  const std::vector<Value> params = {a.id, std::string(RoleName(a.role)), a.name,
                                     Secs(a.created_at)};
  if (conn_.Exec("INSERT INTO accounts (id, role, name, created_at) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (id) DO NOTHING",
                 params) == 1) {
    return true;
  }
  conn_.Exec("UPDATE accounts SET role = $2, name = $3 WHERE id = $1",
             {params[0], params[1], params[2]});
  return false;
}

void Tx::InsertToken(std::string_view token_hash, std::string_view account_id, Time at) {
  conn_.Exec("INSERT INTO tokens (hash, account_id, created_at) VALUES ($1, $2, $3)",
             {TextValue(token_hash), TextValue(account_id), Secs(at)});
}

std::optional<Account> Tx::AccountByTokenHash(std::string_view token_hash) {
  const auto rows = conn_.Query(
      "SELECT a.id, a.role, a.name, a.created_at FROM tokens t JOIN accounts a ON a.id = "
      "t.account_id WHERE t.hash = $1",
      {TextValue(token_hash)});
  if (rows.empty()) return std::nullopt;
  return AccountFromRow(rows[0]);
}

}  // namespace beian
