// Notices (domain/notices.h): when each kind is due and its occurrence key.
#include "domain/notices.h"

#include <gtest/gtest.h>

#include "domain/test_products.h"

namespace beian {
namespace {

using testing::Fileable;
using testing::TestNow;

constexpr std::chrono::seconds kDay{24 * 3600};

using testing::At;

ServiceNumber Available(const Product& p) {
  ServiceNumber n;
  n.code = "7K2QX-9MZ4P-R8T1V-C3W0A-4HJ9D";
  n.product_id = p.id;
  n.account_id = p.account_id;
  n.kind = p.kind;
  n.state = NumberState::kAvailable;
  return n;
}

TEST(NoticeNames, RoundTrip) {
  for (NoticeKind k : kAllNoticeKinds) EXPECT_EQ(ParseNoticeKind(NoticeKindName(k)), k);
  EXPECT_EQ(NoticeKindName(NoticeKind::kTermExpiring), "product.term_expiring");
  EXPECT_EQ(NoticeKindName(NoticeKind::kNumberLapsed), "number.lapsed");
  EXPECT_EQ(NoticeKindName(NoticeKind::kReviewOverdue), "filing.review_overdue");
  EXPECT_FALSE(ParseNoticeKind("product.created"));
  EXPECT_EQ(ParseLapseCause("no_public_ip"), LapseCause::kNoPublicIp);
}

TEST(TermExpiring, DueWhenTheTermFallsBelowTheMinimumWithinNoticeDays) {
  const Policy policy = DefaultPolicy();  // ecs: 3 months, notice 30 days
  Product p = Fileable();
  // Three months and 20 days left: below three months in 20 days.
  p.expires_at = AddMonthsCst(TestNow() + 20 * kDay, 3);
  const auto n = TermExpiringNotice(p, policy, TestNow(), true);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->kind, NoticeKind::kTermExpiring);
  EXPECT_EQ(n->account_id, "alice");
  EXPECT_EQ(n->object_id, p.id);
  EXPECT_EQ(n->occurred_at, *p.expires_at);
  EXPECT_EQ(n->due_at, TestNow() + 20 * kDay);
  EXPECT_EQ(n->min_months, 3);
}

TEST(TermExpiring, NotDueWhileMoreThanNoticeDaysRemainAboveTheMinimum) {
  Product p = Fileable();
  p.expires_at = AddMonthsCst(TestNow() + 31 * kDay, 3);
  EXPECT_FALSE(TermExpiringNotice(p, DefaultPolicy(), TestNow(), true));
  Policy longer = DefaultPolicy();
  longer.notice_days = 40;
  EXPECT_TRUE(TermExpiringNotice(p, longer, TestNow(), true));
}

TEST(TermExpiring, TheHorizonUsesTheKindsMinimum) {
  const Policy policy = DefaultPolicy();
  Product site = Fileable(Kind::kMarketplaceSite);  // 12 months
  site.expires_at = AddMonthsCst(TestNow(), 11);
  EXPECT_TRUE(TermExpiringNotice(site, policy, TestNow(), true));
  EXPECT_EQ(TermNoticeHorizon(policy.For(Kind::kMarketplaceSite), policy, TestNow()),
            AddMonthsCst(TestNow() + 30 * kDay, 12));
  Product nat = Fileable(Kind::kNatGateway);  // 1 month
  nat.expires_at = AddMonthsCst(TestNow(), 3);
  EXPECT_FALSE(TermExpiringNotice(nat, policy, TestNow(), true));
}

TEST(TermExpiring, AlreadyBelowTheMinimumButNotExpiredIsStillDue) {
  Product p = Fileable();
  p.expires_at = TestNow() + 10 * kDay;
  EXPECT_TRUE(TermExpiringNotice(p, DefaultPolicy(), TestNow(), true));
}

TEST(TermExpiring, NeverWithoutUnusedNumbersOrForGoneOrPayAsYouGoProducts) {
  const Policy policy = DefaultPolicy();
  Product p = Fileable();
  p.expires_at = TestNow() + 40 * kDay;
  EXPECT_FALSE(TermExpiringNotice(p, policy, TestNow(), false));
  Product expired = p;
  expired.expires_at = TestNow();
  EXPECT_FALSE(TermExpiringNotice(expired, policy, TestNow(), true));
  Product released = p;
  released.status = ProductStatus::kReleased;
  EXPECT_FALSE(TermExpiringNotice(released, policy, TestNow(), true));
  Product payg = p;
  payg.billing = Billing::kPayAsYouGo;
  EXPECT_FALSE(TermExpiringNotice(payg, policy, TestNow(), true));
  Product shop = p;
  shop.kind = Kind::kCxtShop;
  EXPECT_FALSE(TermExpiringNotice(shop, policy, TestNow(), true));
}

TEST(TermExpiring, ARenewedProductIsANewOccurrence) {
  Product p = Fileable();
  p.expires_at = TestNow() + 40 * kDay;
  const auto first = TermExpiringNotice(p, DefaultPolicy(), TestNow(), true);
  // Renewed by a year; a year later the term runs down again.
  p.expires_at = *p.expires_at + 365 * kDay;
  const auto second = TermExpiringNotice(p, DefaultPolicy(), TestNow() + 365 * kDay, true);
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->occurred_at, second->occurred_at);
}

