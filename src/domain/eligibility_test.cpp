// Eligibility rules (rules.md "Applying for a number"); the FAQ questions are named Faq.*.
#include "domain/eligibility.h"

#include <gtest/gtest.h>

#include "domain/messages.h"
#include "domain/test_products.h"

namespace beian {
namespace {

using testing::Codes;
using testing::Fileable;

using RC = ReasonCode;

using testing::At;

const Time kNow = At("2026-11-27T10:00:00+08:00");

std::vector<RC> Judge(const Product& p, int used = 0, bool owner = true) {
  const Eligibility e = Evaluate(p, DefaultPolicy(), kNow, used, owner);
  EXPECT_EQ(e.can_apply, e.reasons.empty());
  return Codes(e.reasons);
}

TEST(Eligibility, FileableEcsCanApply) {
  const Eligibility e = Evaluate(Fileable(), DefaultPolicy(), kNow, 2);
  EXPECT_TRUE(e.can_apply);
  EXPECT_TRUE(e.reasons.empty());
  EXPECT_TRUE(e.hints.empty());
  EXPECT_EQ(e.quota.scope, QuotaScope::kProduct);
  EXPECT_EQ(e.quota.limit, 5);
  EXPECT_EQ(e.quota.used, 2);
  EXPECT_EQ(e.quota.remaining(), 3);
}

// FAQ: 为什么我没有在申请备案服务号页面看到申请按钮？ — one test per cause.
TEST(Faq, ApplyButtonMissingWhenSignedInWithAnotherAccount) {
  EXPECT_EQ(Judge(Fileable(), 0, /*owner=*/false), std::vector<RC>{RC::kNotOwner});
}

TEST(Faq, PayAsYouGoEcsCannotApply) {
  Product p = Fileable();
  p.billing = Billing::kPayAsYouGo;
  p.expires_at.reset();  // pay-as-you-go has no end date; none is required
  const Eligibility e = Evaluate(p, DefaultPolicy(), kNow, 0);
  ASSERT_EQ(Codes(e.reasons), std::vector<RC>{RC::kPayAsYouGo});
  EXPECT_EQ(e.reasons[0].min_months, 3);
  EXPECT_NE(ReasonRemedy(e.reasons[0]).zh.find("包年包月"), std::string::npos);
  EXPECT_NE(ReasonRemedy(e.reasons[0]).zh.find("3 个月"), std::string::npos);
}

TEST(Faq, ApplyButtonMissingWithoutPublicBandwidth) {
  Product p = Fileable();
  p.public_ips.clear();
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kNoPublicIp});
}

TEST(Faq, ApplyButtonMissingWhenRemainingTermTooShort) {
  Product p = Fileable();
  p.expires_at = AddMonthsCst(kNow, 2);
  const Eligibility e = Evaluate(p, DefaultPolicy(), kNow, 0);
  ASSERT_EQ(Codes(e.reasons), std::vector<RC>{RC::kRemainingTermTooShort});
  EXPECT_EQ(e.reasons[0].renew_until, At("2027-02-27T10:00:00+08:00"));
  EXPECT_EQ(e.reasons[0].min_months, 3);
}

TEST(Faq, ApplyButtonMissingWhenServerExpired) {
  Product p = Fileable();
  p.expires_at = kNow - std::chrono::seconds{1};
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kExpired});  // not also REMAINING_TERM_TOO_SHORT
  p.expires_at = kNow;                                 // expires_at <= now
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kExpired});
  p = Fileable();
  p.status = ProductStatus::kExpired;  // the status says so even if the date does not
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kExpired});
}

TEST(Faq, ApplyButtonMissingWhenQuotaUsedUp) {
  EXPECT_EQ(Judge(Fileable(), 5), std::vector<RC>{RC::kQuotaExhausted});
  EXPECT_EQ(Judge(Fileable(), 9), std::vector<RC>{RC::kQuotaExhausted});
}

