#include "http/problem.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "domain/messages.h"

namespace beian::http {
namespace json = boost::json;

namespace {

// What a client learns of a fault inside the server: what to do, not what broke.
const Text kUnavailableDetail{
    "服务暂时不可用（数据库暂不可写或无法连接），请稍后重试；如持续出现，请联系平台运维并提供 "
    "request_id。",
    "The service is temporarily unavailable (its database cannot be reached or written); retry "
    "later. If this persists, contact the operator with the request_id."};
const Text kInternalDetail{
    "服务器内部错误，已记录日志；重试不会解决，请联系平台运维并提供 request_id。",
    "An internal error occurred and was logged; retrying will not help. Contact the operator with "
    "the request_id."};

}  // namespace

ApiResponse ProblemResponse(const Error& error, Lang lang) {
  const std::string_view code = ErrorCodeName(error.code);
  const int status = HttpStatusOf(error.code);
  const bool fault = status == 500 || status == 503;
  // A fault's own detail is shown only when its producer kept the internal text apart (in cause)
  // and wrote advice for the client (e.g. "retry with the same Idempotency-Key").
  const bool curated =
      !error.cause.empty() && !error.detail.empty() && error.detail.en != ErrorTitle(error.code).en;
  const Text& detail =
      !fault || curated ? error.detail : (status == 503 ? kUnavailableDetail : kInternalDetail);
  json::object o{{"type", "urn:beian:problem:" + std::string(code)},
                 {"title", ErrorTitle(error.code).In(lang)},
                 {"status", status},
                 {"code", code},
                 {"detail", detail.empty() ? ErrorTitle(error.code).In(lang) : detail.In(lang)}};
  if (!error.reasons.empty()) {
    json::array reasons;
    for (const Reason& r : error.reasons) {
      json::object ro{{"code", ReasonCodeName(r.code)},
                      {"message", ReasonMessage(r).In(lang)},
                      {"remedy", ReasonRemedy(r).In(lang)}};
      if (r.renew_until) ro["renew_until"] = FormatRfc3339Cst(*r.renew_until);
      reasons.push_back(std::move(ro));
    }
    o["reasons"] = std::move(reasons);
  }
  if (!error.items.empty()) {
    json::array items;
    for (const ItemRefusal& item : error.items) {
      json::array reasons;
      for (const Reason& r : item.reasons) {
        json::object ro{{"code", ReasonCodeName(r.code)},
                        {"message", ReasonMessage(r).In(lang)},
                        {"remedy", ReasonRemedy(r).In(lang)}};
        if (r.renew_until) ro["renew_until"] = FormatRfc3339Cst(*r.renew_until);
        reasons.push_back(std::move(ro));
      }
      items.push_back(json::object{{"product_id", item.product_id}, {"reasons", reasons}});
    }
    o["items"] = std::move(items);
  }
  if (!error.errors.empty()) {
    json::array errors;
    for (const FieldError& f : error.errors) {
      // In the request's language when the field error was written in both.
      const std::string& d = lang == Lang::kZh && !f.detail_zh.empty() ? f.detail_zh : f.detail;
      errors.push_back(json::object{{"field", f.field}, {"detail", d}});
    }
    o["errors"] = std::move(errors);
  }
  if (error.applied_through_line > 0) o["applied_through_line"] = error.applied_through_line;
  ApiResponse resp;
  resp.status = status;
  resp.content_type = "application/problem+json";
  resp.body = json::serialize(o);
  if (error.retry_after.count() > 0 || status == 429) {
    // Every 429 says when to come back; 1 s when the refusal did not say.
    resp.headers.emplace_back("Retry-After",
                              std::to_string(std::max<int64_t>(1, error.retry_after.count())));
  }
  if (status == 503) resp.headers.emplace_back("Retry-After", std::to_string(kRetryAfterSeconds));
  if (fault) {
    resp.fault = !error.cause.empty() ? error.cause
                                      : "internal: " + std::string(code) + ": " + error.detail.en;
  }
  return resp;
}

ApiResponse ProblemResponse(ErrorCode code, Lang lang) {
  return ProblemResponse(MakeError(code), lang);
}

ApiResponse ProblemResponse(ErrorCode code, Text detail, Lang lang) {
  return ProblemResponse(MakeError(code, std::move(detail)), lang);
}

}  // namespace beian::http
