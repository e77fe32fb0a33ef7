// Search and the operators' dashboard (issue 12: points 3 and 6).
#include <algorithm>
#include <map>
#include <set>

#include "codec/product_json.h"
#include "domain/domain_name.h"
#include "domain/service_number.h"
#include "service/internal.h"
#include "store/store.h"

namespace beian {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

SearchHit HitOf(SearchHit::Type type) {
  SearchHit h;
  h.type = type;
  return h;
}

// Appends hits in order, at most kSearchMaxResults, each (type, id) once.
class Hits {
 public:
  bool full() const { return out_.size() >= static_cast<std::size_t>(kSearchMaxResults); }
  int room() const { return kSearchMaxResults - static_cast<int>(out_.size()); }
  void Add(SearchHit h, const std::string& id) {
    if (full() || !seen_.insert({h.type, id}).second) return;
    out_.push_back(std::move(h));
  }
  std::vector<SearchHit> Take() { return std::move(out_); }

 private:
  std::vector<SearchHit> out_;
  std::set<std::pair<SearchHit::Type, std::string>> seen_;
};

}  // namespace

Result<std::vector<SearchHit>> Service::Search(const Principal& actor, std::string_view q_text) {
  const std::optional<std::string> q = TrimSearchQuery(q_text);
  if (!q) {
    return svc::InvalidField("q", Text{"q 去掉首尾空白后须为 1 到 200 个字符",
                                       "q must be 1 to 200 characters after trimming"});
  }
  const std::optional<std::string> code = ParseServiceNumber(*q);
  const std::optional<std::string> ip = CanonicalIp(*q);
  const Result<std::string> domain = NormalizeDomain(*q);
  const std::string lower = Lower(*q);
  const std::optional<std::string> own =
      actor.IsOperator() ? std::nullopt : std::optional(actor.account_id);
  const Time now = Now();
  return store_.Read([&](Tx& tx) -> Result<std::vector<SearchHit>> {
    Hits hits;
    if (actor.HasScope(Scope::kNumbersRead) && code) {
      if (std::optional<ServiceNumber> n = tx.GetNumber(*code); n && svc::CanSeeNumber(actor, *n)) {
        SearchHit h = HitOf(SearchHit::Type::kNumber);
        h.number = svc::MakeNumberView(tx, policy_, now, std::move(*n));
        hits.Add(std::move(h), *code);
      }
    }
    if (actor.HasScope(Scope::kProductsRead)) {
      std::vector<Product> found;
      if (IsValidProductId(*q)) {
        if (std::optional<Product> p = tx.GetProduct(*q); p && svc::CanSeeProduct(actor, *p)) {
          found.push_back(std::move(*p));
        }
      }
      if (ip) {
        for (Product& p : tx.ProductsByIp(*ip, own, hits.room())) {
          if (svc::CanSeeProduct(actor, p)) found.push_back(std::move(p));
        }
      }
      for (ProductView& v : svc::MakeProductViews(tx, policy_, now, std::move(found))) {
        const std::string id = v.product.id;
        SearchHit h = HitOf(SearchHit::Type::kProduct);
        h.product = std::move(v);
        hits.Add(std::move(h), id);
      }
    }
    if (actor.HasScope(Scope::kFilingsRead)) {
      if (IsValidFilingId(lower)) {
        if (std::optional<Filing> f = tx.GetFiling(lower); f && svc::CanSeeFiling(actor, *f)) {
          SearchHit h = HitOf(SearchHit::Type::kFiling);
          h.filing = std::move(*f);
          hits.Add(std::move(h), lower);
        }
      }
      if (domain.ok()) {
        for (Filing& f : tx.FilingsByDomain(*domain, own, hits.room())) {
          if (!svc::CanSeeFiling(actor, f)) continue;
          const std::string id = f.id;
          SearchHit h = HitOf(SearchHit::Type::kFiling);
          h.filing = std::move(f);
          hits.Add(std::move(h), id);
        }
      }
    }
    if (actor.HasRole(OperatorRole::kAdmin) && actor.HasScope(Scope::kAccountsAdmin) &&
        IsValidAccountId(*q)) {
      if (std::optional<Account> a = tx.GetAccount(*q)) {
        SearchHit h = HitOf(SearchHit::Type::kAccount);
        h.account = std::move(*a);
        hits.Add(std::move(h), *q);
      }
    }
    return hits.Take();
  });
}

