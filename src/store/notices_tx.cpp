// NoticesTx: the notices' rows (011_notices.sql); their statements are in statements_*.cpp.
#include "store/notices_tx.h"

#include "store/statements.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::EncodeStrings;
using store_internal::FilingFromRow;
using store_internal::FromSecs;
using store_internal::NumberFromRow;
using store_internal::ProductFromRow;
using store_internal::Secs;
using store_internal::StatementsFor;
using store_internal::TextValue;

namespace {

Notice NoticeFromRow(const Row& r) {
  Notice n;
  n.id = r.Int(0);
  const auto kind = ParseNoticeKind(r.Str(1));
  if (!kind) throw StoreError("corrupt row: bad notice kind");
  n.kind = *kind;
  n.account_id = r.Str(2);
  n.object_id = r.Str(3);
  n.product_id = r.Str(4);
  n.occurred_at = FromSecs(r.Int(5));
  n.due_at = FromSecs(r.Int(6));
  n.detail = r.Str(7);
  n.min_months = static_cast<int>(r.Int(8));
  n.review_days = static_cast<int>(r.Int(9));
  n.created_at = FromSecs(r.Int(10));
  return n;
}

std::vector<Product> Products(const std::vector<Row>& rows) {
  std::vector<Product> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(ProductFromRow(r));
  return out;
}

// Rows of BEIAN_LAPSE_COLS.
std::vector<LapseCandidate> LapseCandidates(const std::vector<Row>& rows) {
  std::vector<LapseCandidate> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    out.push_back({ProductFromRow(r), {FromSecs(r.Int(13)), FromSecs(r.Int(14))}});
  }
  return out;
}

}  // namespace

const store_internal::Statements& NoticesTx::Sql() const {
  return StatementsFor(tx_.conn().dialect());
}

bool NoticesTx::TryInsert(Notice& n) {
  const auto rows = tx_.conn().Query(
      Sql().insert_notice, {TextValue(NoticeKindName(n.kind)), n.account_id, n.object_id,
                            n.product_id, Secs(n.occurred_at), Secs(n.due_at), n.detail,
                            int64_t{n.min_months}, int64_t{n.review_days}, Secs(n.created_at)});
  if (rows.empty()) return false;
  n.id = rows[0].Int(0);
  return true;
}

std::vector<Notice> NoticesTx::List(const std::optional<std::string>& account_id, int64_t before_id,
                                    int limit) {
  const int64_t before = before_id > 0 ? before_id : INT64_MAX;
  const std::vector<Row> rows =
      account_id
          ? tx_.conn().Query(Sql().list_notices_of_account, {*account_id, before, int64_t{limit}})
          : tx_.conn().Query(Sql().list_notices, {before, int64_t{limit}});
  std::vector<Notice> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(NoticeFromRow(r));
  return out;
}

std::vector<Product> NoticesTx::TermCandidates(Kind kind, Time now, Time horizon,
                                               const ScanCursor& after, int limit) {
  return Products(tx_.conn().Query(
      Sql().notice_term_candidates,
      {TextValue(KindName(kind)), Secs(now), Secs(horizon), after.at, after.id, int64_t{limit}}));
}

std::vector<LapseCandidate> NoticesTx::ExpiredBetween(Time from, Time to, const ScanCursor& after,
                                                      int limit) {
  return LapseCandidates(tx_.conn().Query(
      Sql().notice_expired_between, {Secs(from), Secs(to), after.at, after.id, int64_t{limit}}));
}

std::vector<LapseCandidate> NoticesTx::LapsedChangedBetween(Time from, Time to,
                                                            const ScanCursor& after, int limit) {
  return LapseCandidates(tx_.conn().Query(
      Sql().notice_lapsed_changed, {Secs(from), Secs(to), after.at, after.id, int64_t{limit}}));
}

std::vector<ServiceNumber> NoticesTx::UnnoticedAvailableNumbers(
    const std::vector<std::string>& product_ids, Time now) {
  if (product_ids.empty()) return {};
  const auto rows =
      tx_.conn().Query(Sql().notice_unnoticed_numbers, {EncodeStrings(product_ids), Secs(now)});
  std::vector<ServiceNumber> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(NumberFromRow(r));
  return out;
}

std::vector<Filing> NoticesTx::OverdueCandidates(Time cutoff, const ScanCursor& after, int limit) {
  const auto rows = tx_.conn().Query(Sql().notice_overdue_filings,
                                     {Secs(cutoff), after.at, after.id, int64_t{limit}});
  std::vector<Filing> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(FilingFromRow(r));
  return out;
}

}  // namespace beian
