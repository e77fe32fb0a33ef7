#include "http/api.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>

#include "domain/text.h"
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

// Parses and checks the query string into c.query; 400 naming the parameter otherwise.
Status ParseQuery(Ctx& c, const Route& route) {
  std::size_t q = c.req.target.find('?');
  if (q == std::string_view::npos || route.query == "*") return OkStatus();
  auto parsed = boost::urls::parse_origin_form(c.req.target);
  if (!parsed) return InvalidField("query", Text{"查询字符串格式错误", "malformed query string"});
  for (auto p : parsed->params()) {
    if (p.key.empty() && !p.has_value) continue;
    // Decoded escapes such as %AF may leave bytes that are not text; they are refused before any
    // message quotes them (a problem body must stay JSON).
    if (!IsUtf8(p.key) || !IsUtf8(p.value)) {
      return InvalidField("query",
                          Text{"查询参数须为 UTF-8 文本（百分号转义解码后）",
                               "query parameters must be UTF-8 text once percent-decoded"});
    }
    if (!ListContains(route.query, p.key)) {
      return InvalidField(p.key,
                          Text{"未知的查询参数：" + p.key, "unknown query parameter: " + p.key});
    }
    if (c.Query(p.key) != nullptr) {
      return InvalidField(p.key,
                          Text{"查询参数重复：" + p.key, "repeated query parameter: " + p.key});
    }
    c.query.emplace_back(p.key, p.value);
  }
  return OkStatus();
}

// Runs the route's handler; a refusal becomes its problem+json in the request's language.
ApiResponse RunHandler(const Route& route, Ctx& c) {
  HandlerResult r = route.handler(c);
  if (!r.ok()) return ProblemResponse(r.error(), c.lang);
  return std::move(r).value();
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

// The 403 for a principal without any of the route's scopes `any_of`: FORBIDDEN naming the role
// (or account kind) when its account may not hold them at all, else INSUFFICIENT_SCOPE naming
// them (the token was made narrower than its account).
Error MissingScope(const Principal& who, ScopeSet any_of) {
  if ((AllowedScopes(who.IsOperator(), who.roles) & any_of) == 0) {
    for (int i = 0; i < kScopeCount; ++i) {
      const Scope s = static_cast<Scope>(i);
      if ((any_of & ScopeBit(s)) == 0) continue;
      if (s == Scope::kAccountsAdmin) return NeedsRole(who, OperatorRole::kAdmin);
      if (s == Scope::kFilingsReview && who.IsOperator()) {
        return NeedsRole(who, OperatorRole::kReviewer);
      }
      if (s == Scope::kInventoryWrite) return NeedsRole(who, OperatorRole::kInventory);
    }
    if (who.IsOperator()) return CustomerOnly();
    return NeedsRole(who, OperatorRole::kReviewer);
  }
  std::string zh;
  std::string en;
  for (const std::string& n : ScopeNames(any_of)) {
    zh += (zh.empty() ? "" : " 或 ") + n;
    en += (en.empty() ? "" : " or ") + n;
  }
  return MakeError(ErrorCode::kInsufficientScope,
                   Text{"此令牌缺少所需的权限范围 " + zh, "this token lacks the scope " + en});
}

// Adds "request_id" to a problem+json body (an object ProblemResponse wrote), so that a client
// can quote it to the operator who finds it in the log.
void AddRequestId(ApiResponse& resp, std::string_view request_id) {
  if (resp.content_type != "application/problem+json" || request_id.empty()) return;
  if (resp.body.size() < 2 || resp.body.back() != '}') return;
  resp.body.pop_back();
  resp.body += ",\"request_id\":";
  resp.body += boost::json::serialize(boost::json::string(request_id));
  resp.body += '}';
}

// Adds the RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers: one list
// item per bucket; q = burst, w = seconds to refill from empty, r = tokens left, t = seconds until
// full again).
void AddRateLimitHeaders(const WriteCharge& charge, ApiResponse& resp) {
  std::string policy;
  std::string state;
  for (const RateLimitStatus& b : charge.buckets) {
    if (!policy.empty()) {
      policy += ", ";
      state += ", ";
    }
    policy += fmt::format("\"{}\";q={};w={}", b.name, b.limit.burst, b.limit.WindowSeconds());
    state += fmt::format("\"{}\";r={};t={}", b.name, b.remaining, b.full_in.count());
  }
  resp.headers.emplace_back("RateLimit-Policy", std::move(policy));
  resp.headers.emplace_back("RateLimit", std::move(state));
}

// 429 RATE_LIMITED with the charge's Retry-After.
ApiResponse RateLimitedResponse(const WriteCharge& charge, Lang lang) {
  Error e = MakeError(ErrorCode::kRateLimited);
  e.retry_after = charge.retry_after;
  return ProblemResponse(e, lang);
}

}  // namespace