TEST(Faq, ApplyButtonMissingOutsideMainlandHongKongNeedsNoFiling) {
  Product p = Fileable();
  p.region = "cn-hongkong";
  const Eligibility e = Evaluate(p, DefaultPolicy(), kNow, 0);
  EXPECT_EQ(Codes(e.reasons), std::vector<RC>{RC::kRegionNotMainland});
  EXPECT_EQ(e.hints, std::vector<HintCode>{HintCode::kHongKongNoFilingNeeded});
  p.region = "ap-southeast-1";
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kRegionNotMainland});
}

TEST(Faq, VirtualHostCanApplyAndMayUseItsCredentials) {
  Product p = Fileable(Kind::kVhost);
  p.public_ips.clear();  // a virtual host needs no public IP
  const Eligibility e = Evaluate(p, DefaultPolicy(), kNow, 0);
  EXPECT_TRUE(e.can_apply);
  EXPECT_EQ(e.hints, std::vector<HintCode>{HintCode::kVhostCredentialsAccepted});
  EXPECT_TRUE(DefaultPolicy().For(Kind::kVhost).accepts_vhost_credentials);
}

TEST(Faq, SharedHostCanApply) {
  Product p = Fileable(Kind::kSharedHost);
  p.public_ips.clear();
  const Eligibility e = Evaluate(p, DefaultPolicy(), kNow, 0);
  EXPECT_TRUE(e.can_apply);
  EXPECT_TRUE(e.hints.empty());
}

// FAQ: 为什么显示该ECS实例无可备案的IP？
TEST(Faq, NoPublicIpEcsHasNoFileableIp) {
  Product p = Fileable();
  p.public_ips.clear();
  const Eligibility e = Evaluate(p, DefaultPolicy(), kNow, 0);
  ASSERT_EQ(Codes(e.reasons), std::vector<RC>{RC::kNoPublicIp});
  EXPECT_NE(ReasonMessage(e.reasons[0]).zh.find("该实例无可备案的IP"), std::string::npos);
  EXPECT_NE(ReasonRemedy(e.reasons[0]).zh.find("公网带宽"), std::string::npos);
}

// FAQ: 域名绑定诚信通商铺后如何申请备案号？
TEST(Faq, CxtShopNeedsNoNumber) {
  Product p = Fileable(Kind::kCxtShop);
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kNoServiceNumberNeeded});
  // The only reason, whatever else is wrong with it.
  p.billing = Billing::kPayAsYouGo;
  p.region = "us-west-1";
  p.status = ProductStatus::kExpired;
  p.public_ips.clear();
  EXPECT_EQ(Judge(p, 3, /*owner=*/false), std::vector<RC>{RC::kNoServiceNumberNeeded});
  EXPECT_NE(ReasonRemedy(Reason{.code = RC::kNoServiceNumberNeeded}).zh.find("旺铺备案系统"),
            std::string::npos);
}

// FAQ: 已经备案一个网站，现在要增加一个网站 — the quota of each kind.
TEST(Faq, QuotaPerKind) {
  struct Row {
    Kind kind;
    int limit;
    QuotaScope scope;
  };
  for (const Row& row :
       {Row{Kind::kEcs, 5, QuotaScope::kProduct}, Row{Kind::kSwas, 5, QuotaScope::kProduct},
        Row{Kind::kWebHosting, 5, QuotaScope::kAccount},
        Row{Kind::kMarketplaceSite, 1, QuotaScope::kProduct}}) {
    Product p = Fileable(row.kind);
    p.expires_at = AddMonthsCst(kNow, 12);
    const Eligibility last = Evaluate(p, DefaultPolicy(), kNow, row.limit - 1);
    EXPECT_TRUE(last.can_apply) << KindName(row.kind);
    EXPECT_EQ(last.quota.remaining(), 1);
    EXPECT_EQ(last.quota.scope, row.scope);
    const Eligibility full = Evaluate(p, DefaultPolicy(), kNow, row.limit);
    ASSERT_EQ(Codes(full.reasons), std::vector<RC>{RC::kQuotaExhausted}) << KindName(row.kind);
    EXPECT_EQ(full.reasons[0].quota_limit, row.limit);
    EXPECT_EQ(full.reasons[0].quota_per_account, row.scope == QuotaScope::kAccount);
    EXPECT_EQ(full.quota.remaining(), 0);
  }
}

