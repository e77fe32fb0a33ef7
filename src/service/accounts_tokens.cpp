#include <sodium.h>

#include <stdexcept>

#include "service/internal.h"

namespace beian {

using svc::AppendEvent;
using svc::JsonObject;

namespace {

constexpr std::size_t kMaxAccountName = 200;

Error Unauthenticated() { return MakeError(ErrorCode::kUnauthenticated); }

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

}  // namespace

Service::Service(Store& store, Policy policy, Clock clock)
    : store_(store), policy_(std::move(policy)), clock_(std::move(clock)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

Result<Principal> Service::Authenticate(std::string_view token) {
  // The token carries 256 random bits, so looking it up by its hash leaks nothing useful through
  // timing: an attacker cannot choose inputs whose hashes share a prefix with a stored one.
  if (!svc::LooksLikeApiToken(token)) return Unauthenticated();
  const std::string hash = svc::ApiTokenHash(token);
  auto found = store_.Read([&](Tx& tx) -> Result<Account> {
    std::optional<Account> a = tx.AccountByTokenHash(hash);
    if (!a) return Unauthenticated();
    return *a;
  });
  if (!found) return found.take_error();
  return Principal{found->id, found->role};
}

Result<Account> Service::Me(const Principal& actor) {
  return store_.Read([&](Tx& tx) -> Result<Account> {
    std::optional<Account> a = tx.GetAccount(actor.account_id);
    if (!a) return MakeError(ErrorCode::kNotFound);
    return *a;
  });
}

Result<bool> Service::PutAccount(const Principal& actor, const Account& account) {
  if (!actor.IsOperator()) return svc::Forbidden();
  if (Status st = ValidateAccount(account); !st) return st.take_error();
  const Time now = Now();
  return store_.Write([&](Tx& tx) -> Result<bool> {
    Account a = account;
    a.created_at = now;
    const bool created = tx.UpsertAccount(a);
    AppendEvent(tx, actor, now, created ? "account.created" : "account.updated",
                a.role == Role::kCustomer ? a.id : "", a.id,
                JsonObject({{"role", RoleName(a.role)}, {"name", a.name}}));
    return created;
  });
}

Result<std::string> Service::IssueToken(const Principal& actor, std::string_view account_id) {
  if (!actor.IsOperator()) return svc::Forbidden();
  const Time now = Now();
  const std::string token = svc::NewApiToken();
  const std::string hash = svc::ApiTokenHash(token);
  return store_.Write([&](Tx& tx) -> Result<std::string> {
    std::optional<Account> a = tx.GetAccount(account_id);
    if (!a) return MakeError(ErrorCode::kNotFound, Text{"账号不存在", "no such account"});
    tx.InsertToken(hash, a->id, now);
    AppendEvent(tx, actor, now, "token.issued", a->role == Role::kCustomer ? a->id : "", a->id);
    return token;
  });
}

}  // namespace beian
