// Webhook subscriptions (docs/interface.md, "Webhooks"): /v1/webhooks, …/{id},
// …/{id}/rotate-secret, …/{id}/deliveries, …/{id}/replay and /v1/webhook-event-types.
#include <boost/json.hpp>

#include "codec/api_json.h"
#include "http/handlers.h"

namespace beian::http {
namespace {

Status CheckWebhookId(const std::string& id) {
  bool good = id.size() == 23 && id.starts_with("wh_");
  for (std::size_t i = 3; good && i < id.size(); ++i) {
    good = (id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f');
  }
  if (good) return OkStatus();
  return InvalidField("id", Text{"Webhook 编号无效", "not a valid webhook id"});
}

Result<PageRequest> WebhookPage(const Ctx& c) {
  PageRequest p;
  BEIAN_ASSIGN_OR_RETURN(p.limit, ParseLimit(c));
  if (const std::string* t = c.Query("page_token")) {
    if (t->empty() || t->size() > 40) {
      return InvalidField("page_token", Text{"翻页令牌无效", "the page token is not valid"});
    }
    p.page_token = *t;
  }
  return p;
}

}  // namespace

HandlerResult HandleCreateWebhook(Ctx& c) {
  BEIAN_ASSIGN_OR_RETURN(const WebhookInput in, ParseWebhookJson(c.req.body, true));
  return Respond(c.svc.CreateWebhook(c.principal, in), 201, NewWebhookToJson);
}

HandlerResult HandleListWebhooks(Ctx& c) {
  BEIAN_ASSIGN_OR_RETURN(const PageRequest page, WebhookPage(c));
  BEIAN_ASSIGN_OR_RETURN(const Page<WebhookView> p, c.svc.ListWebhooks(c.principal, page));
  return JsonResponse(200, ListJson(JsonArray(p.items, WebhookToJson), p.next_page_token));
}

HandlerResult HandleGetWebhook(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckWebhookId(c.Param(0)));
  return Respond(c.svc.GetWebhook(c.principal, c.Param(0)), 200, WebhookToJson);
}

HandlerResult HandlePatchWebhook(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckWebhookId(c.Param(0)));
  BEIAN_ASSIGN_OR_RETURN(const WebhookInput in, ParseWebhookJson(c.req.body, false));
  return Respond(c.svc.UpdateWebhook(c.principal, c.Param(0), in), 200, WebhookToJson);
}

HandlerResult HandleDeleteWebhook(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckWebhookId(c.Param(0)));
  BEIAN_RETURN_IF_ERROR(CheckEmptyBody(c));
  return NoContent(c.svc.DeleteWebhook(c.principal, c.Param(0)));
}

HandlerResult HandleRotateWebhookSecret(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckWebhookId(c.Param(0)));
  BEIAN_RETURN_IF_ERROR(CheckEmptyBody(c));
  return Respond(c.svc.RotateWebhookSecret(c.principal, c.Param(0)), 200, RotatedSecretToJson);
}

HandlerResult HandleWebhookDeliveries(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckWebhookId(c.Param(0)));
  BEIAN_ASSIGN_OR_RETURN(const PageRequest page, WebhookPage(c));
  BEIAN_ASSIGN_OR_RETURN(const Page<WebhookAttempt> p,
                         c.svc.ListWebhookDeliveries(c.principal, c.Param(0), page));
  return JsonResponse(200, ListJson(JsonArray(p.items, WebhookAttemptToJson), p.next_page_token));
}

HandlerResult HandleReplayWebhook(Ctx& c) {
  BEIAN_RETURN_IF_ERROR(CheckWebhookId(c.Param(0)));
  BEIAN_ASSIGN_OR_RETURN(const WebhookReplay replay, ParseWebhookReplayJson(c.req.body));
  BEIAN_ASSIGN_OR_RETURN(const int64_t n, c.svc.ReplayWebhook(c.principal, c.Param(0), replay));
  return JsonResponse(202, boost::json::serialize(boost::json::object{{"queued", n}}));
}

HandlerResult HandleWebhookEventTypes(Ctx& c) {
  (void)c;
  boost::json::array items;
  for (const auto& t : WebhookEventTypes()) items.emplace_back(t);
  return JsonResponse(200, boost::json::serialize(boost::json::object{{"items", items}}));
}

std::string WebhookMetricsText(Service& svc) {
  std::string out =
      "# HELP beian_webhook_deliveries_total Webhook delivery attempts by this process, by "
      "outcome.\n# TYPE beian_webhook_deliveries_total counter\n";
  for (int i = 0; i < kWebhookOutcomeCount; ++i) {
    const auto o = static_cast<WebhookOutcome>(i);
    out += "beian_webhook_deliveries_total{outcome=\"" + std::string(WebhookOutcomeName(o)) +
           "\"} " + std::to_string(svc.WebhookDeliveries(o)) + "\n";
  }
  Result<WebhookQueue> q = svc.GetWebhookQueue();
  if (!q.ok()) return out;
  out +=
      "# HELP beian_webhook_queue_depth Webhook messages waiting (active webhooks).\n"
      "# TYPE beian_webhook_queue_depth gauge\nbeian_webhook_queue_depth " +
      std::to_string(q->pending) + "\n";
  int64_t age_ms = 0;
  if (q->oldest_queued_ms) {
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    age_ms = std::max<int64_t>(0, now_ms - *q->oldest_queued_ms);
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(age_ms) / 1000.0);
  out +=
      "# HELP beian_webhook_oldest_pending_seconds Age of the oldest waiting webhook message.\n"
      "# TYPE beian_webhook_oldest_pending_seconds gauge\nbeian_webhook_oldest_pending_seconds " +
      std::string(buf) + "\n";
  return out;
}

}  // namespace beian::http
