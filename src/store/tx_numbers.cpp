// Tx: quota scopes, service numbers and grants.
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::AddCond;
using store_internal::InStrings;
using store_internal::kNumberCols;
using store_internal::LoadGrants;
using store_internal::Must;
using store_internal::NumberFromRow;
using store_internal::OptText;
using store_internal::Param;
using store_internal::Secs;
using store_internal::TextValue;

int Tx::LockQuota(std::string_view scope_key) {
  conn_.Exec("INSERT INTO quota_scopes (key, used) VALUES ($1, 0) ON CONFLICT (key) DO NOTHING",
             {TextValue(scope_key)});
  const auto rows = conn_.Query(pg() ? "SELECT used FROM quota_scopes WHERE key = $1 FOR UPDATE"
                                     : "SELECT used FROM quota_scopes WHERE key = $1",
                                {TextValue(scope_key)});
  if (rows.empty()) throw StoreError("quota scope vanished: " + std::string(scope_key));
  return static_cast<int>(rows[0].Int(0));
}

int Tx::PeekQuota(std::string_view scope_key) {
  const auto rows =
      conn_.Query("SELECT used FROM quota_scopes WHERE key = $1", {TextValue(scope_key)});
  return rows.empty() ? 0 : static_cast<int>(rows[0].Int(0));
}

std::map<std::string, int> Tx::PeekQuotas(const std::vector<std::string>& scope_keys) {
  std::map<std::string, int> out;
  if (scope_keys.empty()) return out;
  std::vector<Value> params;
  const std::string in = InStrings(conn_.dialect(), params, scope_keys);
  for (const Row& r : conn_.Query("SELECT key, used FROM quota_scopes WHERE key " + in, params)) {
    out.emplace(r.Str(0), static_cast<int>(r.Int(1)));
  }
  return out;
}

void Tx::AddQuotaUse(std::string_view scope_key) {
  if (conn_.Exec("UPDATE quota_scopes SET used = used + 1 WHERE key = $1",
                 {TextValue(scope_key)}) != 1) {
    throw StoreError("AddQuotaUse without LockQuota: " + std::string(scope_key));
  }
}

bool Tx::TryInsertNumber(const ServiceNumber& n) {
  const int64_t inserted =
      conn_.Exec("INSERT INTO service_numbers (" + std::string(kNumberCols) +
                     ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING",
                 {n.code, n.product_id, n.account_id, std::string(KindName(n.kind)), n.quota_scope,
                  std::string(NumberStateName(n.state)), Secs(n.issued_at), OptText(n.domain),
                  OptText(n.filing_id)});
  if (inserted == 0) return false;
  for (const auto& account : n.granted_to) InsertGrant(n.code, account, n.issued_at);
  return true;
}

void Tx::InsertNumber(const ServiceNumber& n) {
  if (!TryInsertNumber(n)) throw StoreError("service number exists: " + n.code);
}

std::optional<ServiceNumber> Tx::GetNumber(std::string_view code, bool for_update) {
  std::string sql = "SELECT " + std::string(kNumberCols) + " FROM service_numbers WHERE code = $1";
  if (for_update && pg()) sql += " FOR UPDATE";
  const auto rows = conn_.Query(sql, {TextValue(code)});
  if (rows.empty()) return std::nullopt;
  std::vector<ServiceNumber> one = {NumberFromRow(rows[0])};
  LoadGrants(conn_, one);
  return std::move(one[0]);
}

void Tx::UpdateNumber(const ServiceNumber& n) {
  conn_.Exec(
      "UPDATE service_numbers SET state = $2, domain = $3, filing_id = $4 WHERE code = $1",
      {n.code, std::string(NumberStateName(n.state)), OptText(n.domain), OptText(n.filing_id)});
}

std::vector<ServiceNumber> Tx::ListNumbers(const NumberFilter& f) {
  std::vector<Value> params;
  std::string where;
  if (f.state) {
    AddCond(where, "n.state = " + Param(params, std::string(NumberStateName(*f.state))));
    // The state index only holds numbers that are not 'available' (002_partial_state_index.sql);
    // the planners use it when the query states that condition in the same words.
    if (*f.state != NumberState::kAvailable) AddCond(where, "n.state <> 'available'");
  }
  if (f.product_id) AddCond(where, "n.product_id = " + Param(params, *f.product_id));
  std::string after;
  if (!f.after_code.empty()) {
    after = Param(params, f.after_code);
    AddCond(where, "n.code > " + after);
  }
  const std::string limit = Param(params, int64_t{f.limit});
  std::string cols;
  for (std::string_view c : {"code", "product_id", "account_id", "kind", "quota_scope", "state",
                             "issued_at", "domain", "filing_id"}) {
    cols += (cols.empty() ? "n." : ", n.") + std::string(c);
  }
  std::string sql;
  if (!f.visible_to) {
    sql = "SELECT " + cols + " FROM service_numbers n" + where + " ORDER BY n.code LIMIT " + limit;
  } else {
    // Owned and granted numbers, each read from its own index in code order: one "owner OR
    // grantee" condition walks every number in code order until it has a page.
    const std::string v = Param(params, *f.visible_to);
    std::string owned = where, granted = where;
    AddCond(owned, "n.account_id = " + v);
    AddCond(granted, "g.account_id = " + v);
    if (!after.empty()) AddCond(granted, "g.code > " + after);
    sql = "SELECT " + std::string(kNumberCols) + " FROM (SELECT * FROM (SELECT " + cols +
          " FROM service_numbers n" + owned + " ORDER BY n.code LIMIT " + limit +
          ") o UNION SELECT * FROM (SELECT " + cols +
          " FROM grants g JOIN service_numbers n ON n.code = g.code" + granted +
          " ORDER BY g.code LIMIT " + limit + ") gr) u ORDER BY code LIMIT " + limit;
  }
  const auto rows = conn_.Query(sql, params);
  std::vector<ServiceNumber> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(NumberFromRow(r));
  LoadGrants(conn_, out);
  return out;
}

void Tx::InsertGrant(std::string_view code, std::string_view account_id, Time at) {
  conn_.Exec(
      "INSERT INTO grants (code, account_id, granted_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (code, account_id) DO NOTHING",
      {TextValue(code), TextValue(account_id), Secs(at)});
}

std::vector<std::pair<NumberState, int64_t>> Tx::CountNumbersByState(std::string_view account_id) {
  const auto rows = conn_.Query(
      "SELECT state, COUNT(*) FROM service_numbers WHERE account_id = $1 GROUP BY state "
      "ORDER BY state",
      {TextValue(account_id)});
  std::vector<std::pair<NumberState, int64_t>> out;
  for (const Row& r : rows) {
    out.emplace_back(Must(ParseNumberState(r.Str(0)), "number state"), r.Int(1));
  }
  return out;
}

}  // namespace beian
