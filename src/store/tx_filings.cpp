// Tx: filings.
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::FilingFromRow;
using store_internal::ListQuery;
using store_internal::OptText;
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
      sql_.insert_filing,
      {f.id, f.account_id, f.owner_id, f.domain, OptText(f.service_number), f.product_id,
       std::string(FilingStateName(f.state)), f.reason, Secs(f.created_at), Secs(f.updated_at)});
}

std::optional<Filing> Tx::GetFiling(std::string_view id, bool for_update) {
  auto found = Filings(
      conn_.Query(for_update ? sql_.get_filing_for_update : sql_.get_filing, {TextValue(id)}));
  if (found.empty()) return std::nullopt;
  return std::move(found[0]);
}

void Tx::UpdateFiling(const Filing& f) {
  conn_.Exec(sql_.update_filing,
             {f.id, std::string(FilingStateName(f.state)), f.reason, Secs(f.updated_at)});
}

std::vector<Filing> Tx::ListFilings(const FilingFilter& f) {
  ListQuery q = f.visible_to
                    ? ListQuery(sql_.list_filings_visible, {*f.visible_to, int64_t{f.limit}})
                    : ListQuery(sql_.list_filings, {int64_t{f.limit}});
  if (f.state) q.Where(sql_.filings_in_state, std::string(FilingStateName(*f.state)));
  if (!f.after_id.empty()) q.Where(sql_.filings_after, f.after_id);
  return Filings(conn_.Query(q.Sql(), q.params()));
}

std::optional<Filing> Tx::ActiveFilingForDomain(std::string_view domain) {
  auto found = Filings(conn_.Query(sql_.active_filing_for_domain, {TextValue(domain)}));
  if (found.empty()) return std::nullopt;
  return std::move(found[0]);
}

}  // namespace beian
