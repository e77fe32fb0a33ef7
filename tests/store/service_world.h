#pragma once
// A small world for service tests: a Service over a test store with a settable clock, the demo
// accounts (operator, alice, bob, carol) and builders for products.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "domain/time.h"
#include "service/service.h"
#include "store/store.h"

namespace beian::testing {

// 2026-11-27T00:00:00Z.
inline Time WorldStart() { return Time{std::chrono::seconds{1795737600}}; }

class World {
 public:
  explicit World(Store& store, Policy policy = DefaultPolicy())
      : service_(store, std::move(policy), [this] { return Time{std::chrono::seconds{now_s_}}; }) {}

  Service& svc() { return service_; }
  Time now() const { return Time{std::chrono::seconds{now_s_}}; }
  void Advance(std::chrono::seconds d) { now_s_ += d.count(); }

  const Principal op{"system", Role::kOperator};
  const Principal alice{"alice", Role::kCustomer};
  const Principal bob{"bob", Role::kCustomer};
  const Principal carol{"carol", Role::kCustomer};

  // Creates the customer accounts alice, bob and carol.
  void AddCustomers() {
    for (const char* id : {"alice", "bob", "carol"}) {
      ASSERT_TRUE(
          service_
              .PutAccount(op, AccountChange{id, Role::kCustomer, std::nullopt, id, std::nullopt})
              .ok());
    }
  }

  // An ecs product that can apply: mainland, subscription for 12 months, public IP.
  ProductInput Fileable(const std::string& id, const std::string& account,
                        Kind kind = Kind::kEcs) const {
    ProductInput in;
    in.product.id = id;
    in.product.account_id = account;
    in.product.kind = kind;
    in.product.name = id;
    in.product.billing = Billing::kSubscription;
    in.product.region = "cn-hangzhou";
    in.product.public_ips = {"47.96.1.2"};
    in.product.expires_at = AddMonthsCst(now(), 12);
    in.product.status = ProductStatus::kRunning;
    return in;
  }

  // Upserts the product (as operator); fails the test on refusal.
  UpsertOutcome Put(ProductInput in) {
    Result<UpsertOutcome> r = service_.UpsertProduct(op, std::move(in));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail.en);
    return r.ok() ? std::move(r.value()) : UpsertOutcome{};
  }

  // Applies as `who`; returns the code or "" (the test fails) on refusal.
  std::string MustApply(const Principal& who, const std::string& product_id) {
    Result<NumberView> r = service_.Apply(who, product_id);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : std::string(ErrorCodeName(r.error().code)));
    return r.ok() ? r->number.code : "";
  }

 private:
  std::atomic<int64_t> now_s_{WorldStart().time_since_epoch().count()};
  Service service_;
};

inline std::string CodeOf(const Error& e) { return std::string(ErrorCodeName(e.code)); }
template <class T>
std::string CodeOf(const Result<T>& r) {
  return r.ok() ? "OK" : CodeOf(r.error());
}

}  // namespace beian::testing
