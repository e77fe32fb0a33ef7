// Health, metrics, the console's static files, the OpenAPI document, overview and events.
#include <boost/json.hpp>
#include <charconv>

#include "codec/api_json.h"
#include "http/assets.h"
#include "http/handlers.h"

namespace beian::http {
namespace {

HandlerResult ServeAsset(Ctx& c, std::string_view path) {
  const Asset* a = FindAsset(path);
  if (a == nullptr) return MakeError(ErrorCode::kNotFound);
  ApiResponse resp;
  resp.content_type = ContentTypeFor(path);
  resp.cache_control = "no-cache";
  resp.headers.emplace_back("ETag", std::string(a->etag));
  if (!c.req.if_none_match.empty() && c.req.if_none_match.find(a->etag) != std::string::npos) {
    resp.status = 304;
    return resp;
  }
  resp.body.assign(a->data);
  return resp;
}

ApiResponse PlainText(int status, std::string body) {
  ApiResponse resp;
  resp.status = status;
  resp.content_type = "text/plain; charset=utf-8";
  resp.body = std::move(body);
  return resp;
}

}  // namespace

HandlerResult HandleHealthz(Ctx&) { return PlainText(200, "ok\n"); }

// Ready when the store takes a write now (Store::CheckWritable: read-only, full, no primary and
// corrupt all fail it). Not ready is always 503 (a load balancer's signal), with the cause logged.
HandlerResult HandleReadyz(Ctx& c) {
  Status st = c.svc.CheckWritable();
  if (!st.ok()) {
    Error e = MakeError(ErrorCode::kUnavailable);
    e.cause = st.error().cause.empty() ? "internal: " + st.error().detail.en : st.error().cause;
    return e;
  }
  return PlainText(200, "ready\n");
}

// The HTTP counters never depend on the store: while it fails, they are served without the
// store's figures, with beian_store_up 0 (and the fault logged).
HandlerResult HandleMetrics(Ctx& c) {
  Result<Stats> stats = c.svc.GetStats();
  ApiResponse resp;
  resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
  resp.body = c.metrics.Render(Routes(), stats.ok() ? &*stats : nullptr);
  resp.body += WebhookMetricsText(c.svc);
  if (!stats.ok()) {
    resp.fault =
        stats.error().cause.empty() ? "internal: " + stats.error().detail.en : stats.error().cause;
  }
  return resp;
}

HandlerResult HandleIndex(Ctx& c) { return ServeAsset(c, "web/index.html"); }

HandlerResult HandleAsset(Ctx& c) {
  const std::string& path = c.Param(0);
  if (path.starts_with(".") || path.find("/.") != std::string::npos || path.ends_with("/")) {
    return MakeError(ErrorCode::kNotFound);
  }
  return ServeAsset(c, "web/" + c.Param(0));
}

HandlerResult HandleOpenApi(Ctx& c) { return ServeAsset(c, "docs/openapi.yaml"); }

HandlerResult HandleOverview(Ctx& c) {
  return Respond(c.svc.GetOverview(c.principal), 200,
                 [&](const Overview& o) { return OverviewToJson(o, c.lang); });
}

namespace {

// The query parameter `name` as a non-negative integer (0 when absent).
Result<int64_t> SeqParam(const Ctx& c, const char* name) {
  int64_t v = 0;
  if (const std::string* a = c.Query(name)) {
    auto [end, ec] = std::from_chars(a->data(), a->data() + a->size(), v);
    if (ec != std::errc() || end != a->data() + a->size() || v < 0) {
      return InvalidField(name, Text{std::string(name) + " 必须是非负整数",
                                     std::string(name) + " must be a non-negative integer"});
    }
  }
  return v;
}

// The filters of GET /v1/events: type (comma-separated; "filing.*" a prefix), account_id,
// object_id, since and until (RFC 3339). The service checks the types.
Status ReadEventFilters(const Ctx& c, EventQuery& q) {
  if (const std::string* types = c.Query("type")) {
    std::string_view rest = *types;
    for (;;) {
      const std::size_t comma = rest.find(',');
      q.types.emplace_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (const std::string* account = c.Query("account_id")) {
    BEIAN_RETURN_IF_ERROR(CheckAccountId(*account, "account_id"));
    q.account = *account;
  }
  if (const std::string* object = c.Query("object_id")) q.subject = *object;
  for (const char* name : {"since", "until"}) {
    const std::string* v = c.Query(name);
    if (v == nullptr) continue;
    const std::optional<Time> t = ParseRfc3339(*v);
    if (!t) {
      return InvalidField(name, Text{std::string(name) + " 须为 RFC 3339 时间",
                                     std::string(name) + " must be an RFC 3339 time"});
    }
    (std::string_view(name) == "since" ? q.since : q.until) = t;
  }
  return OkStatus();
}

// One event per line (application/x-ndjson), with the paging header of the CSV answer.
// `next_header` is a string literal (ApiResponse keeps header names as views).
ApiResponse NdjsonEvents(const EventPage& p, std::string_view next_header,
                         const std::string& next) {
  ApiResponse resp;
  resp.status = 200;
  resp.content_type = "application/x-ndjson";
  for (const Event& e : p.items) resp.body += EventToJson(e) + "\n";
  resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"events.ndjson\"");
  resp.headers.emplace_back("Vary", "Accept");
  if (!next.empty()) resp.headers.emplace_back(next_header, next);
  return resp;
}

}  // namespace

HandlerResult HandleEvents(Ctx& c) {
  static constexpr std::string_view kEventCsv[] = {"seq",        "at",      "actor", "type",
                                                   "account_id", "subject", "data"};
  const std::string* order = c.Query("order");
  if (order != nullptr && *order != "asc" && *order != "desc") {
    return InvalidField("order", Text{"order 须为 asc 或 desc", "order must be asc or desc"});
  }
  EventQuery q;
  q.newest_first = order != nullptr && *order == "desc";
  const bool desc = q.newest_first;
  if (c.Query(desc ? "after" : "before") != nullptr) {
    return InvalidField(desc ? "after" : "before",
                        Text{"after 只用于 order=asc，before 只用于 order=desc",
                             "after goes with order=asc, before with order=desc"});
  }
  BEIAN_ASSIGN_OR_RETURN(const int64_t from, SeqParam(c, desc ? "before" : "after"));
  (desc ? q.before : q.after) = from;
  BEIAN_ASSIGN_OR_RETURN(q.limit, ParseLimit(c));
  BEIAN_RETURN_IF_ERROR(ReadEventFilters(c, q));
  BEIAN_ASSIGN_OR_RETURN(const EventPage p, c.svc.FindEvents(c.principal, std::move(q)));
  // Newest first: the next page's `before`, absent (CSV, NDJSON: no header) on the last page.
  const std::string next = desc ? (p.next_before != 0 ? std::to_string(p.next_before) : "")
                                : std::to_string(p.next_after);
  const std::string_view next_header = desc ? "X-Next-Before" : "X-Next-After";
  if (WantsCsv(c.req.accept)) {
    return CsvListResponse(JsonArray(p.items, EventToJson), kEventCsv, "events", next_header, next);
  }
  if (AcceptsType(c.req.accept, "application/x-ndjson")) return NdjsonEvents(p, next_header, next);
  std::string body = "{\"items\":" + JsonArray(p.items, EventToJson);
  if (!desc) {
    body += ",\"next_after\":" + next;
  } else if (!next.empty()) {
    body += ",\"next_before\":" + next;
  }
  ApiResponse resp = JsonResponse(200, body + "}");
  resp.headers.emplace_back("Vary", "Accept");
  return resp;
}

}  // namespace beian::http
