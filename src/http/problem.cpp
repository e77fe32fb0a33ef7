#include "http/problem.h"

#include <boost/json.hpp>
#include <string>

#include "domain/messages.h"

namespace beian::http {
namespace json = boost::json;

ApiResponse ProblemResponse(const Error& error, Lang lang) {
  const std::string_view code = ErrorCodeName(error.code);
  const int status = HttpStatusOf(error.code);
  json::object o{
      {"type", "urn:beian:problem:" + std::string(code)},
      {"title", ErrorTitle(error.code).In(lang)},
      {"status", status},
      {"code", code},
      {"detail", error.detail.empty() ? ErrorTitle(error.code).In(lang) : error.detail.In(lang)}};
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
  if (!error.errors.empty()) {
    json::array errors;
    for (const FieldError& f : error.errors) {
      errors.push_back(json::object{{"field", f.field}, {"detail", f.detail}});
    }
    o["errors"] = std::move(errors);
  }
  ApiResponse resp;
  resp.status = status;
  resp.content_type = "application/problem+json";
  resp.body = json::serialize(o);
  return resp;
}

ApiResponse ProblemResponse(ErrorCode code, Lang lang) {
  return ProblemResponse(MakeError(code), lang);
}

ApiResponse ProblemResponse(ErrorCode code, Text detail, Lang lang) {
  return ProblemResponse(MakeError(code, std::move(detail)), lang);
}

}  // namespace beian::http
