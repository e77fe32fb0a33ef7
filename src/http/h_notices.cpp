// GET /v1/notices: the customer notices (domain/notices.h), newest first.
#include <boost/json.hpp>
#include <charconv>

#include "http/handlers.h"

namespace beian::http {
namespace {

// The object a notice is about: its type and the API path that reads it.
std::pair<std::string_view, std::string> ObjectOf(const Notice& n) {
  switch (n.kind) {
    case NoticeKind::kTermExpiring:
      return {"product", "/v1/products/" + n.object_id};
    case NoticeKind::kNumberLapsed:
      return {"service_number", "/v1/service-numbers/" + n.object_id};
    case NoticeKind::kReviewOverdue:
      break;
  }
  return {"filing", "/v1/filings/" + n.object_id};
}

// What the console needs to word the notice itself (days are counted as of `now`).
boost::json::object Params(const Notice& n, Time now) {
  boost::json::object p;
  p["product_id"] = n.product_id;
  switch (n.kind) {
    case NoticeKind::kTermExpiring:
      p["expires_at"] = FormatRfc3339Cst(n.occurred_at);
      p["below_minimum_at"] = FormatRfc3339Cst(n.due_at);
      p["min_months"] = n.min_months;
      p["days_left"] = DaysUntil(now, n.occurred_at);
      break;
    case NoticeKind::kNumberLapsed:
      p["code"] = n.object_id;
      p["reason"] = n.detail;
      p["since"] = FormatRfc3339Cst(n.occurred_at);
      break;
    case NoticeKind::kReviewOverdue:
      p["filing_id"] = n.object_id;
      p["domain"] = n.detail;
      p["submitted_at"] = FormatRfc3339Cst(n.occurred_at);
      p["overdue_since"] = FormatRfc3339Cst(n.due_at);
      p["review_days"] = n.review_days;
      break;
  }
  return p;
}

std::string NoticeToJson(const Notice& n, Time now, Lang lang) {
  const auto [type, href] = ObjectOf(n);
  boost::json::object o;
  o["id"] = n.id;
  o["kind"] = NoticeKindName(n.kind);
  o["account_id"] = n.account_id;
  o["object"] = {{"type", type}, {"id", n.object_id}, {"href", href}};
  o["created_at"] = FormatRfc3339Cst(n.created_at);
  o["params"] = Params(n, now);
  o["message"] = NoticeMessage(n, now).In(lang);
  return boost::json::serialize(o);
}

Result<int64_t> BeforeParam(const Ctx& c) {
  int64_t v = 0;
  if (const std::string* a = c.Query("before")) {
    auto [end, ec] = std::from_chars(a->data(), a->data() + a->size(), v);
    if (ec != std::errc() || end != a->data() + a->size() || v < 0) {
      return InvalidField("before",
                          Text{"before 必须是非负整数", "before must be a non-negative integer"});
    }
  }
  return v;
}

}  // namespace

HandlerResult HandleNotices(Ctx& c) {
  NoticeQuery q;
  BEIAN_ASSIGN_OR_RETURN(q.before, BeforeParam(c));
  BEIAN_ASSIGN_OR_RETURN(q.limit, ParseLimit(c));
  if (const std::string* a = c.Query("account_id")) q.account_id = *a;
  BEIAN_ASSIGN_OR_RETURN(const NoticePage page, c.svc.ListNotices(c.principal, q));
  const Time now = c.svc.Now();
  std::string body = "{\"items\":" + JsonArray(page.items, [&](const Notice& n) {
                       return NoticeToJson(n, now, c.lang);
                     });
  if (page.next_before != 0) body += ",\"next_before\":" + std::to_string(page.next_before);
  return JsonResponse(200, body + "}");
}

}  // namespace beian::http
