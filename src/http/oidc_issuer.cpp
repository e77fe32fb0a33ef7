#include "http/oidc_issuer.h"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>

#include "http/outbound.h"

namespace beian::http {
namespace json = boost::json;

namespace {

Error Unavailable() {
  return MakeError(ErrorCode::kUnavailable,
                   Text{"暂时无法连接身份提供方，请稍后重试",
                        "the identity provider cannot be reached; try again later"});
}

std::string Field(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

Result<IssuerEndpoints> FetchDiscovery(const std::string& issuer) {
  std::string url = issuer;
  if (!url.empty() && url.back() == '/') url.pop_back();
  url += "/.well-known/openid-configuration";
  Result<OutboundReply> reply = OutboundGet(url);
  if (!reply.ok()) {
    spdlog::warn("oidc: discovery: {}", reply.error().detail.en);
    return Unavailable();
  }
  boost::system::error_code ec;
  json::value doc = json::parse(reply->body, ec);
  if (reply->status != 200 || ec || !doc.is_object()) {
    spdlog::warn("oidc: discovery {} answered {} without a JSON object", url, reply->status);
    return Unavailable();
  }
  const json::object& o = doc.as_object();
  IssuerEndpoints e{Field(o, "issuer"), Field(o, "authorization_endpoint"),
                    Field(o, "token_endpoint"), Field(o, "jwks_uri"),
                    Field(o, "end_session_endpoint")};
  if (e.issuer != issuer) {
    spdlog::warn("oidc: discovery {} names issuer '{}', not '{}'", url, e.issuer, issuer);
    return Unavailable();
  }
  for (const std::string* u : {&e.authorization_endpoint, &e.token_endpoint, &e.jwks_uri}) {
    if (!CheckOutboundUrl(*u).ok()) {
      spdlog::warn("oidc: discovery {}: endpoint '{}' refused (https only)", url, *u);
      return Unavailable();
    }
  }
  if (!e.end_session_endpoint.empty() && !CheckOutboundUrl(e.end_session_endpoint).ok()) {
    e.end_session_endpoint.clear();
  }
  return e;
}

}  // namespace

OidcIssuer::OidcIssuer(std::string issuer, std::chrono::seconds refetch_interval,
                       std::chrono::seconds max_age)
    : issuer_(std::move(issuer)), refetch_interval_(refetch_interval), max_age_(max_age) {}

Result<IssuerEndpoints> OidcIssuer::Endpoints() {
  {
    std::lock_guard lock(mu_);
    if (endpoints_) return *endpoints_;
  }
  Result<IssuerEndpoints> e = FetchDiscovery(issuer_);
  if (e.ok()) {
    std::lock_guard lock(mu_);
    endpoints_ = *e;
  }
  return e;
}

OidcIssuer::KeysResult OidcIssuer::FetchKeys() {
  Result<IssuerEndpoints> e = Endpoints();
  if (!e.ok()) return std::move(e).error();
  Result<OutboundReply> reply = OutboundGet(e->jwks_uri);
  if (!reply.ok()) {
    spdlog::warn("oidc: jwks: {}", reply.error().detail.en);
    return Unavailable();
  }
  if (reply->status != 200) {
    spdlog::warn("oidc: jwks {} answered {}", e->jwks_uri, reply->status);
    return Unavailable();
  }
  KeysResult keys = JwkSet::Parse(reply->body);
  if (!keys.ok()) {
    spdlog::warn("oidc: jwks {}: {}", e->jwks_uri, keys.error().detail.en);
    return Unavailable();
  }
  spdlog::info("oidc: fetched {} signature keys from {}", keys.value()->size(), e->jwks_uri);
  return keys;
}

OidcIssuer::KeysResult OidcIssuer::Keys(const std::string& want_kid) {
  std::shared_future<KeysResult> wait;
  std::promise<KeysResult> mine;
  std::shared_ptr<const JwkSet> old;
  {
    std::lock_guard lock(mu_);
    const Clock::time_point now = Clock::now();
    old = keys_;
    const bool stale = old && now - keys_fetched_ > max_age_;
    const bool missing = old && !want_kid.empty() && !old->HasKid(want_kid);
    if (old && !stale && !missing) return old;
    if (keys_in_flight_.valid()) {
      wait = keys_in_flight_;
    } else {
      const bool may =
          keys_attempt_ == Clock::time_point{} || now - keys_attempt_ >= refetch_interval_;
      if (!may) {
        if (old) return old;
        return Unavailable();
      }
      keys_attempt_ = now;
      keys_in_flight_ = mine.get_future().share();
    }
  }
  if (wait.valid()) return wait.get();
  KeysResult fetched = Unavailable();
  try {
    fetched = FetchKeys();
  } catch (const std::exception& e) {
    spdlog::error("oidc: jwks fetch: {}", e.what());
  }
  {
    std::lock_guard lock(mu_);
    ++fetches_;
    if (fetched.ok()) {
      keys_ = fetched.value();
      keys_fetched_ = Clock::now();
    }
    keys_in_flight_ = {};
  }
  mine.set_value(fetched);
  if (!fetched.ok() && old) return old;
  return fetched;
}

Result<json::object> OidcIssuer::Verify(std::string_view token, std::string_view request_id) {
  Result<JwsHeader> header = PeekJwsHeader(token);
  if (!header.ok()) return std::move(header).error();
  KeysResult keys = Keys(header->kid);
  if (!keys.ok()) return std::move(keys).error();
  std::string why;
  Result<json::object> claims = VerifyJws(token, *keys.value(), &why);
  if (!claims.ok()) spdlog::info("request {}: {}", request_id, why);
  return claims;
}

int OidcIssuer::jwks_fetches() const {
  std::lock_guard lock(mu_);
  return fetches_;
}

}  // namespace beian::http