TEST(Faq, MarketplaceProductHasExactlyOneNumber) {
  const Eligibility e = Evaluate(Fileable(Kind::kMarketplaceSite), DefaultPolicy(), kNow, 1);
  ASSERT_EQ(Codes(e.reasons), std::vector<RC>{RC::kQuotaExhausted});
  EXPECT_NE(ReasonMessage(e.reasons[0]).zh.find("只有 1 个"), std::string::npos);
  EXPECT_NE(ReasonMessage(e.reasons[0]).en.find("exactly one"), std::string::npos);
}

TEST(Eligibility, MinimumTermPerKind) {
  // web_hosting needs 6 months, marketplace_site 12, nat_gateway 1.
  Product p = Fileable(Kind::kWebHosting);
  p.expires_at = AddMonthsCst(kNow, 5);
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kRemainingTermTooShort});
  p.expires_at = AddMonthsCst(kNow, 6);
  EXPECT_TRUE(Judge(p).empty());
  p = Fileable(Kind::kMarketplaceSite);
  p.expires_at = AddMonthsCst(kNow, 12) - std::chrono::seconds{1};
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kRemainingTermTooShort});
  p = Fileable(Kind::kNatGateway);
  p.expires_at = AddMonthsCst(kNow, 1);
  EXPECT_TRUE(Judge(p, 1).empty());
  EXPECT_EQ(Judge(p, 2), std::vector<RC>{RC::kQuotaExhausted});
}

TEST(Eligibility, ExactlyTheMinimumIsEnough) {
  Product p = Fileable();
  p.expires_at = AddMonthsCst(kNow, 3);
  EXPECT_TRUE(Judge(p).empty());
  p.expires_at = *p.expires_at - std::chrono::seconds{1};
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kRemainingTermTooShort});
}

TEST(Eligibility, MonthEndRenewUntilIsClamped) {
  const Time now = At("2026-11-30T10:00:00+08:00");
  Product p = Fileable();
  p.expires_at = At("2027-02-28T09:59:59+08:00");
  const Eligibility e = Evaluate(p, DefaultPolicy(), now, 0);
  ASSERT_EQ(Codes(e.reasons), std::vector<RC>{RC::kRemainingTermTooShort});
  EXPECT_EQ(FormatRfc3339Cst(*e.reasons[0].renew_until), "2027-02-28T10:00:00+08:00");
  p.expires_at = At("2027-02-28T10:00:00+08:00");
  EXPECT_TRUE(Evaluate(p, DefaultPolicy(), now, 0).can_apply);
}

TEST(Eligibility, RemainingTermIsCountedOnTheCstCalendar) {
  // 2026-11-29T20:00Z is 2026-11-30 04:00 in CST, so 3 months on is 2027-02-28 04:00 CST. On the
  // UTC calendar it would be 2027-02-28T20:00Z, sixteen hours later.
  const Time now = At("2026-11-29T20:00:00Z");
  Product p = Fileable();
  p.expires_at = At("2027-02-28T12:00:00+08:00");
  EXPECT_TRUE(Evaluate(p, DefaultPolicy(), now, 0).can_apply);
  p.expires_at = At("2027-02-28T03:59:59+08:00");
  const Eligibility e = Evaluate(p, DefaultPolicy(), now, 0);
  ASSERT_EQ(Codes(e.reasons), std::vector<RC>{RC::kRemainingTermTooShort});
  EXPECT_EQ(*e.reasons[0].renew_until, At("2027-02-28T04:00:00+08:00"));
}