Result<DashboardStats> Service::Dashboard(const Principal& actor, const StatsQuery& q) {
  if (!actor.IsOperator()) return svc::Forbidden();
  const int64_t bucket = StatsBucketSeconds(q.bucket);
  const int64_t span = (q.to - q.from).count();
  if (span <= 0) {
    return svc::InvalidField("from", Text{"from 必须早于 to", "from must be before to"});
  }
  const int64_t buckets = (span + bucket - 1) / bucket;
  if (buckets > kStatsMaxBuckets) {
    return svc::InvalidField("to", Text{"时间范围最多 1000 个区间", "at most 1000 buckets"});
  }
  const Time now = Now();
  return store_.Read([&](Tx& tx) -> Result<DashboardStats> {
    DashboardStats d;
    d.query = q;
    const auto at = [&](int64_t i) { return q.from + std::chrono::seconds{i * bucket}; };
    d.numbers_issued.reserve(static_cast<std::size_t>(buckets));
    d.filings_by_state.resize(static_cast<std::size_t>(buckets));
    for (int64_t i = 0; i < buckets; ++i) {
      d.numbers_issued.emplace_back(at(i), 0);
      d.filings_by_state[static_cast<std::size_t>(i)].t = at(i);
    }
    const auto in_range = [&](int64_t i) { return i >= 0 && i < buckets; };
    for (const auto& [i, n] : tx.NumbersIssuedPerBucket(q.from, q.to, bucket)) {
      if (in_range(i)) d.numbers_issued[static_cast<std::size_t>(i)].second = n;
    }
    using FB = DashboardStats::FilingBucket;
    const std::pair<std::string_view, int64_t FB::*> kTransitions[] = {
        {"filing.submitted", &FB::in_review},
        {"filing.approved", &FB::approved},
        {"filing.rejected", &FB::rejected},
        {"filing.withdrawn", &FB::withdrawn},
        {"filing.cancelled", &FB::cancelled}};
    for (const auto& [type, member] : kTransitions) {
      for (const auto& [i, n] : tx.EventsPerBucket(type, q.from, q.to, bucket)) {
        if (in_range(i)) d.filings_by_state[static_cast<std::size_t>(i)].*member = n;
      }
    }
    // The review queue: its size from the per-state counts, its ages by rank from the partial
    // index of filings in review (oldest first): nearest-rank percentiles of the ages.
    for (const auto& [state, n] : tx.GetStats().filings_by_state) {
      if (state == "in_review") d.review_queue_size = n;
    }
    const int64_t size = d.review_queue_size;
    const auto age_at_percentile = [&](int64_t pct) -> std::optional<int64_t> {
      const int64_t rank = (pct * size + 99) / 100;  // 1-based rank among ages, youngest first
      const std::optional<Time> created = tx.NthOldestInReview(size - rank);
      if (!created) return std::nullopt;
      return std::max<int64_t>(0, (now - *created).count());
    };
    if (size > 0) {
      d.review_age_p50_seconds = age_at_percentile(50);
      d.review_age_p90_seconds = age_at_percentile(90);
    }
    // Quota use and cannot-apply reasons: the products' eligibility judged now, over a bounded
    // sample (the first products by id).
    ProductFilter f;
    f.limit = kStatsProductSample + 1;
    std::vector<Product> products = tx.ListProducts(f);
    d.sample_complete = products.size() <= static_cast<std::size_t>(kStatsProductSample);
    if (!d.sample_complete) products.resize(static_cast<std::size_t>(kStatsProductSample));
    d.products_sampled = static_cast<int64_t>(products.size());
    std::map<Kind, DashboardStats::KindQuota> kinds;
    std::set<std::string> scopes_seen;
    std::map<ReasonCode, int64_t> reasons;
    for (const ProductView& v : svc::MakeProductViews(tx, policy_, now, std::move(products))) {
      for (const Reason& r : v.eligibility.reasons) ++reasons[r.code];
      const std::string key = svc::QuotaScopeKey(policy_, v.product);
      if (key.empty() || !scopes_seen.insert(key).second) continue;
      DashboardStats::KindQuota& k = kinds[v.product.kind];
      k.kind = v.product.kind;
      ++k.scopes;
      k.used += v.eligibility.quota.used;
      k.limit += v.eligibility.quota.limit;
      k.exhausted += v.eligibility.quota.remaining() == 0;
    }
    for (auto& [kind, k] : kinds) d.quota_use_by_kind.push_back(k);
    for (const auto& [code, n] : reasons) d.cannot_apply_by_reason.emplace_back(code, n);
    return d;
  });
}

}  // namespace beian
