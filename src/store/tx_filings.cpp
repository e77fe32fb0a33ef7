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
  const bool by_id = f.order == FilingOrder::kById;
  if (!by_id && f.visible_to) throw StoreError("filings by age are listed for operators only");
  std::string_view statement = sql_.list_filings;
  if (f.order == FilingOrder::kOldestFirst) statement = sql_.list_filings_oldest;
  if (f.order == FilingOrder::kNewestFirst) statement = sql_.list_filings_newest;
  ListQuery q = f.visible_to
                    ? ListQuery(sql_.list_filings_visible, {*f.visible_to, int64_t{f.limit}})
                    : ListQuery(statement, {int64_t{f.limit}});
  if (f.state) q.Where(sql_.filings_in_state, std::string(FilingStateName(*f.state)));
  if (f.account_id) q.Where(sql_.filings_of_account, *f.account_id);
  if (f.kind) q.Where(sql_.filings_of_kind, std::string(KindName(*f.kind)));
  if (f.submitted_before) q.Where(sql_.filings_submitted_before, Secs(*f.submitted_before));
  if (!f.after_id.empty()) {
    if (by_id) {
      q.Where(sql_.filings_after, f.after_id);
    } else {
      const int64_t at = Secs(f.after_created_at);
      q.Where(f.order == FilingOrder::kOldestFirst ? sql_.filings_after_oldest
                                                   : sql_.filings_after_newest,
              std::vector<Value>{at, at, f.after_id});
    }
  }
  return Filings(conn_.Query(q.Sql(), q.params()));
}

std::vector<Filing> Tx::FilingsOfNumber(std::string_view code) {
  return Filings(conn_.Query(sql_.filings_of_number, {TextValue(code)}));
}

std::optional<Filing> Tx::ActiveFilingForDomain(std::string_view domain,
                                                std::string_view account_id) {
  auto found = Filings(
      conn_.Query(sql_.active_filing_for_domain, {TextValue(domain), TextValue(account_id)}));
  if (found.empty()) return std::nullopt;
  return std::move(found[0]);
}

std::optional<Filing> Tx::ApprovedFilingForDomain(std::string_view domain) {
  auto found = Filings(conn_.Query(sql_.approved_filing_for_domain, {TextValue(domain)}));
  if (found.empty()) return std::nullopt;
  return std::move(found[0]);
}

std::vector<Filing> Tx::FilingsInReviewForDomain(std::string_view domain) {
  return Filings(conn_.Query(sql_.filings_in_review_for_domain, {TextValue(domain)}));
}

}  // namespace beian
