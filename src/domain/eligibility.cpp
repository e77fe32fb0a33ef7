#include "domain/eligibility.h"

namespace beian {
namespace {

bool IsExpired(const Product& p, Time now) {
  if (p.status == ProductStatus::kExpired || p.status == ProductStatus::kReleased) return true;
  return p.expires_at.has_value() && *p.expires_at <= now;
}

bool LacksPublicIp(const Product& p, const KindPolicy& kp) {
  return kp.needs_public_ip && p.public_ips.empty();
}

void AddHints(const Product& p, const KindPolicy& kp, std::vector<HintCode>& hints) {
  if (p.region == "cn-hongkong") hints.push_back(HintCode::kHongKongNoFilingNeeded);
  if (kp.accepts_vhost_credentials) hints.push_back(HintCode::kVhostCredentialsAccepted);
}

}  // namespace

Eligibility Evaluate(const Product& p, const Policy& policy, Time now, int used,
                     bool asker_is_owner) {
  const KindPolicy& kp = policy.For(p.kind);
  Eligibility e;
  e.quota = Quota{kp.scope, kp.quota, used};
  AddHints(p, kp, e.hints);
  if (kp.issue == IssueMode::kNever) {
    e.reasons.push_back(Reason{.code = ReasonCode::kNoServiceNumberNeeded});
    return e;
  }
  auto& r = e.reasons;
  if (!asker_is_owner) r.push_back(Reason{.code = ReasonCode::kNotOwner});
  if (!policy.IsMainland(p.region)) r.push_back(Reason{.code = ReasonCode::kRegionNotMainland});
  const bool subscription = p.billing == Billing::kSubscription;
  if (!subscription) {
    r.push_back(Reason{.code = ReasonCode::kPayAsYouGo, .min_months = kp.min_months});
  }
  if (IsExpired(p, now)) {
    r.push_back(Reason{.code = ReasonCode::kExpired});
  } else if (subscription) {
    // A subscription without a known end date cannot prove its remaining term: fail closed.
    const Time renew_until = AddMonthsCst(now, kp.min_months);
    if (!p.expires_at || *p.expires_at < renew_until) {
      r.push_back(Reason{.code = ReasonCode::kRemainingTermTooShort,
                         .renew_until = renew_until,
                         .min_months = kp.min_months});
    }
  }
  if (LacksPublicIp(p, kp)) r.push_back(Reason{.code = ReasonCode::kNoPublicIp});
  if (used >= kp.quota) {
    r.push_back(Reason{.code = ReasonCode::kQuotaExhausted,
                       .quota_limit = kp.quota,
                       .quota_per_account = kp.scope == QuotaScope::kAccount});
  }
  e.can_apply = r.empty();
  return e;
}

std::vector<Reason> UsabilityFailures(const Product& p, const Policy& policy, Time now) {
  const KindPolicy& kp = policy.For(p.kind);
  std::vector<Reason> r;
  if (!policy.IsMainland(p.region)) r.push_back(Reason{.code = ReasonCode::kRegionNotMainland});
  if (IsExpired(p, now)) r.push_back(Reason{.code = ReasonCode::kExpired});
  if (LacksPublicIp(p, kp)) r.push_back(Reason{.code = ReasonCode::kNoPublicIp});
  return r;
}

bool IsFileable(const Product& p, const Policy& policy, Time now) {
  const KindPolicy& k = policy.For(p.kind);
  return k.issue != IssueMode::kNever && k.quota > 0 && policy.IsMainland(p.region) &&
         p.billing == Billing::kSubscription && p.expires_at && *p.expires_at > now &&
         p.status != ProductStatus::kExpired && p.status != ProductStatus::kReleased;
}

}  // namespace beian
