#pragma once
// The results of search (GET /v1/search) and the operators' dashboard (GET /v1/stats), as plain
// values. Pure; no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/entities.h"
#include "domain/product.h"
#include "domain/reason.h"
#include "domain/time.h"
#include "domain/views.h"

namespace beian {

// At most this many results per search, and the longest query (characters after trimming).
inline constexpr int kSearchMaxResults = 20;
inline constexpr int kSearchMaxQueryChars = 200;

// One search hit: exactly the member of its type is set.
struct SearchHit {
  enum class Type { kNumber, kProduct, kFiling, kAccount };
  Type type = Type::kNumber;
  std::optional<NumberView> number;
  std::optional<ProductView> product;
  std::optional<Filing> filing;
  std::optional<Account> account;
};
std::string_view SearchTypeName(SearchHit::Type t);  // "number", "product", "filing", "account"

// The query text of a search: `q` without leading and trailing white space; nullopt when that is
// empty or longer than kSearchMaxQueryChars characters (UTF-8 code points).
std::optional<std::string> TrimSearchQuery(std::string_view q);

enum class StatsBucket { kHour, kDay };
std::string_view StatsBucketName(StatsBucket b);  // "hour", "day"
std::optional<StatsBucket> ParseStatsBucket(std::string_view s);
int64_t StatsBucketSeconds(StatsBucket b);
// The most buckets one GET /v1/stats may ask for.
inline constexpr int64_t kStatsMaxBuckets = 1000;
// The most products whose eligibility the dashboard evaluates (quota use, cannot-apply reasons).
inline constexpr int kStatsProductSample = 10000;

struct StatsQuery {
  Time from{};
  Time to{};  // excluded
  StatsBucket bucket = StatsBucket::kDay;
};

struct DashboardStats {
  StatsQuery query;
  // One entry per bucket (bucket i starts at from + i * bucket), zeros included.
  std::vector<std::pair<Time, int64_t>> numbers_issued;
  struct FilingBucket {
    Time t{};
    int64_t in_review = 0;  // filings submitted in the bucket
    int64_t approved = 0;   // filings that became approved in the bucket, etc.
    int64_t rejected = 0;
    int64_t withdrawn = 0;
    int64_t cancelled = 0;
  };
  std::vector<FilingBucket> filings_by_state;
  int64_t review_queue_size = 0;
  std::optional<int64_t> review_age_p50_seconds;  // unset when the queue is empty
  std::optional<int64_t> review_age_p90_seconds;
  struct KindQuota {
    Kind kind = Kind::kEcs;
    int64_t scopes = 0;     // distinct quota scopes of the sampled products of this kind
    int64_t used = 0;       // numbers issued in them
    int64_t limit = 0;      // the sum of their limits
    int64_t exhausted = 0;  // scopes with nothing remaining
  };
  std::vector<KindQuota> quota_use_by_kind;                            // kinds with scopes, by kind
  std::vector<std::pair<ReasonCode, int64_t>> cannot_apply_by_reason;  // by reason code
  int64_t products_sampled = 0;
  bool sample_complete = true;  // every product not released was evaluated
};

}  // namespace beian
