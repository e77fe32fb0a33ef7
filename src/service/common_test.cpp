#include <gtest/gtest.h>

#include "service/internal.h"

namespace beian::svc {
namespace {

Product Make(Kind kind) {
  Product p;
  p.id = "i-1";
  p.account_id = "alice";
  p.kind = kind;
  return p;
}

TEST(QuotaScopeKeyTest, ProductScopedKindsCountPerProduct) {
  const Policy policy = DefaultPolicy();
  EXPECT_EQ(QuotaScopeKey(policy, Make(Kind::kEcs)), "p:i-1");
  EXPECT_EQ(QuotaScopeKey(policy, Make(Kind::kVhost)), "p:i-1");
  EXPECT_EQ(QuotaScopeKey(policy, Make(Kind::kMarketplaceSite)), "p:i-1");
}

TEST(QuotaScopeKeyTest, WebHostingCountsPerAccountAndKind) {
  EXPECT_EQ(QuotaScopeKey(DefaultPolicy(), Make(Kind::kWebHosting)), "a:alice:web_hosting");
}

TEST(QuotaScopeKeyTest, KindsThatNeverGetNumbersHaveNoScope) {
  EXPECT_EQ(QuotaScopeKey(DefaultPolicy(), Make(Kind::kCxtShop)), "");
}

TEST(QuotaScopeKeyTest, PolicyDecidesTheScope) {
  Policy policy = DefaultPolicy();
  policy.kinds[Kind::kEcs].scope = QuotaScope::kAccount;
  EXPECT_EQ(QuotaScopeKey(policy, Make(Kind::kEcs)), "a:alice:ecs");
}

TEST(JsonObjectTest, EscapesValues) {
  EXPECT_EQ(JsonObject({}), "{}");
  EXPECT_EQ(JsonObject({{"k", "v"}}), R"({"k":"v"})");
  EXPECT_EQ(JsonObject({{"a", "x\"y\\z\n"}, {"b", "例子"}}),
            "{\"a\":\"x\\\"y\\\\z\\n\",\"b\":\"例子\"}");
}

TEST(VisibilityTest, OwnersAndGranteesUseNumbersOperatorsOnlySeeThem) {
  ServiceNumber n;
  n.account_id = "alice";
  n.granted_to = {"carol"};
  const Principal alice{"alice", Role::kCustomer};
  const Principal carol{"carol", Role::kCustomer};
  const Principal bob{"bob", Role::kCustomer};
  const Principal op{"operator", Role::kOperator};
  EXPECT_TRUE(CanUseNumber(alice, n));
  EXPECT_TRUE(CanUseNumber(carol, n));
  EXPECT_FALSE(CanUseNumber(bob, n));
  EXPECT_FALSE(CanUseNumber(op, n));
  EXPECT_TRUE(CanSeeNumber(op, n));
  EXPECT_FALSE(CanSeeNumber(bob, n));
}

TEST(VisibilityTest, ReleasedProductsAreGoneForTheirOwner) {
  Product p = Make(Kind::kEcs);
  const Principal alice{"alice", Role::kCustomer};
  const Principal op{"operator", Role::kOperator};
  EXPECT_TRUE(CanSeeProduct(alice, p));
  EXPECT_FALSE(CanSeeProduct(Principal{"bob", Role::kCustomer}, p));
  p.status = ProductStatus::kReleased;
  EXPECT_FALSE(CanSeeProduct(alice, p));
  EXPECT_TRUE(CanSeeProduct(op, p));
}

TEST(PrepareProductTest, RefusesBadIdsAndMissingExpiry) {
  ProductInput in;
  in.product = Make(Kind::kEcs);
  in.product.expires_at = Time{std::chrono::seconds{1800000000}};
  EXPECT_TRUE(PrepareProduct(in).ok());
  ProductInput bad_id = in;
  bad_id.product.id = "bad id";
  EXPECT_EQ(PrepareProduct(bad_id).error().errors.at(0).field, "id");
  ProductInput bad_account = in;
  bad_account.product.account_id = "system";
  EXPECT_EQ(PrepareProduct(bad_account).error().errors.at(0).field, "account_id");
  ProductInput no_expiry = in;
  no_expiry.product.expires_at.reset();
  EXPECT_EQ(PrepareProduct(no_expiry).error().errors.at(0).field, "expires_at");
}

TEST(PrepareProductTest, HashesThePasswordAndNeverKeepsIt) {
  ProductInput in;
  in.product = Make(Kind::kVhost);
  in.product.expires_at = Time{std::chrono::seconds{1800000000}};
  in.product.vhost_password_hash = "smuggled";
  in.vhost_password = "s3cret";
  Result<PreparedProduct> p = PrepareProduct(in);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->product.vhost_password_hash, "");
  ASSERT_TRUE(p->password_hash.has_value());
  EXPECT_TRUE(VerifyHostPassword(*p->password_hash, "s3cret"));
}

}  // namespace
}  // namespace beian::svc
