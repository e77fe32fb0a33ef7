#include <boost/json.hpp>
#include <charconv>

#include "codec/strict_json.h"
#include "http/handlers.h"

namespace beian::http {

const std::string* Ctx::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return &v;
  }
  return nullptr;
}

ApiResponse JsonResponse(int status, std::string body) {
  ApiResponse resp;
  resp.status = status;
  resp.body = std::move(body);
  return resp;
}

ApiResponse BadRequest(const Ctx& c, std::string_view field, std::string_view detail_zh,
                       std::string_view detail_en) {
  Error e =
      MakeError(ErrorCode::kInvalidRequest, Text{std::string(detail_zh), std::string(detail_en)});
  e.errors.push_back({std::string(field), std::string(detail_en)});
  return ProblemResponse(e, c.lang);
}

std::string ListJson(std::string_view array, const std::string& next_page_token) {
  std::string out = "{\"items\":";
  out += array;
  out += ",\"next_page_token\":";
  out += next_page_token.empty() ? std::string("null")
                                 : boost::json::serialize(boost::json::string(next_page_token));
  out += '}';
  return out;
}

std::optional<int> ParseLimit(const Ctx& c, ApiResponse& bad) {
  const std::string* limit = c.Query("limit");
  if (limit == nullptr) return 100;
  int n = 0;
  auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
  if (ec != std::errc() || end != limit->data() + limit->size() || n < 1 || n > 500) {
    bad = BadRequest(c, "limit", "limit 必须是 1 到 500 之间的整数",
                     "limit must be an integer from 1 to 500");
    return std::nullopt;
  }
  return n;
}

std::optional<PageRequest> ParsePage(const Ctx& c, PageList list, ApiResponse& bad) {
  PageRequest page;
  const std::optional<int> limit = ParseLimit(c, bad);
  if (!limit) return std::nullopt;
  page.limit = *limit;
  if (const std::string* token = c.Query("page_token")) {
    if (Result<std::string> key = DecodePageToken(list, *token); !key.ok()) {
      bad = ProblemResponse(key.error(), c.lang);
      return std::nullopt;
    }
    page.page_token = *token;
  }
  return page;
}

bool CheckProductId(const Ctx& c, const std::string& id, ApiResponse& bad) {
  if (IsValidProductId(id)) return true;
  bad = BadRequest(c, "id", "产品 ID 格式错误", "malformed product id");
  return false;
}

bool CheckAccountId(const Ctx& c, const std::string& id, ApiResponse& bad) {
  if (IsValidAccountId(id)) return true;
  bad = BadRequest(c, "id", "账号 ID 格式错误", "malformed account id");
  return false;
}

bool CheckFilingId(const Ctx& c, const std::string& id, ApiResponse& bad) {
  bool ok = id.size() == 22 && id.starts_with("f-");
  for (std::size_t i = 2; ok && i < id.size(); ++i) {
    const char ch = id[i];
    ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z');
  }
  if (ok) return true;
  bad = BadRequest(c, "id", "备案 ID 格式错误", "malformed filing id");
  return false;
}

}  // namespace beian::http

namespace beian::http {

bool CheckEmptyBody(const Ctx& c, ApiResponse& bad) {
  std::string_view b = c.req.body;
  std::size_t first = b.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return true;
  Text problem;
  const std::optional<boost::json::value> v = ParseStrictJson(b, problem);
  if (v && v->is_object() && v->get_object().empty()) return true;
  if (v && v->is_object()) {
    std::string field(v->get_object().begin()->key());
    bad = BadRequest(c, field, "未知字段：" + field, "unknown field: " + field);
  } else {
    bad = BadRequest(c, "body", "此请求不接受请求体", "this request takes no body");
  }
  return false;
}

bool CheckIdempotencyKey(const Ctx& c, ApiResponse& bad) {
  if (c.req.idempotency_keys == 0) return true;
  if (c.req.idempotency_keys > 1) {
    bad = BadRequest(c, "Idempotency-Key", "Idempotency-Key 只能出现一次",
                     "Idempotency-Key must appear at most once");
    return false;
  }
  if (Status st = beian::CheckIdempotencyKey(c.req.idempotency_key); !st.ok()) {
    bad = ProblemResponse(st.error(), c.lang);
    return false;
  }
  return true;
}

}  // namespace beian::http
