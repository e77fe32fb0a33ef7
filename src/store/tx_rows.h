#pragma once
// Internal to src/store: row mapping and list statements shared by the Tx implementation files.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.h"
#include "store/db.h"
#include "store/statements.h"

namespace beian::store_internal {

inline int64_t Secs(Time t) { return t.time_since_epoch().count(); }
inline Time FromSecs(int64_t s) { return Time{std::chrono::seconds{s}}; }
inline Value TextValue(std::string_view s) { return std::string(s); }
inline Value OptText(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return *s;
}

// A stored name that does not parse means a corrupt row: throws StoreError.
template <class E>
E Must(std::optional<E> parsed, std::string_view what) {
  if (!parsed) throw StoreError("corrupt row: bad " + std::string(what));
  return *parsed;
}

std::string EncodeStrings(const std::vector<std::string>& values);  // a JSON array of strings
std::vector<std::string> DecodeIps(const std::string& json);

// Each reads the columns in the order of its entity's statements (statements.h):
// id, account_id, kind, name, billing, region, public_ips, expires_at, status, vhost_username,
// vhost_password_hash, created_at, updated_at.
Product ProductFromRow(const Row& r);

// code, product_id, account_id, kind, quota_scope, state, issued_at, domain, filing_id. Grants
// (granted_to) are not part of the row: see LoadGrants.
ServiceNumber NumberFromRow(const Row& r);
// Fills granted_to of `numbers` (sorted by code) with one query (sql.grants_in).
void LoadGrants(Conn& conn, const Statements& sql, std::vector<ServiceNumber>& numbers);

// id, account_id, owner_id, domain, service_number, product_id, state, reason, created_at,
// updated_at.
Filing FilingFromRow(const Row& r);

// seq, at, actor, type, account_id, subject, data, account2.
Event EventFromRow(const Row& r);

// One run of a list statement (statements.h): the statement, its own parameters ($1…$n) and
// the filters a call chose, in the order added. Sql() is the statement with every "{where}"
// replaced by " WHERE f1 AND f2 …" and every "{and}" by " AND f1 AND f2 …" (both by nothing
// without filters); each "$?" of a filter is the parameter of that filter, numbered after the
// statement's own. params() are the statement's parameters, then the filters'.
class ListQuery {
 public:
  ListQuery(std::string_view statement, std::vector<Value> params);
  ListQuery& Where(std::string_view filter);  // a filter without a parameter
  ListQuery& Where(std::string_view filter, Value value);
  // A filter with several parameters: its k-th "$?" takes values[k].
  ListQuery& Where(std::string_view filter, std::vector<Value> values);
  std::string Sql() const;
  const std::vector<Value>& params() const { return params_; }

 private:
  std::string_view statement_;
  std::vector<Value> params_;
  std::string filters_;  // " AND f1 AND f2 …", "$?" already numbered
};

}  // namespace beian::store_internal
