#include "http/api.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>

#include "http/handlers.h"
#include "http/problem.h"

namespace beian::http {
namespace {

std::string_view PathOf(std::string_view target) {
  return target.substr(0, std::min(target.find('?'), target.size()));
}

bool ListContains(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    std::size_t comma = std::min(list.find(','), list.size());
    if (list.substr(0, comma) == name) return true;
    list = comma == list.size() ? std::string_view() : list.substr(comma + 1);
  }
  return false;
}

// Parses and checks the query string; false after filling `bad`.
bool ParseQuery(Ctx& c, const Route& route, ApiResponse& bad) {
  std::size_t q = c.req.target.find('?');
  if (q == std::string_view::npos || route.query == "*") return true;
  auto parsed = boost::urls::parse_origin_form(c.req.target);
  if (!parsed) {
    bad = BadRequest(c, "query", "查询字符串格式错误", "malformed query string");
    return false;
  }
  for (auto p : parsed->params()) {
    if (p.key.empty() && !p.has_value) continue;
    if (!ListContains(route.query, p.key)) {
      bad = BadRequest(c, p.key, "未知的查询参数：" + p.key, "unknown query parameter: " + p.key);
      return false;
    }
    if (c.Query(p.key) != nullptr) {
      bad = BadRequest(c, p.key, "查询参数重复：" + p.key, "repeated query parameter: " + p.key);
      return false;
    }
    c.query.emplace_back(p.key, p.value);
  }
  return true;
}

// The token of an "Authorization: Bearer TOKEN" header, or "".
std::string_view BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

}  // namespace

RouteMatch Api::Match(const ApiRequest& req) const {
  return MatchRoute(Routes(), req.method, PathOf(req.target));
}

bool Api::NeedsWorker(const RouteMatch& m) {
  return m.outcome == RouteMatch::kFound && Routes()[static_cast<std::size_t>(m.index)].on_worker;
}

ApiResponse Api::Handle(const ApiRequest& req, const RouteMatch& m) {
  ApiResponse resp;
  try {
    resp = Run(req, m);
  } catch (const std::exception& e) {
    spdlog::error("request {}: unexpected exception: {}", req.request_id, e.what());
    resp = ProblemResponse(ErrorCode::kInternal, LangFromAcceptLanguage(req.accept_language));
  } catch (...) {
    spdlog::error("request {}: unexpected exception", req.request_id);
    resp = ProblemResponse(ErrorCode::kInternal, LangFromAcceptLanguage(req.accept_language));
  }
  resp.route_index = m.index;
  return resp;
}

Result<Principal> Api::Authenticate(std::string_view token) {
  if (token.empty()) return MakeError(ErrorCode::kUnauthenticated);
  const auto now = AuthCache::Clock::now();
  if (std::optional<Principal> cached = auth_cache_.Find(token, now)) return std::move(*cached);
  Result<Principal> who = svc_.Authenticate(token);
  if (who.ok()) auth_cache_.Put(token, *who, now);
  return who;
}

ApiResponse Api::Run(const ApiRequest& req, const RouteMatch& m) {
  const Lang lang = LangFromAcceptLanguage(req.accept_language);
  if (m.outcome == RouteMatch::kNotFound) return ProblemResponse(ErrorCode::kNotFound, lang);
  if (m.outcome == RouteMatch::kMethodNotAllowed) {
    ApiResponse resp = ProblemResponse(ErrorCode::kMethodNotAllowed, lang);
    resp.headers.emplace_back("Allow", m.allow);
    return resp;
  }
  const Route& route = Routes()[static_cast<std::size_t>(m.index)];
  Ctx c{svc_, metrics_, req, m.params, lang, {}, {}};
  ApiResponse bad;
  if (!ParseQuery(c, route, bad)) return bad;
  if (route.auth) {
    std::string_view token = BearerToken(req.authorization);
    Result<Principal> who = Authenticate(token);
    if (!who.ok()) {
      ApiResponse resp = ProblemResponse(who.error(), lang);
      if (who.error().code == ErrorCode::kUnauthenticated) {
        resp.headers.emplace_back("WWW-Authenticate", "Bearer");
      }
      return resp;
    }
    c.principal = std::move(who.value());
  }
  return route.handler(c);
}

}  // namespace beian::http
