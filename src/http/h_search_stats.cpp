// Search (GET /v1/search) and the operators' dashboard (GET /v1/stats).
#include "codec/search_stats_json.h"
#include "http/handlers.h"

namespace beian::http {
namespace {

// "YYYY-MM-DD": that day's midnight in CST; else an RFC 3339 date-time; else nullopt.
std::optional<Time> ParseStatsTime(const std::string& s, bool end_of_day) {
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    std::optional<Time> t = ParseRfc3339(s + "T00:00:00+08:00");
    if (t && end_of_day) *t += std::chrono::hours{24};
    return t;
  }
  return ParseRfc3339(s);
}

// The start of the bucket after the one holding `now` (buckets aligned on CST hours and days).
Time NextBucketStart(Time now, int64_t bucket) {
  const int64_t local = (now.time_since_epoch() + kCstOffset).count();
  const int64_t next = (local / bucket + 1) * bucket;
  return Time{std::chrono::seconds{next} - kCstOffset};
}

}  // namespace

HandlerResult HandleSearch(Ctx& c) {
  const std::string* q = c.Query("q");
  if (q == nullptr) return InvalidField("q", Text{"缺少 q", "q is required"});
  return Respond(c.svc.Search(c.principal, *q), 200, SearchResultsToJson);
}

HandlerResult HandleStats(Ctx& c) {
  StatsQuery q;
  if (const std::string* b = c.Query("bucket")) {
    const std::optional<StatsBucket> parsed = ParseStatsBucket(*b);
    if (!parsed) {
      return InvalidField("bucket",
                          Text{"bucket 必须是 day 或 hour", "bucket must be day or hour"});
    }
    q.bucket = *parsed;
  }
  const int64_t bucket = StatsBucketSeconds(q.bucket);
  q.to = NextBucketStart(c.svc.Now(), bucket);
  if (const std::string* to = c.Query("to")) {
    const std::optional<Time> t = ParseStatsTime(*to, true);
    if (!t) {
      return InvalidField("to", Text{"to 必须是 RFC 3339 时间或 YYYY-MM-DD 日期",
                                     "to must be an RFC 3339 date-time or a YYYY-MM-DD date"});
    }
    q.to = *t;
  }
  q.from = q.to - std::chrono::hours{24 * 30};
  if (const std::string* from = c.Query("from")) {
    const std::optional<Time> t = ParseStatsTime(*from, false);
    if (!t) {
      return InvalidField("from", Text{"from 必须是 RFC 3339 时间或 YYYY-MM-DD 日期",
                                       "from must be an RFC 3339 date-time or a YYYY-MM-DD date"});
    }
    q.from = *t;
  }
  return Respond(c.svc.Dashboard(c.principal, q), 200, DashboardStatsToJson);
}

}  // namespace beian::http