TEST(NumberLapsed, ExpiredProductSinceItsExpiry) {
  Product p = Fileable();
  p.expires_at = TestNow() - kDay;
  p.updated_at = TestNow() - 100 * kDay;
  const ProductChanges changes{TestNow() - 100 * kDay, TestNow() - 100 * kDay};
  const auto n = NumberLapsedNotice(Available(p), p, changes, DefaultPolicy(), TestNow());
  ASSERT_TRUE(n);
  EXPECT_EQ(n->detail, "expired");
  EXPECT_EQ(n->occurred_at, TestNow() - kDay);
  EXPECT_EQ(n->object_id, "7K2QX-9MZ4P-R8T1V-C3W0A-4HJ9D");
  EXPECT_EQ(n->product_id, p.id);
}

TEST(NumberLapsed, ReleasedOrMarkedExpiredSinceTheStatusChanged) {
  Product p = Fileable();
  p.updated_at = TestNow() - kDay;  // another field changed later: not the lapse's time
  const ProductChanges changes{TestNow() - 2 * kDay, TestNow() - 50 * kDay};
  p.status = ProductStatus::kReleased;
  auto n = NumberLapsedNotice(Available(p), p, changes, DefaultPolicy(), TestNow());
  ASSERT_TRUE(n);
  EXPECT_EQ(n->detail, "released");
  EXPECT_EQ(n->occurred_at, changes.status_changed_at);
  p.status = ProductStatus::kExpired;
  n = NumberLapsedNotice(Available(p), p, changes, DefaultPolicy(), TestNow());
  ASSERT_TRUE(n);
  EXPECT_EQ(n->detail, "expired");
  EXPECT_EQ(n->occurred_at, changes.status_changed_at);
}

TEST(NumberLapsed, LostPublicIpOnlyForKindsThatNeedOne) {
  Product p = Fileable();
  p.public_ips.clear();
  p.updated_at = TestNow() - kDay;
  const ProductChanges changes{TestNow() - 9 * kDay, TestNow() - 3 * kDay};
  const auto n = NumberLapsedNotice(Available(p), p, changes, DefaultPolicy(), TestNow());
  ASSERT_TRUE(n);
  EXPECT_EQ(n->detail, "no_public_ip");
  EXPECT_EQ(n->occurred_at, changes.ips_changed_at);
  Product host = Fileable(Kind::kVhost);
  host.public_ips.clear();
  EXPECT_FALSE(NumberLapsedNotice(Available(host), host, changes, DefaultPolicy(), TestNow()));
}

