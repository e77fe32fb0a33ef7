// Rules for using an already issued number (rules.md "A number's life").
#include <gtest/gtest.h>

#include "domain/eligibility.h"
#include "domain/test_products.h"

namespace beian {
namespace {

using testing::Codes;
using testing::Fileable;

using RC = ReasonCode;

const Time kNow = ParseRfc3339("2026-11-27T10:00:00+08:00").value();

TEST(Usability, IssuedNumberStaysUsableWhileProductIsAlive) {
  Product p = Fileable();
  EXPECT_TRUE(UsabilityFailures(p, DefaultPolicy(), kNow).empty());
  p.expires_at = AddMonthsCst(kNow, 1);  // the remaining-term minimum is for applying only
  p.billing = Billing::kPayAsYouGo;
  EXPECT_TRUE(UsabilityFailures(p, DefaultPolicy(), kNow).empty());
}

TEST(Usability, DeadProductFailsInOrder) {
  Product p = Fileable();
  p.region = "cn-hongkong";
  p.expires_at = kNow;
  p.public_ips.clear();
  EXPECT_EQ(Codes(UsabilityFailures(p, DefaultPolicy(), kNow)),
            (std::vector<RC>{RC::kRegionNotMainland, RC::kExpired, RC::kNoPublicIp}));
  p = Fileable();
  p.status = ProductStatus::kReleased;
  EXPECT_EQ(Codes(UsabilityFailures(p, DefaultPolicy(), kNow)), std::vector<RC>{RC::kExpired});
  p = Fileable(Kind::kVhost);
  p.public_ips.clear();
  EXPECT_TRUE(UsabilityFailures(p, DefaultPolicy(), kNow).empty());
}

}  // namespace
}  // namespace beian
