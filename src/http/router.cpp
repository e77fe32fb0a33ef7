#include "http/router.h"

#include <algorithm>
#include <array>
#include <vector>

namespace beian::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes of `s` into `out` (when not null); false for a malformed escape.
bool PercentDecode(std::string_view s, std::string* out) {
  if (out != nullptr) out->reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      if (out != nullptr) out->push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return false;
    int hi = HexValue(s[i + 1]);
    int lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return false;
    if (out != nullptr) out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

// The parameters of a template that fits, still percent-encoded (decoded only for the route
// chosen: every request is tried against every route, so fitting must not allocate).
struct RawParams {
  std::array<std::string_view, 2> values;
  int count = 0;
};

// True when `path` fits `tmpl`; fills params. `literal_score` counts literal segments matched.
bool Fits(std::string_view tmpl, std::string_view path, RawParams& params, int& literal_score) {
  if (path.empty() || path[0] != '/') return false;
  if (tmpl == "/") return path == "/";
  params.count = 0;
  literal_score = 0;
  std::size_t ti = 1;
  std::size_t pi = 1;
  while (true) {
    std::size_t te = std::min(tmpl.find('/', ti), tmpl.size());
    std::size_t pe = std::min(path.find('/', pi), path.size());
    std::string_view ts = tmpl.substr(ti, te - ti);
    std::string_view ps = path.substr(pi, pe - pi);
    if (ts.size() > 2 && ts.front() == '{' && ts[ts.size() - 2] == '*') {
      // "{name*}": the rest of the path, one or more segments.
      std::string_view rest = path.substr(pi);
      if (te != tmpl.size() || rest.empty() || params.count >= 2) return false;
      if (!PercentDecode(rest, nullptr)) return false;
      params.values[static_cast<std::size_t>(params.count++)] = rest;
      return true;
    }
    if (!ts.empty() && ts.front() == '{') {
      // A segment that is not empty decodes to at least one byte.
      if (ps.empty() || params.count >= static_cast<int>(params.values.size())) return false;
      if (!PercentDecode(ps, nullptr)) return false;
      params.values[static_cast<std::size_t>(params.count++)] = ps;
    } else {
      if (ts != ps) return false;
      ++literal_score;
    }
    const bool t_end = te == tmpl.size();
    const bool p_end = pe == path.size();
    if (t_end || p_end) return t_end && p_end;
    ti = te + 1;
    pi = pe + 1;
  }
}

}  // namespace

RouteTable::RouteTable(std::span<const Route> routes) : routes_(routes) {
  shapes_.reserve(routes.size());
  for (const Route& r : routes) {
    const std::size_t brace = r.path.find('{');
    shapes_.push_back(Shape{r.path.substr(0, brace), brace == std::string_view::npos,
                            r.path.find("*}") != std::string_view::npos});
  }
}

RouteMatch MatchRoute(std::span<const Route> routes, std::string_view method,
                      std::string_view path) {
  return RouteTable(routes).Match(method, path);
}

RouteMatch RouteTable::Match(std::string_view method, std::string_view path) const {
  const std::span<const Route> routes = routes_;
  RouteMatch best;
  int best_score = -1;
  bool best_is_fallback = false;
  std::string allow;
  int allow_score = -1;
  RawParams params;
  RawParams best_params;
  for (std::size_t i = 0; i < routes.size(); ++i) {
    // Cheap necessary conditions first: a template without parameters fits only the same text,
    // and one with parameters only a path that starts with its text before the first '{'.
    const std::string_view tmpl = routes[i].path;
    const Shape& shape = shapes_[i];
    if (shape.exact ? path != tmpl : !path.starts_with(shape.prefix)) continue;
    int score = 0;
    if (!Fits(tmpl, path, params, score)) continue;
    const bool fallback = shape.fallback;
    if (routes[i].method != method) {
      if (fallback) continue;  // no 405 for fallbacks
      // Allow lists the methods of the most literal templates that fit.
      if (score > allow_score) {
        allow_score = score;
        allow.clear();
      }
      if (score == allow_score && allow.find(routes[i].method) == std::string::npos) {
        if (!allow.empty()) allow += ", ";
        allow += routes[i].method;
      }
      continue;
    }
    if (score > best_score) {
      best_score = score;
      best.outcome = RouteMatch::kFound;
      best.index = static_cast<int>(i);
      best_params = params;
      best_is_fallback = fallback;
    }
  }
  // A path that a real route serves with other methods is 405, even when a fallback would take it
  // or a less literal template of this method fits it (GET /v1/filings/review is not a filing).
  if ((best.outcome != RouteMatch::kFound || best_is_fallback || allow_score > best_score) &&
      !allow.empty()) {
    best = RouteMatch{};
    best.outcome = RouteMatch::kMethodNotAllowed;
    best.allow = std::move(allow);
    return best;
  }
  if (best.outcome == RouteMatch::kFound) {
    for (int i = 0; i < best_params.count; ++i) {
      const auto k = static_cast<std::size_t>(i);
      PercentDecode(best_params.values[k], &best.params.values[k]);
    }
    best.params.count = best_params.count;
  }
  return best;
}

}  // namespace beian::http