TEST(Eligibility, RemedyGivesTheCstDateAcrossTheDateLine) {
  // 2026-11-30T20:00Z is already 2026-12-01 in CST: renew until 2027-03-01, not 2027-02-28.
  const Time now = At("2026-11-30T20:00:00Z");
  Product p = Fileable();
  p.expires_at = AddMonthsCst(now, 1);
  const Eligibility e = Evaluate(p, DefaultPolicy(), now, 0);
  ASSERT_EQ(Codes(e.reasons), std::vector<RC>{RC::kRemainingTermTooShort});
  EXPECT_NE(ReasonRemedy(e.reasons[0]).zh.find("2027-03-01"), std::string::npos);
  EXPECT_NE(ReasonRemedy(e.reasons[0]).en.find("2027-03-01"), std::string::npos);
}

TEST(Eligibility, EveryFailingReasonInDocumentedOrder) {
  Product p = Fileable();
  p.region = "cn-hongkong";
  p.billing = Billing::kPayAsYouGo;
  p.status = ProductStatus::kExpired;
  p.public_ips.clear();
  const Eligibility e = Evaluate(p, DefaultPolicy(), kNow, 5, /*asker_is_owner=*/false);
  EXPECT_FALSE(e.can_apply);
  EXPECT_EQ(Codes(e.reasons),
            (std::vector<RC>{RC::kNotOwner, RC::kRegionNotMainland, RC::kPayAsYouGo, RC::kExpired,
                             RC::kNoPublicIp, RC::kQuotaExhausted}));
  EXPECT_EQ(e.hints, std::vector<HintCode>{HintCode::kHongKongNoFilingNeeded});
}

TEST(Eligibility, ShortTermOrderedBetweenBillingAndPublicIp) {
  Product p = Fileable();
  p.region = "us-east-1";
  p.expires_at = AddMonthsCst(kNow, 1);
  p.public_ips.clear();
  EXPECT_EQ(Judge(p, 5), (std::vector<RC>{RC::kRegionNotMainland, RC::kRemainingTermTooShort,
                                          RC::kNoPublicIp, RC::kQuotaExhausted}));
}

TEST(Eligibility, ReleasedProductCountsAsExpired) {
  Product p = Fileable();
  p.status = ProductStatus::kReleased;
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kExpired});
}

TEST(Eligibility, StoppedProductIsJudgedByTheRules) {
  Product p = Fileable();
  p.status = ProductStatus::kStopped;
  EXPECT_TRUE(Judge(p).empty());
}

TEST(Eligibility, SubscriptionWithoutEndDateFailsClosed) {
  Product p = Fileable();
  p.expires_at.reset();
  EXPECT_EQ(Judge(p), std::vector<RC>{RC::kRemainingTermTooShort});
}

TEST(Eligibility, PolicyChangesTheRules) {
  Policy policy = DefaultPolicy();
  policy.kinds[Kind::kEcs].quota = 10;
  policy.kinds[Kind::kEcs].needs_public_ip = false;
  policy.non_mainland_regions = {"cn-hangzhou"};
  Product p = Fileable();
  p.public_ips.clear();
  EXPECT_EQ(Codes(Evaluate(p, policy, kNow, 7).reasons), std::vector<RC>{RC::kRegionNotMainland});
}

TEST(Eligibility, FileableIgnoresQuotaButNotTheProduct) {
  EXPECT_TRUE(IsFileable(Fileable(), DefaultPolicy(), kNow));
  EXPECT_FALSE(IsFileable(Fileable(Kind::kCxtShop), DefaultPolicy(), kNow));  // gets no numbers
  Product hk = Fileable();
  hk.region = "cn-hongkong";
  EXPECT_FALSE(IsFileable(hk, DefaultPolicy(), kNow));
  Product payg = Fileable();
  payg.billing = Billing::kPayAsYouGo;
  payg.expires_at.reset();
  EXPECT_FALSE(IsFileable(payg, DefaultPolicy(), kNow));
  Product expired = Fileable();
  expired.expires_at = kNow;
  EXPECT_FALSE(IsFileable(expired, DefaultPolicy(), kNow));
  Product released = Fileable();
  released.status = ProductStatus::kReleased;
  EXPECT_FALSE(IsFileable(released, DefaultPolicy(), kNow));
}

}  // namespace
}  // namespace beian
