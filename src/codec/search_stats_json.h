#pragma once
// JSON of GET /v1/search and GET /v1/stats (docs/openapi.yaml SearchResults, DashboardStats).
// Times are RFC 3339 in CST. Pure functions, thread-safe.
#include <string>
#include <vector>

#include "domain/search_stats.h"

namespace beian {

// {"results": [hit…]}; each hit {"type", "id", "href", summary fields of its type}:
//  number: "state", "product_id", "kind", "domain" (null unless set), "usable";
//  product: "name", "kind", "status", "account_id", "public_ips", "can_apply";
//  filing: "domain", "state", "service_number" (null for host credentials), "account_id";
//  account: "name", "role", "status"; its href is null (no GET of one account).
std::string SearchResultsToJson(const std::vector<SearchHit>& hits);

// {"from", "to", "bucket", "series": {"numbers_issued": [{"t", "n"}], "filings_by_state":
//  [{"t", "in_review", "approved", "rejected", "withdrawn", "cancelled"}], "review_queue":
//  {"size", "age_p50_seconds", "age_p90_seconds"}, "quota_use_by_kind": [{"kind", "scopes",
//  "used", "limit", "exhausted"}], "cannot_apply_by_reason": [{"reason", "n"}]},
//  "product_sample": {"products", "complete"}}.
std::string DashboardStatsToJson(const DashboardStats& d);

}  // namespace beian
