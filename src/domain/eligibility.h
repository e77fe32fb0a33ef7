#pragma once
// Eligibility: may this account apply for a new number on this product, and if not, why not.
#include <vector>

#include "domain/policy.h"
#include "domain/product.h"
#include "domain/reason.h"

namespace beian {

struct Quota {
  QuotaScope scope = QuotaScope::kProduct;
  int limit = 0;
  int used = 0;
  int remaining() const { return used >= limit ? 0 : limit - used; }
};

struct Eligibility {
  bool can_apply = false;
  std::vector<Reason> reasons;  // every failing rule, in ReasonCode order; empty iff can_apply
  std::vector<HintCode> hints;  // never block
  Quota quota;
};

// Judges an application for a new number (rules.md). `used` is the count of numbers ever issued in
// the product's quota scope. `asker_is_owner` false adds kNotOwner (for operator explanations).
// kNoServiceNumberNeeded, when it applies, is the only reason. kRemainingTermTooShort is not
// reported together with kExpired. Pure: `now` is passed in.
// A product on which its account could file a website (if it had a number): a kind that gets
// numbers, in a mainland region, on subscription, not expired and not released. Quota is not
// considered.
bool IsFileable(const Product& p, const Policy& policy, Time now);

Eligibility Evaluate(const Product& p, const Policy& policy, Time now, int used,
                     bool asker_is_owner = true);

// Rules for using an already issued number in a new filing: the product exists (not released), is
// not expired, is in a mainland region and, where its kind needs one, has a public IP. Returns the
// failing reasons (empty when usable). Released products yield kExpired.
std::vector<Reason> UsabilityFailures(const Product& p, const Policy& policy, Time now);

}  // namespace beian
