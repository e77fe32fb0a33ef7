#pragma once
// Test helpers shared by the domain tests (header-only; not part of the library).
#include <string_view>
#include <vector>

#include "domain/product.h"
#include "domain/reason.h"
#include "domain/time.h"

namespace beian::testing {

// The instant the domain tests judge at.
// The time of an RFC 3339 string that the test knows to be valid.
inline Time At(std::string_view s) { return ParseRfc3339(s).value(); }

inline Time TestNow() { return ParseRfc3339("2026-11-27T10:00:00+08:00").value(); }

// A product that may apply: subscription with a year left, a public IP, in Hangzhou.
inline Product Fileable(Kind kind = Kind::kEcs) {
  Product p;
  p.id = "i-bp1";
  p.account_id = "alice";
  p.kind = kind;
  p.billing = Billing::kSubscription;
  p.region = "cn-hangzhou";
  p.public_ips = {"47.96.1.2"};
  p.expires_at = AddMonthsCst(TestNow(), 12);
  return p;
}

// The codes of `reasons`, in order.
inline std::vector<ReasonCode> Codes(const std::vector<Reason>& reasons) {
  std::vector<ReasonCode> out;
  for (const Reason& r : reasons) out.push_back(r.code);
  return out;
}

}  // namespace beian::testing
