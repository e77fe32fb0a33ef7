#include <algorithm>

#include "service/internal.h"

namespace beian::svc {

ProductView MakeProductView(Tx& tx, const Policy& policy, Time now, Product p) {
  const std::string scope = QuotaScopeKey(policy, p);
  const int used = scope.empty() ? 0 : tx.PeekQuota(scope);
  ProductView v;
  v.eligibility = Evaluate(p, policy, now, used);
  v.product = std::move(p);
  return v;
}

std::vector<Reason> NumberUsabilityFailures(Tx& tx, const Policy& policy, Time now,
                                            const ServiceNumber& n) {
  std::optional<Product> p = tx.GetProduct(n.product_id);
  if (!p) {
    Product gone;
    gone.id = n.product_id;
    gone.account_id = n.account_id;
    gone.kind = n.kind;
    gone.status = ProductStatus::kReleased;
    return UsabilityFailures(gone, policy, now);
  }
  return UsabilityFailures(*p, policy, now);
}

NumberView MakeNumberView(Tx& tx, const Policy& policy, Time now, ServiceNumber n) {
  NumberView v;
  v.usable =
      n.state == NumberState::kAvailable && NumberUsabilityFailures(tx, policy, now, n).empty();
  v.number = std::move(n);
  return v;
}

bool CanUseNumber(const Principal& actor, const ServiceNumber& n) {
  return n.account_id == actor.account_id || std::find(n.granted_to.begin(), n.granted_to.end(),
                                                       actor.account_id) != n.granted_to.end();
}

bool CanSeeNumber(const Principal& actor, const ServiceNumber& n) {
  return actor.IsOperator() || CanUseNumber(actor, n);
}

bool CanSeeFiling(const Principal& actor, const Filing& f) {
  return actor.IsOperator() || f.account_id == actor.account_id || f.owner_id == actor.account_id;
}

bool CanSeeProduct(const Principal& actor, const Product& p) {
  return actor.IsOperator() || (p.account_id == actor.account_id && !IsReleased(p));
}

}  // namespace beian::svc