RouteMatch Api::Match(const ApiRequest& req) const {
  static const RouteTable kTable(Routes());
  return kTable.Match(req.method, PathOf(req.target));
}

bool Api::NeedsWorker(const RouteMatch& m) {
  return m.outcome == RouteMatch::kFound &&
         Routes()[static_cast<std::size_t>(m.index)].runs == Runs::kOnWorker;
}

bool Api::IsOneRowRead(const RouteMatch& m) {
  if (m.outcome != RouteMatch::kFound) return false;
  const HandlerFn h = Routes()[static_cast<std::size_t>(m.index)].handler;
  // Not GET of a number: a miss records a look-up (a write, which waits for a commit).
  return h == HandleGetProduct || h == HandleGetFiling || h == HandleMe;
}

ApiResponse Api::Handle(const ApiRequest& req, const RouteMatch& m) {
  ApiResponse resp;
  try {
    resp = Run(req, m);
  } catch (const std::exception& e) {
    Error err = MakeError(ErrorCode::kInternal);
    err.cause = std::string("internal: unexpected exception: ") + e.what();
    resp = ProblemResponse(err, LangFromAcceptLanguage(req.accept_language));
  } catch (...) {
    Error err = MakeError(ErrorCode::kInternal);
    err.cause = "internal: unexpected exception";
    resp = ProblemResponse(err, LangFromAcceptLanguage(req.accept_language));
  }
  resp.route_index = m.index;
  if (!resp.fault.empty()) fault_log_.Report(req.request_id, resp.fault);
  AddRequestId(resp, req.request_id);
  return resp;
}

Api::Api(Service& svc, Metrics& metrics, std::chrono::milliseconds auth_ttl, Sso* sso, bool demo)
    : svc_(svc), metrics_(metrics), auth_cache_(auth_ttl, 10000), sso_(sso), demo_(demo) {
  if (auth_ttl.count() > 0) {
    watch_ =
        std::make_unique<CredentialWatch>(svc, std::chrono::milliseconds(100), kRevocationBound);
  }
}

bool ChargesWrites(const Route& route) {
  return route.auth != Auth::kNone && route.method != "GET" && route.handler != HandleEligibility;
}

namespace {

// A gateway JWT has three dot-separated parts; an API token has none.
bool IsJwt(std::string_view token) { return std::count(token.begin(), token.end(), '.') == 2; }

// Whether `token` may be a credential here at all: not empty, and not a JWT unless JWTs are on.
bool MayBeBearer(std::string_view token, const Sso* sso) {
  return !token.empty() && (!IsJwt(token) || (sso != nullptr && sso->jwt_enabled()));
}

}  // namespace

bool Api::MayRunInline(const ApiRequest& req) {
  const std::string_view token = BearerToken(req.authorization);
  if (sso_ == nullptr) return true;
  // A console session may record its use (a write that waits for a commit).
  if (token.empty()) return req.cookie.empty();
  if (!IsJwt(token)) return true;
  return CachedBearer(token).has_value();
}

