// NoticesTx: the notices' statements (011_notices.sql) and their rows.
#include "store/notices_tx.h"

#include "store/tx_rows.h"

namespace beian {

using store_internal::EncodeStrings;
using store_internal::FilingFromRow;
using store_internal::FromSecs;
using store_internal::NumberFromRow;
using store_internal::ProductFromRow;
using store_internal::Secs;
using store_internal::TextValue;

namespace {

#define BEIAN_PRODUCT_COLS                                                                \
  "p.id, p.account_id, p.kind, p.name, p.billing, p.region, p.public_ips, p.expires_at, " \
  "p.status, p.vhost_username, p.vhost_password_hash, p.created_at, p.updated_at"

constexpr std::string_view kInsert =
    "INSERT INTO notices (kind, account_id, object_id, product_id, occurred_at, due_at, detail, "
    "min_months, review_days, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
    "ON CONFLICT (kind, object_id, occurred_at) DO NOTHING RETURNING id";
constexpr std::string_view kListAll =
    "SELECT id, kind, account_id, object_id, product_id, occurred_at, due_at, detail, min_months, "
    "review_days, created_at FROM notices WHERE id < $1 ORDER BY id DESC LIMIT $2";
constexpr std::string_view kListOfAccount =
    "SELECT id, kind, account_id, object_id, product_id, occurred_at, due_at, detail, min_months, "
    "review_days, created_at FROM notices WHERE account_id = $1 AND id < $2 "
    "ORDER BY account_id DESC, id DESC LIMIT $3";
// The WHERE clause repeats the partial index products_term's condition so that it is used.
constexpr std::string_view kTermCandidates =
    "SELECT " BEIAN_PRODUCT_COLS
    " FROM products p WHERE p.kind = $1 AND p.status IN ('running', 'stopped') "
    "AND p.billing = 'subscription' AND p.expires_at > $2 AND p.expires_at < $3 "
    "AND (p.expires_at, p.id) > ($4, $5) "
    "AND EXISTS (SELECT 1 FROM service_numbers n WHERE n.product_id = p.id "
    "AND n.state = 'available') "
    "AND NOT EXISTS (SELECT 1 FROM notices x WHERE x.kind = 'product.term_expiring' "
    "AND x.object_id = p.id AND x.occurred_at = p.expires_at) "
    "ORDER BY p.expires_at, p.id LIMIT $6";
constexpr std::string_view kExpiredBetween =
    "SELECT " BEIAN_PRODUCT_COLS
    " FROM products p WHERE p.expires_at > $1 AND p.expires_at <= $2 "
    "AND (p.expires_at, p.id) > ($3, $4) ORDER BY p.expires_at, p.id LIMIT $5";
constexpr std::string_view kLapsedChanged =
    "SELECT " BEIAN_PRODUCT_COLS
    " FROM products p WHERE (p.status IN ('expired', 'released') OR p.public_ips = '[]') "
    "AND p.updated_at > $1 AND p.updated_at <= $2 "
    "AND (p.updated_at, p.id) > ($3, $4) ORDER BY p.updated_at, p.id LIMIT $5";
constexpr std::string_view kOverdue =
    "SELECT f.id, f.account_id, f.owner_id, f.domain, f.service_number, f.product_id, f.state, "
    "f.reason, f.created_at, f.updated_at FROM filings f WHERE f.state = 'in_review' "
    "AND f.created_at <= $1 AND (f.created_at, f.id) > ($2, $3) "
    "AND NOT EXISTS (SELECT 1 FROM notices x WHERE x.kind = 'filing.review_overdue' "
    "AND x.object_id = f.id AND x.occurred_at = f.created_at) "
    "ORDER BY f.created_at, f.id LIMIT $4";

// The dialects differ only in how a JSON array of ids is expanded.
#define BEIAN_UNNOTICED(ids)                                                                 \
  "SELECT n.code, n.product_id, n.account_id, n.kind, n.quota_scope, n.state, n.issued_at, " \
  "n.domain, n.filing_id FROM service_numbers n JOIN products p ON p.id = n.product_id "     \
  "WHERE n.product_id IN (" ids                                                              \
  ") AND n.state = 'available' "                                                             \
  "AND NOT EXISTS (SELECT 1 FROM notices x WHERE x.kind = 'number.lapsed' "                  \
  "AND x.object_id = n.code AND x.occurred_at >= p.updated_at "                              \
  "AND (p.expires_at IS NULL OR p.expires_at > $2 OR x.occurred_at >= p.expires_at)) "       \
  "ORDER BY n.code"
constexpr std::string_view kUnnoticedSqlite = BEIAN_UNNOTICED("SELECT value FROM json_each($1)");
constexpr std::string_view kUnnoticedPostgres =
    BEIAN_UNNOTICED("SELECT jsonb_array_elements_text($1::jsonb)");

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

}  // namespace

bool NoticesTx::TryInsert(Notice& n) {
  const auto rows = tx_.conn().Query(
      kInsert, {TextValue(NoticeKindName(n.kind)), n.account_id, n.object_id, n.product_id,
                Secs(n.occurred_at), Secs(n.due_at), n.detail, int64_t{n.min_months},
                int64_t{n.review_days}, Secs(n.created_at)});
  if (rows.empty()) return false;
  n.id = rows[0].Int(0);
  return true;
}

std::vector<Notice> NoticesTx::List(const std::optional<std::string>& account_id, int64_t before_id,
                                    int limit) {
  const int64_t before = before_id > 0 ? before_id : INT64_MAX;
  const std::vector<Row> rows =
      account_id ? tx_.conn().Query(kListOfAccount, {*account_id, before, int64_t{limit}})
                 : tx_.conn().Query(kListAll, {before, int64_t{limit}});
  std::vector<Notice> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(NoticeFromRow(r));
  return out;
}

std::vector<Product> NoticesTx::TermCandidates(Kind kind, Time now, Time horizon,
                                               const ScanCursor& after, int limit) {
  return Products(tx_.conn().Query(
      kTermCandidates,
      {TextValue(KindName(kind)), Secs(now), Secs(horizon), after.at, after.id, int64_t{limit}}));
}

std::vector<Product> NoticesTx::ExpiredBetween(Time from, Time to, const ScanCursor& after,
                                               int limit) {
  return Products(tx_.conn().Query(kExpiredBetween,
                                   {Secs(from), Secs(to), after.at, after.id, int64_t{limit}}));
}

std::vector<Product> NoticesTx::LapsedChangedBetween(Time from, Time to, const ScanCursor& after,
                                                     int limit) {
  return Products(
      tx_.conn().Query(kLapsedChanged, {Secs(from), Secs(to), after.at, after.id, int64_t{limit}}));
}

std::vector<ServiceNumber> NoticesTx::UnnoticedAvailableNumbers(
    const std::vector<std::string>& product_ids, Time now) {
  if (product_ids.empty()) return {};
  const std::string_view sql =
      tx_.conn().dialect() == Dialect::kPostgres ? kUnnoticedPostgres : kUnnoticedSqlite;
  const auto rows = tx_.conn().Query(sql, {EncodeStrings(product_ids), Secs(now)});
  std::vector<ServiceNumber> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(NumberFromRow(r));
  return out;
}

std::vector<Filing> NoticesTx::OverdueCandidates(Time cutoff, const ScanCursor& after, int limit) {
  const auto rows = tx_.conn().Query(kOverdue, {Secs(cutoff), after.at, after.id, int64_t{limit}});
  std::vector<Filing> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(FilingFromRow(r));
  return out;
}

}  // namespace beian
