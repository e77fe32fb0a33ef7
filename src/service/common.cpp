#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "service/internal.h"

namespace beian::svc {

Error Forbidden() {
  return MakeError(ErrorCode::kForbidden,
                   Text{"此操作仅限平台运营账号", "only operator accounts may do this"});
}

Error NeedsScopes(ScopeSet missing) {
  const std::string names = ScopeListText(missing);
  return MakeError(ErrorCode::kInsufficientScope,
                   Text{"此令牌缺少权限范围：" + names, "this token lacks the scope " + names});
}

Error NotFound() { return MakeError(ErrorCode::kNotFound); }

Error InvalidField(std::string field, Text detail) {
  Error e = MakeError(ErrorCode::kInvalidRequest, detail);
  e.errors.push_back(FieldError{std::move(field), detail.en, detail.zh});
  return e;
}

Status CheckOptionalIdempotencyKey(std::string_view key) {
  if (key.empty()) return OkStatus();
  return CheckIdempotencyKey(key);
}

std::string QuotaScopeKey(const Policy& policy, const Product& p) {
  const KindPolicy& k = policy.For(p.kind);
  if (k.issue == IssueMode::kNever) return "";
  if (k.scope == QuotaScope::kAccount) {
    return "a:" + p.account_id + ":" + std::string(KindName(p.kind));
  }
  return "p:" + p.id;
}

Status ReserveAttempt(Tx& tx, std::string_view subject, int limit, std::chrono::seconds window,
                      Time now) {
  tx.LockAttempts(subject);
  const Time since = now - window;
  const int used = tx.CountAttempts(subject, since);
  if (used < limit) {
    tx.RecordAttempt(subject, now);
    tx.KeepWritesIfRefused();  // the guess counts even when the caller then refuses
    return OkStatus();
  }
  Error e = MakeError(ErrorCode::kTooManyAttempts);
  // A slot frees when the attempt that makes the count exceed limit - 1 leaves the window (an
  // attempt at t counts while now - window <= t).
  const std::optional<Time> oldest = tx.NthAttempt(subject, since, used - limit);
  const Time free_at = oldest.value_or(now) + window + std::chrono::seconds{1};
  e.retry_after = std::max(std::chrono::seconds{1}, free_at - now);
  return e;
}

bool IsReleased(const Product& p) { return p.status == ProductStatus::kReleased; }

std::string CustomerOf(const Account& a) { return a.role == Role::kCustomer ? a.id : ""; }

std::string JsonObject(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  boost::json::object o;
  for (const auto& [k, v] : fields) o[k] = v;
  return boost::json::serialize(o);
}

Event MakeEvent(const Principal& actor, Time at, std::string type, std::string account_id,
                std::string subject, std::string data_json) {
  Event e;
  e.at = at;
  e.actor = actor.account_id;
  e.type = std::move(type);
  e.account_id = std::move(account_id);
  e.subject = std::move(subject);
  e.data_json = std::move(data_json);
  return e;
}

void AppendEvent(Tx& tx, const Principal& actor, Time at, std::string type, std::string account_id,
                 std::string subject, std::string data_json) {
  AppendEvent(tx, actor, at, std::move(type), std::move(account_id), std::move(subject),
              std::move(data_json), "");
}

void AppendEvent(Tx& tx, const Principal& actor, Time at, std::string type, std::string account_id,
                 std::string subject, std::string data_json, std::string account2) {
  Event e = MakeEvent(actor, at, std::move(type), std::move(account_id), std::move(subject),
                      std::move(data_json));
  if (account2 != e.account_id) e.account2 = std::move(account2);
  tx.AppendEvent(e);
}

void AppendNumberStateEvent(Tx& tx, const Principal& actor, Time at, const ServiceNumber& n,
                            NumberState from, const std::string& filing_id,
                            const std::string& filer) {
  AppendEvent(tx, actor, at, "number.state_changed", n.account_id, n.code,
              JsonObject({{"from", NumberStateName(from)},
                          {"to", NumberStateName(n.state)},
                          {"filing_id", filing_id}}),
              filer);
}

}  // namespace beian::svc

namespace beian {

Error NeedsRole(const Principal& actor, OperatorRole role) {
  const std::string r(OperatorRoleName(role));
  if (!actor.IsOperator()) {
    return MakeError(ErrorCode::kForbidden,
                     Text{"此操作仅限拥有 " + r + " 角色的运营账号",
                          "only operator accounts with the " + r + " role may do this"});
  }
  return MakeError(ErrorCode::kForbidden, Text{"您的运营账号缺少 " + r + " 角色",
                                               "your operator account lacks the " + r + " role"});
}

Error CustomerOnly() {
  return MakeError(ErrorCode::kForbidden,
                   Text{"此操作仅限客户账号", "only customer accounts may do this"});
}

namespace {
constexpr uint64_t kPurgeEvery = 1024;
}  // namespace

bool Service::CountWriteUnlessPurgeDue() {
  uint64_t n = purge_counter_.load(std::memory_order_relaxed);
  do {
    if ((n + 1) % kPurgeEvery == 0) return false;
  } while (!purge_counter_.compare_exchange_weak(n, n + 1, std::memory_order_relaxed));
  return true;
}

void Service::MaybePurge(Time now) {
  constexpr std::chrono::hours kKeyLifetime{24};
  if (++purge_counter_ % kPurgeEvery != 0) return;
  const auto attempt_window = std::max(policy_.sn_lookup_window, policy_.vhost_password_window);
  // A bucket untouched for longer than it takes to fill is full, as a missing one is.
  const auto bucket_window = std::chrono::seconds{
      std::max({policy_.account_writes.WindowSeconds(), policy_.token_writes.WindowSeconds(),
                policy_.imports.WindowSeconds()})};
  (void)store_.Write([&](Tx& tx) -> Status {
    tx.PurgeIdempotency(now - kKeyLifetime);
    tx.PurgeAttempts(now - attempt_window);
    tx.PurgeBuckets(now - bucket_window - std::chrono::seconds{1});
    return OkStatus();
  });
}

}  // namespace beian
