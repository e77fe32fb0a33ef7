#include "domain/webhook.h"

#include <algorithm>

namespace beian {

std::string WebhookMessageId(std::string_view webhook_id, int64_t seq) {
  return "msg_" + std::string(webhook_id) + "_" + std::to_string(seq);
}

const std::vector<std::string>& WebhookEventTypes() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> v = {
        "account.created",  "account.disabled",      "account.enabled",
        "account.updated",  "filing.approved",       "filing.cancelled",
        "filing.rejected",  "filing.review_overdue", "filing.submitted",
        "filing.withdrawn", "number.grant_revoked",  "number.granted",
        "number.issued",    "number.lapsed",         "number.state_changed",
        "product.created",  "product.released",      "product.term_expiring",
        "product.updated",  "token.created",         "token.issued",
        "token.revoked",    "token.rotated",         "webhook.created",
        "webhook.deleted",  "webhook.disabled",      "webhook.secret_rotated",
        "webhook.updated",  "auth.signed_in",        "auth.signed_out"};
    std::sort(v.begin(), v.end());
    return v;
  }();
  return kTypes;
}

bool IsWebhookEventType(std::string_view type) {
  const auto& v = WebhookEventTypes();
  return std::binary_search(v.begin(), v.end(), type);
}

std::optional<Text> CheckWebhookUrl(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return Text{"地址必须以 http:// 或 https:// 开头",
                "the URL must start with http:// or https://"};
  }
  if (url.size() > 2000)
    return Text{"地址过长（最多 2000 个字符）", "the URL is too long (2000 characters at most)"};
  for (char ch : url) {
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f) {
      return Text{"地址不能包含空白或控制字符",
                  "the URL must not contain spaces or control characters"};
    }
  }
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return Text{"地址不能包含用户名或密码", "the URL must not contain a user name or password"};
  }
  std::string_view host = authority;
  if (host.starts_with("[")) {
    const auto close = host.find(']');
    if (close == std::string_view::npos || close == 1) {
      return Text{"地址的主机名无效", "the URL's host is not valid"};
    }
    host = host.substr(0, close + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (host.empty()) return Text{"地址缺少主机名", "the URL has no host"};
  return std::nullopt;
}

bool WebhookWants(const Webhook& w, const Event& e) {
  if (!w.account_id.empty() && e.account_id != w.account_id && e.account2 != w.account_id) {
    return false;
  }
  if (w.event_types.empty()) return true;
  return std::find(w.event_types.begin(), w.event_types.end(), e.type) != w.event_types.end();
}

}  // namespace beian
