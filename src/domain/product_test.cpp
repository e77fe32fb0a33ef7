#include "domain/product.h"

#include <gtest/gtest.h>

#include <string>

namespace beian {
namespace {

TEST(Product, KindNamesRoundTrip) {
  const char* names[] = {"ecs",         "swas",        "vhost",
                         "shared_host", "web_hosting", "marketplace_site",
                         "nat_gateway", "ens",         "cxt_shop"};
  std::size_t i = 0;
  for (Kind k : kAllKinds) {
    EXPECT_EQ(KindName(k), names[i++]);
    EXPECT_EQ(ParseKind(KindName(k)), k);
    EXPECT_FALSE(KindTitle(k, false).empty());
    EXPECT_FALSE(KindTitle(k, true).empty());
  }
  EXPECT_FALSE(ParseKind("ECS").has_value());
  EXPECT_FALSE(ParseKind("").has_value());
  EXPECT_EQ(KindTitle(Kind::kEcs, false), "云服务器 ECS");
  EXPECT_EQ(KindTitle(Kind::kCxtShop, false), "诚信通旺铺");
}

TEST(Product, BillingAndStatusNames) {
  EXPECT_EQ(ParseBilling("subscription"), Billing::kSubscription);
  EXPECT_EQ(ParseBilling("pay_as_you_go"), Billing::kPayAsYouGo);
  EXPECT_EQ(BillingName(Billing::kPayAsYouGo), "pay_as_you_go");
  EXPECT_FALSE(ParseBilling("prepaid").has_value());
  for (auto s : {ProductStatus::kRunning, ProductStatus::kStopped, ProductStatus::kExpired,
                 ProductStatus::kReleased}) {
    EXPECT_EQ(ParseProductStatus(ProductStatusName(s)), s);
  }
  EXPECT_EQ(ProductStatusName(ProductStatus::kReleased), "released");
  EXPECT_FALSE(ParseProductStatus("Running").has_value());
}

TEST(Product, ProductIds) {
  EXPECT_TRUE(IsValidProductId("i-bp1a2b3c"));
  EXPECT_FALSE(IsValidProductId("acs:ecs:cn-hangzhou:123:instance/x"));  // no '/'

  EXPECT_TRUE(IsValidProductId("acs:ecs.cn_hz-1"));
  EXPECT_TRUE(IsValidProductId(std::string(128, 'a')));
  EXPECT_FALSE(IsValidProductId(std::string(129, 'a')));
  EXPECT_FALSE(IsValidProductId(""));
  EXPECT_FALSE(IsValidProductId("i bp1"));
  EXPECT_FALSE(IsValidProductId("实例"));
}

TEST(Product, AccountIds) {
  EXPECT_TRUE(IsValidAccountId("alice"));
  EXPECT_TRUE(IsValidAccountId("Alice_01.b-c"));
  EXPECT_TRUE(IsValidAccountId(std::string(64, 'z')));
  EXPECT_FALSE(IsValidAccountId(std::string(65, 'z')));
  EXPECT_FALSE(IsValidAccountId(""));
  EXPECT_FALSE(IsValidAccountId("a:b"));  // ':' only in product ids
  EXPECT_FALSE(IsValidAccountId("a@b"));
}

}  // namespace
}  // namespace beian
