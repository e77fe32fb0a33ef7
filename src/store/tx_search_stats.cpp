// Tx: search look-ups and the operators' dashboard (008_search_stats.sql).
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::FilingFromRow;
using store_internal::FromSecs;
using store_internal::ProductFromRow;
using store_internal::Secs;
using store_internal::TextValue;

namespace {

std::vector<std::pair<int64_t, int64_t>> Buckets(const std::vector<Row>& rows) {
  std::vector<std::pair<int64_t, int64_t>> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.emplace_back(r.Int(0), r.Int(1));
  return out;
}

}  // namespace

std::vector<Product> Tx::ProductsByIp(std::string_view ip, const std::optional<std::string>& owner,
                                      int limit) {
  const std::vector<Row> rows =
      owner ? conn_.Query(sql_.products_by_ip_of_account, {TextValue(ip), *owner, int64_t{limit}})
            : conn_.Query(sql_.products_by_ip, {TextValue(ip), int64_t{limit}});
  std::vector<Product> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(ProductFromRow(r));
  return out;
}

std::vector<Filing> Tx::FilingsByDomain(std::string_view domain,
                                        const std::optional<std::string>& visible_to, int limit) {
  const std::vector<Row> rows =
      visible_to ? conn_.Query(sql_.filings_by_domain_visible,
                               {TextValue(domain), *visible_to, int64_t{limit}})
                 : conn_.Query(sql_.filings_by_domain, {TextValue(domain), int64_t{limit}});
  std::vector<Filing> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(FilingFromRow(r));
  return out;
}

std::vector<std::pair<int64_t, int64_t>> Tx::NumbersIssuedPerBucket(Time from, Time to,
                                                                    int64_t bucket) {
  return Buckets(conn_.Query(sql_.numbers_issued_per_bucket, {Secs(from), Secs(to), bucket}));
}

std::vector<std::pair<int64_t, int64_t>> Tx::EventsPerBucket(std::string_view type, Time from,
                                                             Time to, int64_t bucket) {
  return Buckets(
      conn_.Query(sql_.events_per_bucket, {TextValue(type), Secs(from), Secs(to), bucket}));
}

std::optional<Time> Tx::NthOldestInReview(int64_t n) {
  const std::vector<Row> rows = conn_.Query(sql_.nth_oldest_in_review, {n});
  if (rows.empty()) return std::nullopt;
  return FromSecs(rows[0].Int(0));
}

}  // namespace beian
