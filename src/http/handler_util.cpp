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

Error InvalidField(std::string_view field, Text detail) {
  FieldError fe{std::string(field), detail.en, detail.zh};
  Error e = MakeError(ErrorCode::kInvalidRequest, std::move(detail));
  e.errors.push_back(std::move(fe));
  return e;
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

Result<int> ParseLimit(const Ctx& c) {
  const std::string* limit = c.Query("limit");
  if (limit == nullptr) return 100;
  int n = 0;
  auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
  if (ec != std::errc() || end != limit->data() + limit->size() || n < 1 || n > 500) {
    return InvalidField("limit", Text{"limit 必须是 1 到 500 之间的整数",
                                      "limit must be an integer from 1 to 500"});
  }
  return n;
}

Result<PageRequest> ParsePage(const Ctx& c, PageList list) {
  PageRequest page;
  BEIAN_ASSIGN_OR_RETURN(page.limit, ParseLimit(c));
  if (const std::string* token = c.Query("page_token")) {
    BEIAN_RETURN_IF_ERROR(DecodePageToken(list, *token));
    page.page_token = *token;
  }
  return page;
}

Status CheckProductId(const std::string& id, std::string_view field) {
  if (IsValidProductId(id)) return OkStatus();
  return InvalidField(field, Text{"产品 ID 格式错误", "malformed product id"});
}

Status CheckAccountId(const std::string& id, std::string_view field) {
  if (IsValidAccountId(id)) return OkStatus();
  return InvalidField(field, Text{"账号 ID 格式错误", "malformed account id"});
}

Status CheckFilingId(const std::string& id) {
  if (IsValidFilingId(id)) return OkStatus();
  return InvalidField("id", Text{"备案 ID 格式错误", "malformed filing id"});
}

Status CheckTokenId(const std::string& id) {
  if (IsValidTokenId(id)) return OkStatus();
  return InvalidField("id", Text{"令牌 ID 格式错误", "malformed token id"});
}

Result<ApiResponse> NoContent(Status st) {
  BEIAN_RETURN_IF_ERROR(std::move(st));
  ApiResponse resp;
  resp.status = 204;
  resp.content_type = "";
  return resp;
}

}  // namespace beian::http

namespace beian::http {

Status CheckEmptyBody(const Ctx& c) {
  std::string_view b = c.req.body;
  std::size_t first = b.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return OkStatus();
  Text problem;
  const std::optional<boost::json::value> v = ParseStrictJson(b, problem);
  if (v && v->is_object() && v->get_object().empty()) return OkStatus();
  if (v && v->is_object()) {
    std::string field(v->get_object().begin()->key());
    return InvalidField(field, Text{"未知字段：" + field, "unknown field: " + field});
  }
  return InvalidField("body", Text{"此请求不接受请求体", "this request takes no body"});
}

Status CheckIdempotencyKey(const Ctx& c) {
  if (c.req.idempotency_keys == 0) return OkStatus();
  if (c.req.idempotency_keys > 1) {
    return InvalidField("Idempotency-Key", Text{"Idempotency-Key 只能出现一次",
                                                "Idempotency-Key must appear at most once"});
  }
  return beian::CheckIdempotencyKey(c.req.idempotency_key);
}

}  // namespace beian::http
