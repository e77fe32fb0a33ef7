// Authentication and accounts.
#include <sodium.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "service/internal.h"
#include "service/product_cache.h"

namespace beian {

using svc::AppendEvent;
using svc::JsonObject;

namespace {

constexpr std::size_t kMaxAccountName = 200;
// Used when no pepper is configured (see docs/architecture.md, "API tokens").
constexpr std::string_view kBuiltInPepper = "beian built-in token pepper; set BEIAN_TOKEN_PEPPER";

Error Unauthenticated(Text detail) {
  return MakeError(ErrorCode::kUnauthenticated, std::move(detail));
}

Status ValidateAccount(const Account& a) {
  if (!IsValidAccountId(a.id)) {
    return svc::InvalidField("id", Text{"账号 ID 须匹配 [A-Za-z0-9._-]{1,64}",
                                        "account id must match [A-Za-z0-9._-]{1,64}"});
  }
  if (a.id == SystemPrincipal().account_id) {
    return svc::InvalidField("id",
                             Text{"账号 ID system 为系统保留", "account id system is reserved"});
  }
  if (a.name.size() > kMaxAccountName) {
    return svc::InvalidField(
        "name", Text{"名称过长（最多 200 字节）", "name is too long (at most 200 bytes)"});
  }
  return OkStatus();
}

bool IsActiveAdmin(const Account& a) {
  return a.role == Role::kOperator && !a.disabled && (a.roles & RoleBit(OperatorRole::kAdmin));
}

std::string AccountEventJson(const Account& a) {
  boost::json::array roles;
  for (const std::string& r : OperatorRoleNames(a.role == Role::kOperator ? a.roles : 0)) {
    roles.emplace_back(r);
  }
  return boost::json::serialize(boost::json::object{{"role", RoleName(a.role)},
                                                    {"roles", std::move(roles)},
                                                    {"status", a.disabled ? "disabled" : "active"},
                                                    {"name", a.name}});
}

}  // namespace

Service::Service(Store& store, Policy policy, Clock clock)
    : store_(store),
      policy_(std::move(policy)),
      clock_(std::move(clock)),
      token_pepper_(kBuiltInPepper),
      product_cache_(std::make_unique<svc::ProductCache>()) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

Service::~Service() = default;

Error AccountDisabled() {
  return MakeError(ErrorCode::kUnauthenticated, Text{"账号已停用", "the account is disabled"});
}

Result<Principal> Service::Authenticate(std::string_view token) {
  // Tokens carry 256 random bits, so looking one up by its hash leaks nothing useful through
  // timing: an attacker cannot choose inputs whose hashes share a prefix with a stored one.
  const svc::TokenShape shape = svc::CheckTokenShape(token);
  if (shape == svc::TokenShape::kBad) {
    return Unauthenticated(Text{"令牌格式或校验位错误", "the token is malformed or mistyped"});
  }
  const std::string hash = shape == svc::TokenShape::kCurrent
                               ? svc::ApiTokenHash(token, token_pepper_)
                               : svc::LegacyTokenHash(token);
  auto found = store_.Read([&](Tx& tx) -> Result<Tx::TokenAuth> {
    std::optional<Tx::TokenAuth> t = tx.TokenByHash(hash);
    if (!t) return Unauthenticated(Text{"令牌不存在", "unknown token"});
    return *t;
  });
  if (!found.ok()) return std::move(found).error();
  const TokenRecord& t = found->token;
  const Account& a = found->account;
  const Time now = Now();
  if (t.revoked_at && *t.revoked_at <= now) {
    return Unauthenticated(Text{"令牌已吊销", "the token was revoked"});
  }
  if (t.expires_at && *t.expires_at <= now) {
    return Unauthenticated(Text{"令牌已过期", "the token has expired"});
  }
  if (a.disabled) return svc::AccountDisabled();
  Principal p{a.id, a.role, a.roles, t.scopes, t.id, t.expires_at};
  if (t.revoked_at && (!p.expires_at || *t.revoked_at < *p.expires_at)) p.expires_at = t.revoked_at;
  if (!t.last_used_at || *t.last_used_at < now - std::chrono::minutes(1)) TouchToken(t.id);
  return p;
}

void Service::TouchToken(const std::string& token_id) {
  const Time now = Now();
  (void)store_.Write([&](Tx& tx) -> Status {
    tx.TouchToken(token_id, now, now - std::chrono::minutes(1));
    return OkStatus();
  });
}

Result<int64_t> Service::CredentialGeneration() {
  return store_.Read([](Tx& tx) -> Result<int64_t> { return tx.CredentialGeneration(); });
}

Result<Account> Service::Me(const Principal& actor) {
  return store_.Read([&](Tx& tx) -> Result<Account> {
    std::optional<Account> a = tx.GetAccount(actor.account_id);
    if (!a) return MakeError(ErrorCode::kNotFound);
    // A console session or JWT may hold fewer roles than its account (the issuer's roles claim).
    if (a->role == Role::kOperator) a->roles &= actor.roles;
    return *a;
  });
}

Result<std::pair<Account, bool>> Service::PutAccount(const Principal& actor,
                                                     const AccountChange& change) {
  if (!actor.HasRole(OperatorRole::kAdmin)) return svc::NeedsRole(actor, OperatorRole::kAdmin);
  const Time now = Now();
  auto out = WriteTx([&](Tx& tx) -> Result<std::pair<Account, bool>> {
    // Taking the generation row's lock first serialises account changes, so the last-admin and
    // product-owner checks below hold under concurrency (and on every server).
    tx.BumpCredentialGeneration();
    std::optional<Account> old = tx.GetAccount(change.id, Tx::RowLock::kUpdate);
    if (!old && !change.role && !change.roles) {
      return svc::InvalidField("role", Text{"新账号须指定 role", "a new account needs a role"});
    }
    Account a = old.value_or(Account{change.id, Role::kCustomer, "", now});
    if (change.role) a.role = *change.role;
    if (change.roles) {
      if (change.role && *change.role == Role::kCustomer) {
        return svc::InvalidField(
            "roles", Text{"客户账号没有运营角色", "a customer account has no operator roles"});
      }
      a.role = Role::kOperator;
      a.roles = *change.roles;
    } else if (change.role == Role::kOperator && (!old || old->role != Role::kOperator)) {
      a.roles = kAllOperatorRoles;
    }
    if (a.role == Role::kCustomer) a.roles = 0;
    if (change.name) a.name = *change.name;
    if (change.disabled) a.disabled = *change.disabled;
    BEIAN_RETURN_IF_ERROR(ValidateAccount(a));
    if (old && IsActiveAdmin(*old) && !IsActiveAdmin(a) && tx.CountOtherActiveAdmins(a.id) == 0) {
      return MakeError(ErrorCode::kLastAdmin,
                       Text{"这是最后一个可用的管理员账号，不能降级或停用；请先为其他运营账号授予 "
                            "admin 角色",
                            "this is the last active admin: grant the admin role to another "
                            "operator first"});
    }
    if (a.role == Role::kOperator && (!old || old->role != Role::kOperator) &&
        tx.CountProductsOf(a.id) > 0) {
      return MakeError(ErrorCode::kOperatorOwnsProducts,
                       Text{"账号 " + a.id + " 拥有产品，不能成为运营账号",
                            "account " + a.id + " owns products, so it cannot be an operator"});
    }
    const bool created = tx.UpsertAccount(a);
    const std::string concerns = a.role == Role::kCustomer ? a.id : "";
    AppendEvent(tx, actor, now, created ? "account.created" : "account.updated", concerns, a.id,
                AccountEventJson(a));
    if (old && a.disabled != old->disabled) {
      AppendEvent(tx, actor, now, a.disabled ? "account.disabled" : "account.enabled", concerns,
                  a.id);
    }
    return std::make_pair(a, created);
  });
  if (out.ok()) CredentialsChanged();
  return out;
}

Result<Page<Account>> Service::ListAccounts(const Principal& actor, const PageRequest& page) {
  if (!actor.HasRole(OperatorRole::kAdmin)) return svc::NeedsRole(actor, OperatorRole::kAdmin);
  BEIAN_RETURN_IF_ERROR(svc::CheckLimit(page.limit));
  BEIAN_ASSIGN_OR_RETURN(std::string after, svc::PageStart(PageList::kAccounts, page.page_token));
  auto items = store_.Read([&](Tx& tx) -> Result<std::vector<Account>> {
    return tx.ListAccounts(after, page.limit + 1);
  });
  if (!items.ok()) return std::move(items).error();
  Page<Account> out;
  out.items = std::move(items.value());
  if (out.items.size() > static_cast<std::size_t>(page.limit)) {
    out.items.pop_back();
    out.next_page_token = EncodePageToken(PageList::kAccounts, out.items.back().id);
  }
  return out;
}

Status Service::RecordAuthEvent(const AuthEvent& e) {
  const Time now = Now();
  return store_.Write([&](Tx& tx) -> Status {
    Event ev;
    ev.at = now;
    ev.actor = e.actor;
    ev.type = e.type;
    ev.account_id = e.account_id;
    ev.subject = e.subject;
    ev.data_json = e.data_json;
    tx.AppendEvent(ev);
    return OkStatus();
  });
}

}  // namespace beian
