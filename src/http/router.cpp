#include "http/router.h"

#include <algorithm>
#include <optional>

namespace beian::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = HexValue(s[i + 1]);
    int lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// True when `path` fits `tmpl`; fills params. `literal_score` counts literal segments matched.
bool Fits(std::string_view tmpl, std::string_view path, PathParams& params, int& literal_score) {
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
      auto decoded = PercentDecode(rest);
      if (!decoded) return false;
      params.values[params.count++] = std::move(*decoded);
      return true;
    }
    if (!ts.empty() && ts.front() == '{') {
      if (ps.empty() || params.count >= static_cast<int>(params.values.size())) return false;
      auto decoded = PercentDecode(ps);
      if (!decoded || decoded->empty()) return false;
      params.values[params.count++] = std::move(*decoded);
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

RouteMatch MatchRoute(std::span<const Route> routes, std::string_view method,
                      std::string_view path) {
  RouteMatch best;
  int best_score = -1;
  bool best_is_fallback = false;
  std::string allow;
  PathParams params;
  for (std::size_t i = 0; i < routes.size(); ++i) {
    int score = 0;
    if (!Fits(routes[i].path, path, params, score)) continue;
    const bool fallback = routes[i].path.find("*}") != std::string_view::npos;
    if (routes[i].method != method) {
      if (fallback) continue;  // no 405 for fallbacks
      if (allow.find(routes[i].method) == std::string::npos) {
        if (!allow.empty()) allow += ", ";
        allow += routes[i].method;
      }
      continue;
    }
    if (score > best_score) {
      best_score = score;
      best.outcome = RouteMatch::kFound;
      best.index = static_cast<int>(i);
      best.params = params;
      best_is_fallback = fallback;
    }
  }
  // A path that a real route serves with other methods is 405, even when a fallback would take it.
  if ((best.outcome != RouteMatch::kFound || best_is_fallback) && !allow.empty()) {
    best = RouteMatch{};
    best.outcome = RouteMatch::kMethodNotAllowed;
    best.allow = std::move(allow);
  }
  return best;
}

}  // namespace beian::http
