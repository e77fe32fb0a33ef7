#include <algorithm>
#include <map>

#include "service/internal.h"

namespace beian::svc {

ProductView ProductViewOf(const Policy& policy, Time now, Product p, int used) {
  ProductView v;
  v.eligibility = Evaluate(p, policy, now, used);
  v.product = std::move(p);
  return v;
}

namespace {

// What a number's usability is judged on when its product is gone: a released product.
Product GoneProduct(const ServiceNumber& n) {
  Product gone;
  gone.id = n.product_id;
  gone.account_id = n.account_id;
  gone.kind = n.kind;
  gone.status = ProductStatus::kReleased;
  return gone;
}

// `product` is the number's product, or null when it is gone (only read for available numbers).
NumberView NumberViewOf(const Policy& policy, Time now, ServiceNumber n, const Product* product) {
  NumberView v;
  v.usable = n.state == NumberState::kAvailable &&
             UsabilityFailures(product != nullptr ? *product : GoneProduct(n), policy, now).empty();
  v.number = std::move(n);
  return v;
}

}  // namespace

// The one-row views use the one-row queries: they serve the hottest requests (GET by id, apply).
int QuotaUsed(Tx& tx, const Policy& policy, const Product& p) {
  const std::string scope = QuotaScopeKey(policy, p);
  return scope.empty() ? 0 : tx.PeekQuota(scope);
}

ProductView MakeProductView(Tx& tx, const Policy& policy, Time now, Product p) {
  const int used = QuotaUsed(tx, policy, p);
  return ProductViewOf(policy, now, std::move(p), used);
}

std::vector<ProductView> MakeProductViews(Tx& tx, const Policy& policy, Time now,
                                          std::vector<Product> products) {
  std::vector<std::string> scopes;
  for (const Product& p : products) {
    if (std::string scope = QuotaScopeKey(policy, p); !scope.empty()) scopes.push_back(scope);
  }
  const std::map<std::string, int> used = tx.PeekQuotas(scopes);
  std::vector<ProductView> out;
  out.reserve(products.size());
  for (Product& p : products) {
    const auto it = used.find(QuotaScopeKey(policy, p));
    out.push_back(ProductViewOf(policy, now, std::move(p), it == used.end() ? 0 : it->second));
  }
  return out;
}

std::vector<Reason> NumberUsabilityFailures(Tx& tx, const Policy& policy, Time now,
                                            const ServiceNumber& n) {
  std::optional<Product> p = tx.GetProduct(n.product_id);
  return UsabilityFailures(p ? *p : GoneProduct(n), policy, now);
}

NumberView MakeNumberView(Tx& tx, const Policy& policy, Time now, ServiceNumber n) {
  std::optional<Product> p;
  if (n.state == NumberState::kAvailable) p = tx.GetProduct(n.product_id);
  return NumberViewOf(policy, now, std::move(n), p ? &*p : nullptr);
}

std::vector<NumberView> MakeNumberViews(Tx& tx, const Policy& policy, Time now,
                                        std::vector<ServiceNumber> numbers) {
  std::vector<std::string> ids;
  for (const ServiceNumber& n : numbers) {
    if (n.state == NumberState::kAvailable) ids.push_back(n.product_id);
  }
  std::map<std::string, Product> products;
  for (Product& p : tx.GetProducts(ids)) products.emplace(p.id, std::move(p));
  std::vector<NumberView> out;
  out.reserve(numbers.size());
  for (ServiceNumber& n : numbers) {
    const auto it = products.find(n.product_id);
    out.push_back(
        NumberViewOf(policy, now, std::move(n), it != products.end() ? &it->second : nullptr));
  }
  return out;
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
