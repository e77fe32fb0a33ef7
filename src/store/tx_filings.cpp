// Tx: filings.
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::AddCond;
using store_internal::FilingFromRow;
using store_internal::kFilingCols;
using store_internal::OptText;
using store_internal::Param;
using store_internal::Secs;
using store_internal::TextValue;

namespace {

std::vector<Filing> Filings(const std::vector<Row>& rows) {
  std::vector<Filing> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(FilingFromRow(r));
  return out;
}

}  // namespace

void Tx::InsertFiling(const Filing& f) {
  conn_.Exec(
      "INSERT INTO filings (" + std::string(kFilingCols) +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {f.id, f.account_id, f.owner_id, f.domain, OptText(f.service_number), f.product_id,
       std::string(FilingStateName(f.state)), f.reason, Secs(f.created_at), Secs(f.updated_at)});
}

std::optional<Filing> Tx::GetFiling(std::string_view id, bool for_update) {
  std::string sql = "SELECT " + std::string(kFilingCols) + " FROM filings WHERE id = $1";
  if (for_update && pg()) sql += " FOR UPDATE";
  auto found = Filings(conn_.Query(sql, {TextValue(id)}));
  if (found.empty()) return std::nullopt;
  return std::move(found[0]);
}

void Tx::UpdateFiling(const Filing& f) {
  conn_.Exec("UPDATE filings SET state = $2, reason = $3, updated_at = $4 WHERE id = $1",
             {f.id, std::string(FilingStateName(f.state)), f.reason, Secs(f.updated_at)});
}

std::vector<Filing> Tx::ListFilings(const FilingFilter& f) {
  std::vector<Value> params;
  std::string where;
  if (f.state) AddCond(where, "state = " + Param(params, std::string(FilingStateName(*f.state))));
  if (!f.after_id.empty()) AddCond(where, "id > " + Param(params, f.after_id));
  const std::string limit = Param(params, int64_t{f.limit});
  const std::string cols(kFilingCols);
  if (!f.visible_to) {
    return Filings(conn_.Query(
        "SELECT " + cols + " FROM filings" + where + " ORDER BY id LIMIT " + limit, params));
  }
  // The filer's and the product owner's filings, each read from its own index in id order: one
  // "account_id = v OR owner_id = v" walks every filing in id order until it has a page.
  const std::string v = Param(params, *f.visible_to);
  std::string filed = where, owned = where;
  AddCond(filed, "account_id = " + v);
  AddCond(owned, "owner_id = " + v);
  return Filings(conn_.Query("SELECT " + cols + " FROM (SELECT * FROM (SELECT " + cols +
                                 " FROM filings" + filed + " ORDER BY id LIMIT " + limit +
                                 ") a UNION SELECT * FROM (SELECT " + cols + " FROM filings" +
                                 owned + " ORDER BY id LIMIT " + limit +
                                 ") o) f ORDER BY id LIMIT " + limit,
                             params));
}

std::optional<Filing> Tx::ActiveFilingForDomain(std::string_view domain) {
  auto found = Filings(conn_.Query("SELECT " + std::string(kFilingCols) +
                                       " FROM filings WHERE domain = $1 AND state IN "
                                       "('in_review', 'approved')",
                                   {TextValue(domain)}));
  if (found.empty()) return std::nullopt;
  return std::move(found[0]);
}

}  // namespace beian
