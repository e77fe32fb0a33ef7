// API tokens: create, list, revoke, rotate (and the admin's IssueToken).
#include <boost/json.hpp>

#include "service/internal.h"

namespace beian {
using svc::CustomerOf;

namespace {

constexpr std::size_t kMaxTokenName = 100;
constexpr int kMaxListedTokens = 1000;
constexpr std::chrono::seconds kMaxGrace{86400};

std::string TokenEventJson(const TokenRecord& t) {
  boost::json::array scopes;
  for (const std::string& s : ScopeNames(t.scopes)) scopes.emplace_back(s);
  boost::json::object o{{"token_id", t.id}, {"name", t.name}, {"scopes", std::move(scopes)}};
  if (t.expires_at) o["expires_at"] = FormatRfc3339Cst(*t.expires_at);
  return boost::json::serialize(o);
}

}  // namespace

Result<NewToken> Service::InsertNewToken(const Principal& actor, const Account& owner,
                                         std::string name, ScopeSet scopes,
                                         std::optional<Time> expires_at, std::string event_type,
                                         std::string event_data) {
  NewToken out;
  out.secret = svc::NewApiToken();
  TokenRecord& t = out.record;
  t.id = svc::NewTokenId();
  t.account_id = owner.id;
  t.name = std::move(name);
  t.scopes = scopes;
  t.creator = actor.account_id;
  t.created_at = Now();
  t.expires_at = expires_at;
  const std::string hash = svc::ApiTokenHash(out.secret, token_pepper_);
  return WriteTx([&](Tx& tx) -> Result<NewToken> {
    std::optional<Account> a = tx.GetAccount(owner.id);
    if (!a) return MakeError(ErrorCode::kNotFound, Text{"账号不存在", "no such account"});
    if (a->disabled) {
      return MakeError(ErrorCode::kInvalidState,
                       Text{"账号已停用，不能创建令牌", "the account is disabled"});
    }
    tx.InsertToken(hash, t);
    std::string data = event_data.empty() ? TokenEventJson(t) : event_data;
    svc::AppendEvent(tx, actor, t.created_at, event_type, CustomerOf(*a), t.id, data);
    return out;
  });
}

Result<std::string> Service::IssueToken(const Principal& actor, std::string_view account_id) {
  if (!actor.HasRole(OperatorRole::kAdmin)) return svc::NeedsRole(actor, OperatorRole::kAdmin);
  Account owner;
  owner.id = std::string(account_id);
  std::optional<Time> expires;
  if (policy_.token_max_lifetime_days > 0) {
    expires = Now() + std::chrono::days(policy_.token_max_lifetime_days);
  }
  BEIAN_ASSIGN_OR_RETURN(NewToken t, InsertNewToken(actor, owner, "issued by " + actor.account_id,
                                                    kAllScopes, expires, "token.issued", ""));
  return std::move(t.secret);
}

Result<NewToken> Service::CreateToken(const Principal& actor, const TokenRequest& req) {
  if (req.name.size() > kMaxTokenName) {
    return svc::InvalidField(
        "name", Text{"名称过长（最多 100 字节）", "name is too long (at most 100 bytes)"});
  }
  const ScopeSet have = actor.EffectiveScopes();
  const ScopeSet want = req.scopes.value_or(have);
  if (want == 0) {
    return svc::InvalidField("scopes",
                             Text{"至少需要一个权限范围", "at least one scope is needed"});
  }
  if (ScopeSet missing = want & ~have; missing != 0) return svc::NeedsScopes(missing);
  const auto max = std::chrono::days(policy_.token_max_lifetime_days);
  std::optional<Time> expires;
  if (req.expires_in) {
    if (req.expires_in->count() < 60) {
      return svc::InvalidField(
          "expires_in", Text{"expires_in 至少为 60 秒", "expires_in must be at least 60 seconds"});
    }
    if (max.count() > 0 && *req.expires_in > max) {
      return svc::InvalidField(
          "expires_in", Text{"expires_in 超过策略允许的最长有效期（" +
                                 std::to_string(policy_.token_max_lifetime_days) + " 天）",
                             "expires_in is beyond the policy's maximum lifetime (" +
                                 std::to_string(policy_.token_max_lifetime_days) + " days)"});
    }
    expires = Now() + *req.expires_in;
  } else if (max.count() > 0) {
    expires = Now() + max;
  }
  Account owner;
  owner.id = actor.account_id;
  return InsertNewToken(actor, owner, req.name, want, expires, "token.created", "");
}

Result<std::vector<TokenRecord>> Service::ListTokens(const Principal& actor,
                                                     const std::optional<std::string>& account_id,
                                                     std::map<std::string, ScopeSet>* allowed) {
  std::optional<std::string> whose = actor.account_id;
  if (account_id && *account_id != actor.account_id) {
    if (!actor.HasRole(OperatorRole::kAdmin)) return svc::NeedsRole(actor, OperatorRole::kAdmin);
    whose = account_id;
  } else if (!account_id && actor.HasRole(OperatorRole::kAdmin)) {
    whose.reset();
  }
  return store_.Read([&](Tx& tx) -> Result<std::vector<TokenRecord>> {
    std::vector<TokenRecord> tokens = tx.ListTokens(whose, kMaxListedTokens);
    if (allowed != nullptr) {
      allowed->clear();
      for (const TokenRecord& t : tokens) {
        if (allowed->count(t.account_id) != 0) continue;
        std::optional<Account> a = tx.GetAccount(t.account_id);
        (*allowed)[t.account_id] =
            a && !a->disabled ? AllowedScopes(a->role == Role::kOperator, a->roles) : 0;
      }
    }
    return tokens;
  });
}

Status Service::RevokeToken(const Principal& actor, std::string_view token_id) {
  const Time now = Now();
  Status st = WriteTx([&](Tx& tx) -> Status {
    std::optional<TokenRecord> t = tx.GetToken(token_id);
    const bool mine = t && t->account_id == actor.account_id;
    if (!t || (!mine && !actor.HasRole(OperatorRole::kAdmin))) return svc::NotFound();
    if (t->revoked_at && *t->revoked_at <= now) return OkStatus();  // already revoked
    tx.BumpCredentialGeneration();
    tx.RevokeToken(t->id, now);
    std::optional<Account> a = tx.GetAccount(t->account_id);
    svc::AppendEvent(tx, actor, now, "token.revoked", a ? CustomerOf(*a) : "", t->id,
                     TokenEventJson(*t));
    return OkStatus();
  });
  if (st.ok()) CredentialsChanged();
  return st;
}

Result<NewToken> Service::RotateToken(const Principal& actor, std::string_view token_id,
                                      std::chrono::seconds grace) {
  if (grace.count() < 0 || grace > kMaxGrace) {
    return svc::InvalidField("grace_seconds", Text{"grace_seconds 须在 0 到 86400 之间",
                                                   "grace_seconds must be from 0 to 86400"});
  }
  const Time now = Now();
  NewToken out;
  out.secret = svc::NewApiToken();
  const std::string hash = svc::ApiTokenHash(out.secret, token_pepper_);
  auto r = WriteTx([&](Tx& tx) -> Result<NewToken> {
    std::optional<TokenRecord> old = tx.GetToken(token_id);
    const bool mine = old && old->account_id == actor.account_id;
    if (!old || (!mine && !actor.HasRole(OperatorRole::kAdmin))) return svc::NotFound();
    if (mine) {
      const ScopeSet missing =
          old->scopes & AllowedScopes(actor.IsOperator(), actor.roles) & ~actor.EffectiveScopes();
      if (missing != 0) {
        return svc::NeedsScopes(missing);
      }
    }
    if (old->revoked_at && *old->revoked_at <= now + grace) {
      return MakeError(
          ErrorCode::kInvalidState,
          Text{"令牌已吊销或即将失效", "the token is revoked or about to stop working"});
    }
    if (old->expires_at && *old->expires_at <= now) {
      return MakeError(ErrorCode::kInvalidState, Text{"令牌已过期", "the token has expired"});
    }
    std::optional<Account> a = tx.GetAccount(old->account_id);
    if (!a || a->disabled) {
      return MakeError(ErrorCode::kInvalidState,
                       Text{"账号已停用，不能创建令牌", "the account is disabled"});
    }
    TokenRecord& t = out.record;
    t = *old;
    t.id = svc::NewTokenId();
    t.creator = actor.account_id;
    t.created_at = now;
    t.last_used_at.reset();
    t.revoked_at.reset();
    if (old->expires_at) t.expires_at = now + (*old->expires_at - old->created_at);
    tx.BumpCredentialGeneration();
    tx.RevokeToken(old->id, now + grace);
    tx.InsertToken(hash, t);
    svc::AppendEvent(tx, actor, now, "token.rotated", CustomerOf(*a), old->id,
                     svc::JsonObject({{"token_id", old->id},
                                      {"new_token_id", t.id},
                                      {"grace_seconds", std::to_string(grace.count())}}));
    return out;
  });
  if (r.ok()) CredentialsChanged();
  return r;
}

}  // namespace beian
