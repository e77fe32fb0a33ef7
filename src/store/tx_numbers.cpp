// Tx: quota scopes, service numbers and grants.
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::EncodeStrings;
using store_internal::FromSecs;
using store_internal::ListQuery;
using store_internal::LoadGrants;
using store_internal::Must;
using store_internal::NumberFromRow;
using store_internal::OptText;
using store_internal::Secs;
using store_internal::TextValue;

int Tx::LockQuota(std::string_view scope_key) {
  conn_.Exec(sql_.insert_quota_scope, {TextValue(scope_key)});
  const auto rows = conn_.Query(sql_.lock_quota, {TextValue(scope_key)});
  if (rows.empty()) throw StoreError("quota scope vanished: " + std::string(scope_key));
  return static_cast<int>(rows[0].Int(0));
}

int Tx::PeekQuota(std::string_view scope_key) {
  const auto rows = conn_.Query(sql_.peek_quota, {TextValue(scope_key)});
  return rows.empty() ? 0 : static_cast<int>(rows[0].Int(0));
}

std::map<std::string, int> Tx::PeekQuotas(const std::vector<std::string>& scope_keys) {
  std::map<std::string, int> out;
  if (scope_keys.empty()) return out;
  for (const Row& r : conn_.Query(sql_.peek_quotas_in, {EncodeStrings(scope_keys)})) {
    out.emplace(r.Str(0), static_cast<int>(r.Int(1)));
  }
  return out;
}

void Tx::AddQuotaUse(std::string_view scope_key) {
  if (conn_.Exec(sql_.add_quota_use, {TextValue(scope_key)}) != 1) {
    throw StoreError("AddQuotaUse without LockQuota: " + std::string(scope_key));
  }
}

bool Tx::TryInsertNumber(const ServiceNumber& n) {
  const int64_t inserted = conn_.Exec(
      sql_.insert_number, {n.code, n.product_id, n.account_id, std::string(KindName(n.kind)),
                           n.quota_scope, std::string(NumberStateName(n.state)), Secs(n.issued_at),
                           OptText(n.domain), OptText(n.filing_id)});
  if (inserted == 0) return false;
  for (const auto& account : n.granted_to) InsertGrant(n.code, account, n.issued_at);
  return true;
}

void Tx::InsertNumber(const ServiceNumber& n) {
  if (!TryInsertNumber(n)) throw StoreError("service number exists: " + n.code);
}

std::optional<ServiceNumber> Tx::GetNumber(std::string_view code, bool for_update) {
  const auto rows =
      conn_.Query(for_update ? sql_.get_number_for_update : sql_.get_number, {TextValue(code)});
  if (rows.empty()) return std::nullopt;
  std::vector<ServiceNumber> one = {NumberFromRow(rows[0])};
  LoadGrants(conn_, sql_, one);
  return std::move(one[0]);
}

void Tx::UpdateNumber(const ServiceNumber& n) {
  conn_.Exec(sql_.update_number, {n.code, std::string(NumberStateName(n.state)), OptText(n.domain),
                                  OptText(n.filing_id)});
}

std::vector<ServiceNumber> Tx::ListNumbers(const NumberFilter& f) {
  const int64_t limit = f.limit;
  const bool paged = !f.after_code.empty();
  ListQuery q =
      !f.visible_to ? ListQuery(sql_.list_numbers, {limit})
      : paged ? ListQuery(sql_.list_numbers_visible_after, {*f.visible_to, limit, f.after_code})
              : ListQuery(sql_.list_numbers_visible, {*f.visible_to, limit});
  if (f.state) {
    q.Where(sql_.numbers_in_state, std::string(NumberStateName(*f.state)));
    if (*f.state != NumberState::kAvailable) q.Where(sql_.numbers_not_available);
  }
  if (f.product_id) q.Where(sql_.numbers_of_product, *f.product_id);
  if (paged && !f.visible_to) q.Where(sql_.numbers_after, f.after_code);
  const auto rows = conn_.Query(q.Sql(), q.params());
  std::vector<ServiceNumber> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(NumberFromRow(r));
  LoadGrants(conn_, sql_, out);
  return out;
}

void Tx::InsertGrant(std::string_view code, std::string_view account_id, Time at) {
  conn_.Exec(sql_.insert_grant, {TextValue(code), TextValue(account_id), Secs(at)});
}

std::vector<GrantRecord> Tx::ListGrants(std::string_view code) {
  std::vector<GrantRecord> out;
  for (const Row& r : conn_.Query(sql_.list_grants, {TextValue(code)})) {
    out.push_back(GrantRecord{r.Str(0), FromSecs(r.Int(1))});
  }
  return out;
}

bool Tx::DeleteGrant(std::string_view code, std::string_view account_id) {
  return conn_.Exec(sql_.delete_grant, {TextValue(code), TextValue(account_id)}) > 0;
}

std::vector<std::pair<NumberState, int64_t>> Tx::CountNumbersByState(std::string_view account_id) {
  const auto rows = conn_.Query(sql_.count_numbers_by_state, {TextValue(account_id)});
  std::vector<std::pair<NumberState, int64_t>> out;
  for (const Row& r : rows) {
    out.emplace_back(Must(ParseNumberState(r.Str(0)), "number state"), r.Int(1));
  }
  return out;
}

}  // namespace beian