std::optional<Principal> Api::CachedBearer(std::string_view token,
                                           std::optional<AuthCache::Stamp>* stamp) {
  if (!MayBeBearer(token, sso_)) return std::nullopt;
  std::optional<int64_t> gen = watch_ ? watch_->Current() : std::nullopt;
  if (!gen) return std::nullopt;
  const AuthCache::Stamp now_stamp{*gen, svc_.LocalCredentialEpoch()};
  if (stamp != nullptr) *stamp = now_stamp;
  return auth_cache_.Find(token, now_stamp, AuthCache::Clock::now(), svc_.Now());
}

bool Api::TryQueueApply(const ApiRequest& req, const RouteMatch& m,
                        std::function<void(std::optional<QueuedApply>)> done) {
  try {
    if (m.outcome != RouteMatch::kFound) return false;
    const Route& route = Routes()[static_cast<std::size_t>(m.index)];
    // A query string is checked (and refused) by Handle.
    if (route.handler != HandleApply || req.target.find('?') != std::string_view::npos) {
      return false;
    }
    std::optional<Principal> who = CachedBearer(BearerToken(req.authorization));
    if (!who || (who->EffectiveScopes() & route.scopes) == 0) return false;
    const Lang lang = LangFromAcceptLanguage(req.accept_language);
    Ctx c{svc_, metrics_, req, m.params, lang, std::move(*who), {}, sso_, demo_};
    if (!CheckApplyRequest(c).ok()) return false;
    return svc_.TryApplyQueued(c.principal, c.Param(0), req.idempotency_key, std::move(done));
  } catch (const std::exception&) {  // nothing queued: Handle answers
    return false;
  }
}

ApiResponse Api::QueuedApplyResponse(const QueuedApply& applied, const ApiRequest& req,
                                     const RouteMatch& m) const {
  ApiResponse resp =
      applied.charge.allowed
          ? AppliedResponse(applied.view)
          : RateLimitedResponse(applied.charge, LangFromAcceptLanguage(req.accept_language));
  AddRateLimitHeaders(applied.charge, resp);
  resp.route_index = m.index;
  AddRequestId(resp, req.request_id);
  return resp;
}

Result<Principal> Api::Authenticate(std::string_view token, std::string_view request_id) {
  // A JWT from the provider's gateway is cached like a token: an account change bumps the
  // credential generation, and the entry ends at the token's exp.
  if (!MayBeBearer(token, sso_)) return MakeError(ErrorCode::kUnauthenticated);
  const auto now = AuthCache::Clock::now();
  // The stamp is read before the look-up, so an entry never outlives a change it might predate.
  std::optional<AuthCache::Stamp> stamp;
  if (std::optional<Principal> cached = CachedBearer(token, &stamp)) return std::move(*cached);
  Result<Principal> who =
      IsJwt(token) ? sso_->AuthenticateJwt(token, svc_, request_id) : svc_.Authenticate(token);
  if (who.ok() && stamp) auth_cache_.Put(token, *who, *stamp, now);
  return who;
}

void Api::NoteDenied(const Route& route, const ApiResponse& resp, const Principal* who) {
  const auto now = std::chrono::steady_clock::now();
  std::string key = who != nullptr && !who->credential_id.empty() ? who->credential_id
                    : who != nullptr                              ? who->account_id
                                                                  : "-";
  key += ' ';
  key += std::to_string(resp.status);
  key += ' ';
  key += route.method;
  key += ' ';
  key += route.path;
  {
    std::lock_guard lock(denied_mu_);
    if (denied_.size() >= 10000) denied_.clear();
    auto [it, fresh] = denied_.try_emplace(key, now);
    if (!fresh) {
      if (now - it->second < std::chrono::minutes(1)) return;
      it->second = now;
    }
  }
  AuthEvent e;
  e.type = "auth.denied";
  e.actor = who != nullptr ? who->account_id : "anonymous";
  e.account_id = who != nullptr && !who->IsOperator() ? who->account_id : "";
  e.subject = who != nullptr ? who->credential_id : "";
  boost::json::object data{{"status", resp.status},
                           {"route", std::string(route.method) + " " + std::string(route.path)}};
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(resp.body, ec);
  if (!ec && body.is_object()) {
    if (const auto* code = body.as_object().if_contains("code")) data["code"] = *code;
  }
  e.data_json = boost::json::serialize(data);
  (void)svc_.RecordAuthEvent(e);  // best effort: the answer stands either way
}

