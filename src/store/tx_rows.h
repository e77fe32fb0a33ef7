#pragma once
// Internal to src/store: column lists and row mapping shared by the Tx implementation files.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"
#include "domain/entities.h"

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

inline constexpr std::string_view kProductCols =
    "id, account_id, kind, name, billing, region, public_ips, expires_at, status, "
    "vhost_username, vhost_password_hash, created_at, updated_at";
Product ProductFromRow(const Row& r);

// Grants (granted_to) are not part of the row: see LoadGrants.
inline constexpr std::string_view kNumberCols =
    "code, product_id, account_id, kind, quota_scope, state, issued_at, domain, filing_id";
ServiceNumber NumberFromRow(const Row& r);
// Fills granted_to of `numbers` (sorted by code) with one query.
void LoadGrants(Conn& conn, std::vector<ServiceNumber>& numbers);

inline constexpr std::string_view kFilingCols =
    "id, account_id, owner_id, domain, service_number, product_id, state, reason, created_at, "
    "updated_at";
Filing FilingFromRow(const Row& r);

inline constexpr std::string_view kEventCols =
    "seq, at, actor, type, account_id, subject, data, account2";
Event EventFromRow(const Row& r);

// Appends " AND <cond>" to `where`, or starts it with " WHERE <cond>".
void AddCond(std::string& where, std::string_view cond);
// The next placeholder for `params` after adding `v`: "$<n>".
std::string Param(std::vector<Value>& params, Value v);
// "IN (…)" over `values`, passed as one JSON-array parameter appended to params, so that the SQL
// text (and its prepared statement) is the same whatever the number of values.
std::string InStrings(Dialect dialect, std::vector<Value>& params,
                      const std::vector<std::string>& values);

}  // namespace beian::store_internal