TEST(NumberLapsed, NoneForUsableProductsOrNumbersNotAvailable) {
  Product p = Fileable();
  const ProductChanges changes{TestNow() - kDay, TestNow() - kDay};
  EXPECT_FALSE(NumberLapsedNotice(Available(p), p, changes, DefaultPolicy(), TestNow()));
  p.status = ProductStatus::kReleased;
  ServiceNumber filed = Available(p);
  filed.state = NumberState::kFiled;
  EXPECT_FALSE(NumberLapsedNotice(filed, p, changes, DefaultPolicy(), TestNow()));
}

TEST(ReviewOverdue, DueAfterTheReviewTime) {
  Policy policy = DefaultPolicy();
  policy.review_days = 20;
  Filing f;
  f.id = "f-aaaaaaaaaaaaaaaaaaaa";
  f.account_id = "bob";
  f.owner_id = "alice";
  f.domain = "example.com";
  f.state = FilingState::kInReview;
  f.created_at = TestNow() - 20 * kDay + std::chrono::seconds{1};
  EXPECT_FALSE(ReviewOverdueNotice(f, policy, TestNow()));
  f.created_at = TestNow() - 20 * kDay;
  const auto n = ReviewOverdueNotice(f, policy, TestNow());
  ASSERT_TRUE(n);
  EXPECT_EQ(n->account_id, "bob");
  EXPECT_EQ(n->occurred_at, f.created_at);
  EXPECT_EQ(n->due_at, TestNow());
  EXPECT_EQ(n->detail, "example.com");
  f.state = FilingState::kApproved;
  EXPECT_FALSE(ReviewOverdueNotice(f, policy, TestNow()));
}

TEST(NoticeMessage, BothLanguagesNameTheObjectAndTheRemedy) {
  Product p = Fileable();
  p.expires_at = At("2027-01-10T00:00:00+08:00");
  const auto n = TermExpiringNotice(p, DefaultPolicy(), TestNow(), true);
  ASSERT_TRUE(n);
  const Text t = NoticeMessage(*n, TestNow());
  EXPECT_NE(t.zh.find("i-bp1"), std::string::npos);
  EXPECT_NE(t.zh.find("续费"), std::string::npos);
  EXPECT_NE(t.en.find("Renew"), std::string::npos);
  EXPECT_NE(t.en.find("2027-01-10"), std::string::npos);
  Notice lapse = *n;
  lapse.kind = NoticeKind::kNumberLapsed;
  lapse.detail = "no_public_ip";
  EXPECT_NE(NoticeMessage(lapse, TestNow()).en.find("public IP"), std::string::npos);
}

TEST(DaysUntil, CountsStartedDays) {
  EXPECT_EQ(DaysUntil(TestNow(), TestNow()), 0);
  EXPECT_EQ(DaysUntil(TestNow(), TestNow() - kDay), 0);
  EXPECT_EQ(DaysUntil(TestNow(), TestNow() + std::chrono::seconds{1}), 1);
  EXPECT_EQ(DaysUntil(TestNow(), TestNow() + 2 * kDay), 2);
}

}  // namespace
}  // namespace beian

namespace beian {
namespace {

TEST(NoticePolicy, NoticeAndReviewDaysAreReadAndWritten) {
  const Result<Policy> p = ParsePolicy("[limits]\nnotice_days = 45\nreview_days = 7\n", "t");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->notice_days, 45);
  EXPECT_EQ(p->review_days, 7);
  EXPECT_EQ(DefaultPolicy().notice_days, 30);
  EXPECT_EQ(DefaultPolicy().review_days, 20);
  EXPECT_FALSE(ParsePolicy("[limits]\nreview_days = 0\n", "t").ok());
  const Result<Policy> back = ParsePolicy(PolicyToToml(*p), "t");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->notice_days, 45);
  EXPECT_EQ(back->review_days, 7);
}

}  // namespace
}  // namespace beian