Result<Principal> Api::AuthenticateCookie(const ApiRequest& req, Principal& refused) {
  const std::string_view secret = CookieValue(req.cookie, kSessionCookie);
  if (sso_ == nullptr || !sso_->console_enabled() || secret.empty()) {
    return MakeError(ErrorCode::kUnauthenticated);
  }
  Result<SessionAuth> s = svc_.AuthenticateSession(secret, sso_->options().session_idle);
  if (!s.ok()) return std::move(s).error();
  if (req.method != "GET") {
    const bool same_origin = req.origin.empty() || req.origin == sso_->PublicUrl();
    if (!same_origin || !SecretEquals(req.csrf_token, s->csrf_token)) {
      refused = std::move(s->principal);
      return CsrfRefused();
    }
  }
  return std::move(s->principal);
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
  Ctx c{svc_, metrics_, req, m.params, lang, {}, {}, sso_, demo_};
  if (Status st = ParseQuery(c, route); !st.ok()) return ProblemResponse(st.error(), lang);
  if (route.auth == Auth::kNone) return RunHandler(route, c);
  const std::string_view token = BearerToken(req.authorization);
  Principal refused;  // a session refused for its CSRF token: who it was, for the audit
  Result<Principal> who = token.empty() && !req.cookie.empty()
                              ? AuthenticateCookie(req, refused)
                              : Authenticate(token, req.request_id);
  if (!who.ok()) {
    ApiResponse resp = ProblemResponse(who.error(), lang);
    if (who.error().code == ErrorCode::kUnauthenticated) {
      resp.headers.emplace_back("WWW-Authenticate", "Bearer");
      NoteDenied(route, resp, nullptr);
    } else if (who.error().code == ErrorCode::kForbidden) {
      NoteDenied(route, resp, refused.account_id.empty() ? nullptr : &refused);
    }
    return resp;
  }
  c.principal = std::move(who.value());
  if (route.scopes != 0 && (c.principal.EffectiveScopes() & route.scopes) == 0) {
    ApiResponse resp = ProblemResponse(MissingScope(c.principal, route.scopes), lang);
    NoteDenied(route, resp, &c.principal);
    return resp;
  }
  if (!ChargesWrites(route)) {
    ApiResponse resp = RunHandler(route, c);
    if (resp.status == 403) NoteDenied(route, resp, &c.principal);
    return resp;
  }
  // Any other method may write: it draws from the write rate limits, charged in the handler's own
  // write transaction (one durable commit per accepted write), or after it when it wrote nothing.
  const WriteKind kind = route.handler == HandleImport ? WriteKind::kImport : WriteKind::kWrite;
  ApiResponse resp;
  Result<WriteCharge> charge =
      svc_.ChargeWrites(c.principal, kind, [&] { resp = RunHandler(route, c); });
  if (!charge.ok()) return ProblemResponse(charge.error(), lang);
  if (!charge->allowed) {  // nothing of the request was written
    resp = RateLimitedResponse(*charge, lang);
    AddRateLimitHeaders(*charge, resp);
    return resp;
  }
  if (resp.status == 403) NoteDenied(route, resp, &c.principal);
  AddRateLimitHeaders(*charge, resp);
  return resp;
}

}  // namespace beian::http
