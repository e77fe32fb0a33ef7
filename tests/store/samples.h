#pragma once
// Sample rows for store tests.
#include <chrono>
#include <string>

#include "domain/entities.h"

namespace beian::testing {

// A time `s` seconds after 2026-11-27T00:00:00Z.
inline Time At(int64_t s) { return Time{std::chrono::seconds{1795737600 + s}}; }

inline Account SampleAccount(const std::string& id, Role role = Role::kCustomer) {
  return Account{id, role, "name of " + id, At(0)};
}

inline Product SampleProduct(const std::string& id, const std::string& account,
                             Kind kind = Kind::kEcs) {
  Product p;
  p.id = id;
  p.account_id = account;
  p.kind = kind;
  p.name = "产品 " + id;
  p.billing = Billing::kSubscription;
  p.region = "cn-hangzhou";
  p.public_ips = {"47.96.1.2", "47.96.1.3"};
  p.expires_at = At(86400 * 365);
  p.status = ProductStatus::kRunning;
  p.created_at = At(10);
  p.updated_at = At(10);
  return p;
}

inline ServiceNumber SampleNumber(const std::string& code, const Product& p) {
  ServiceNumber n;
  n.code = code;
  n.product_id = p.id;
  n.account_id = p.account_id;
  n.kind = p.kind;
  n.quota_scope = "p:" + p.id;
  n.state = NumberState::kAvailable;
  n.issued_at = At(20);
  return n;
}

inline Filing SampleFiling(const std::string& id, const ServiceNumber& n,
                           const std::string& domain) {
  Filing f;
  f.id = id;
  f.account_id = n.account_id;
  f.owner_id = n.account_id;
  f.domain = domain;
  f.service_number = n.code;
  f.product_id = n.product_id;
  f.state = FilingState::kInReview;
  f.created_at = At(30);
  f.updated_at = At(30);
  return f;
}

}  // namespace beian::testing
