#include <limits>

#include "service/internal.h"

namespace beian {
namespace {

constexpr int kScanBatch = 500;

bool HasFileableProduct(Tx& tx, const Policy& policy, Time now, const std::string& account) {
  ProductFilter f;
  f.account_id = account;
  f.limit = kScanBatch;
  for (;;) {
    std::vector<Product> batch = tx.ListProducts(f);
    for (const Product& p : batch) {
      if (IsFileable(p, policy, now)) return true;
    }
    if (batch.size() < static_cast<std::size_t>(kScanBatch)) return false;
    f.after_id = batch.back().id;
  }
}

}  // namespace

Result<Overview> Service::GetOverview(const Principal& actor) {
  if (actor.IsOperator()) {
    return MakeError(ErrorCode::kForbidden,
                     Text{"概览仅供客户账号使用", "the overview is for customer accounts"});
  }
  const Time now = Now();
  return store_.Read([&](Tx& tx) -> Result<Overview> {
    Overview o;
    o.products_by_kind = tx.CountProductsByKind(actor.account_id);
    o.numbers_by_state = tx.CountNumbersByState(actor.account_id);
    for (const auto& [kind, kp] : policy_.kinds) {
      if (kp.scope != QuotaScope::kAccount || kp.issue == IssueMode::kNever) continue;
      Product probe;
      probe.account_id = actor.account_id;
      probe.kind = kind;
      Quota q;
      q.scope = QuotaScope::kAccount;
      q.limit = kp.quota;
      q.used = tx.PeekQuota(svc::QuotaScopeKey(policy_, probe));
      o.account_quotas.push_back(KindQuota{kind, q});
    }
    if (!HasFileableProduct(tx, policy_, now, actor.account_id)) {
      o.advice.push_back(AdviceCode::kNoFileableProduct);
    }
    return o;
  });
}

Result<EventPage> Service::ListEvents(const Principal& actor, int64_t after, int limit) {
  BEIAN_RETURN_IF_ERROR(svc::CheckLimit(limit));
  if (after < 0) {
    return svc::InvalidField("after", Text{"after 不能为负数", "after must not be negative"});
  }
  std::optional<std::string> only;
  if (!actor.IsOperator()) only = actor.account_id;
  return store_.Read([&](Tx& tx) -> Result<EventPage> {
    EventPage page;
    page.items = tx.ListEvents(after, limit, only);
    page.next_after = page.items.empty() ? after : page.items.back().seq;
    return page;
  });
}

Result<EventPage> Service::ListEventsNewestFirst(const Principal& actor, int64_t before,
                                                 int limit) {
  BEIAN_RETURN_IF_ERROR(svc::CheckLimit(limit));
  if (before < 0) {
    return svc::InvalidField("before", Text{"before 不能为负数", "before must not be negative"});
  }
  std::optional<std::string> only;
  if (!actor.IsOperator()) only = actor.account_id;
  return store_.Read([&](Tx& tx) -> Result<EventPage> {
    EventPage page;
    page.items = tx.ListEventsBefore(before == 0 ? std::numeric_limits<int64_t>::max() : before,
                                     limit, only);
    if (page.items.size() == static_cast<std::size_t>(limit)) {
      page.next_before = page.items.back().seq;
    }
    return page;
  });
}

Result<Stats> Service::GetStats() {
  return store_.Read([&](Tx& tx) -> Result<Stats> { return tx.GetStats(); });
}

}  // namespace beian
