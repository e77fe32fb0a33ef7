// Service use cases on both backends: roles, isolation of accounts, the number's life, attempt
// limits, grants, host credentials, automatic issue, idempotency, events.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>

#include "domain/service_number.h"
#include "store/service_test_base.h"
#include "store/store.h"

namespace beian::testing {
namespace {

// A well-formed code that no one was issued.
std::string UnknownCode() {
  return GenerateServiceNumber(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> ReasonCodes(const Error& e) {
  std::vector<std::string> out;
  for (const Reason& r : e.reasons) out.emplace_back(ReasonCodeName(r.code));
  return out;
}

// One NDJSON import line: an ECS subscription product `id` of `account` in cn-hangzhou that expires
// 2027-11-27, followed by a newline.
std::string ImportLine(const std::string& id, const std::string& account) {
  return R"({"id":")" + id + R"(","account_id":")" + account +
         R"(","kind":"ecs","billing":"subscription","region":"cn-hangzhou",)"
         R"("public_ips":["47.96.1.2"],"expires_at":"2027-11-27T00:00:00+08:00"})"
         "\n";
}

class ServiceRulesTest : public ServiceTestBase {
 protected:
  // Rows per table of the tables a use case may write.
  std::map<std::string, int64_t> RowCounts() {
    std::map<std::string, int64_t> out;
    for (const char* table : {"accounts", "products", "quota_scopes", "service_numbers", "grants",
                              "filings", "events", "idempotency", "attempts", "tokens"}) {
      out[table] = ReadTx([&](Tx& tx) {
        return tx.conn().Query(std::string("SELECT COUNT(*) FROM ") + table)[0].Int(0);
      });
    }
    return out;
  }
};

TEST_P(ServiceRulesTest, TokensAuthenticateTheirAccountAndAreStoredOnlyAsHashes) {
  w().AddCustomers();
  Result<std::string> token = svc().IssueToken(w().op, "alice");
  ASSERT_TRUE(token.ok());
  Result<Principal> who = svc().Authenticate(*token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->account_id, "alice");
  EXPECT_EQ(who->role, Role::kCustomer);
  std::string wrong = *token;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(CodeOf(svc().Authenticate(wrong)), "UNAUTHENTICATED");
  EXPECT_EQ(CodeOf(svc().Authenticate("")), "UNAUTHENTICATED");
  EXPECT_EQ(CodeOf(svc().IssueToken(w().alice, "bob")), "FORBIDDEN");
  EXPECT_EQ(CodeOf(svc().IssueToken(w().op, "nobody")), "NOT_FOUND");
  Result<EventPage> events = svc().ListEvents(w().op, 0, 500);
  ASSERT_TRUE(events.ok());
  bool issued = false;
  for (const Event& e : events->items) {
    EXPECT_EQ(e.data_json.find(*token), std::string::npos);
    issued = issued || (e.type == "token.issued" && e.account_id == "alice");
  }
  EXPECT_TRUE(issued);
}

TEST_P(ServiceRulesTest, OperatorOnlyMethodsAreForbiddenToCustomers) {
  w().AddCustomers();
  std::istringstream empty;
  EXPECT_EQ(CodeOf(svc().UpsertProduct(w().alice, w().Fileable("p1", "alice"))), "FORBIDDEN");
  EXPECT_EQ(CodeOf(svc().Import(w().alice, empty)), "FORBIDDEN");
  EXPECT_EQ(CodeOf(svc().ReleaseProduct(w().alice, "p1")), "FORBIDDEN");
  EXPECT_EQ(CodeOf(svc().PutAccount(
                w().alice, AccountChange{"x", Role::kOperator, std::nullopt, "", std::nullopt})),
            "FORBIDDEN");
  w().Put(w().Fileable("p1", "alice"));
  Result<Filing> f = svc().SubmitFiling(
      w().alice, FilingRequest{"example.com", w().MustApply(w().alice, "p1"), std::nullopt});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(CodeOf(svc().Approve(w().alice, f->id)), "FORBIDDEN");
  EXPECT_EQ(CodeOf(svc().Reject(w().alice, f->id, "no")), "FORBIDDEN");
  EXPECT_EQ(CodeOf(svc().Apply(w().op, "p1")), "FORBIDDEN");
}

TEST_P(ServiceRulesTest, ApplyIssuesUpToTheQuotaThenNamesTheReason) {
  w().Put(w().Fileable("p1", "alice"));
  std::set<std::string> codes;
  for (int i = 0; i < 5; ++i) codes.insert(w().MustApply(w().alice, "p1"));
  EXPECT_EQ(codes.size(), 5u);
  for (const std::string& c : codes) EXPECT_TRUE(ParseServiceNumber(c).has_value()) << c;
  Result<NumberView> sixth = svc().Apply(w().alice, "p1");
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(CodeOf(sixth), "NOT_ELIGIBLE");
  EXPECT_THAT(ReasonCodes(sixth.error()), ElementsAre("QUOTA_EXHAUSTED"));
  Result<ProductView> view = svc().GetProduct(w().alice, "p1");
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->eligibility.quota.used, 5);
  EXPECT_FALSE(view->eligibility.can_apply);
}

TEST_P(ServiceRulesTest, RefusedApplyWritesNothing) {
  ProductInput payg = w().Fileable("payg", "alice");
  payg.product.billing = Billing::kPayAsYouGo;
  payg.product.expires_at.reset();
  payg.product.region = "cn-hongkong";
  w().Put(payg);
  const std::map<std::string, int64_t> before = RowCounts();
  Result<NumberView> r = svc().Apply(w().alice, "payg");
  EXPECT_EQ(CodeOf(r), "NOT_ELIGIBLE");
  EXPECT_THAT(ReasonCodes(r.error()), ElementsAre("REGION_NOT_MAINLAND", "PAY_AS_YOU_GO"));
  Result<Page<NumberView>> numbers = svc().ListNumbers(w().op, NumberQuery{});
  ASSERT_TRUE(numbers.ok());
  EXPECT_THAT(numbers->items, IsEmpty());
  // Nothing at all: no quota scope row, no event, no idempotency record.
  EXPECT_EQ(RowCounts(), before);
}

TEST_P(ServiceRulesTest, ShopsNeedNoNumber) {
  ProductInput shop = w().Fileable("shop-1", "alice", Kind::kCxtShop);
  w().Put(shop);
  Result<NumberView> r = svc().Apply(w().alice, "shop-1");
  EXPECT_EQ(CodeOf(r), "NOT_ELIGIBLE");
  EXPECT_THAT(ReasonCodes(r.error()), ElementsAre("NO_SERVICE_NUMBER_NEEDED"));
}

TEST_P(ServiceRulesTest, WebHostingQuotaIsSharedByTheAccountsProducts) {
  w().Put(w().Fileable("wh-1", "alice", Kind::kWebHosting));
  w().Put(w().Fileable("wh-2", "alice", Kind::kWebHosting));
  w().Put(w().Fileable("wh-b", "bob", Kind::kWebHosting));
  for (int i = 0; i < 3; ++i) w().MustApply(w().alice, "wh-1");
  for (int i = 0; i < 2; ++i) w().MustApply(w().alice, "wh-2");
  EXPECT_EQ(CodeOf(svc().Apply(w().alice, "wh-1")), "NOT_ELIGIBLE");
  EXPECT_EQ(CodeOf(svc().Apply(w().alice, "wh-2")), "NOT_ELIGIBLE");
  w().MustApply(w().bob, "wh-b");  // another account's scope
  Result<Overview> o = svc().GetOverview(w().alice);
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(o->account_quotas.size(), 1u);
  EXPECT_EQ(o->account_quotas[0].kind, Kind::kWebHosting);
  EXPECT_EQ(o->account_quotas[0].quota.used, 5);
  EXPECT_EQ(o->account_quotas[0].quota.limit, 5);
}

TEST_P(ServiceRulesTest, OtherAccountsLearnNothing) {
  w().AddCustomers();
  w().Put(w().Fileable("p1", "alice"));
  const std::string code = w().MustApply(w().alice, "p1");
  Result<Filing> f =
      svc().SubmitFiling(w().alice, FilingRequest{"example.com", code, std::nullopt});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(CodeOf(svc().GetProduct(w().bob, "p1")), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().GetProduct(w().bob, "missing")), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().Apply(w().bob, "p1")), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().GetNumber(w().bob, code)), "SN_NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().Grant(w().bob, code, "carol")), "SN_NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().SubmitFiling(w().bob, FilingRequest{"b.com", code, std::nullopt})),
            "SN_NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().GetFiling(w().bob, f->id)), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().Withdraw(w().bob, f->id)), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().Cancel(w().bob, f->id)), "NOT_FOUND");
  EXPECT_THAT(svc().ListProducts(w().bob, ProductQuery{})->items, IsEmpty());
  EXPECT_THAT(svc().ListNumbers(w().bob, NumberQuery{})->items, IsEmpty());
  EXPECT_THAT(svc().ListFilings(w().bob, FilingQuery{})->items, IsEmpty());
  ProductQuery other;
  other.account_id = "alice";  // ignored for customers
  EXPECT_THAT(svc().ListProducts(w().bob, other)->items, IsEmpty());
  Result<EventPage> events = svc().ListEvents(w().bob, 0, 500);
  ASSERT_TRUE(events.ok());
  for (const Event& e : events->items) EXPECT_EQ(e.account_id, "bob");
  EXPECT_EQ(svc().ListProducts(w().alice, ProductQuery{})->items.size(), 1u);
}

TEST_P(ServiceRulesTest, FiledAndVoidedNumbersNeverReturnToUse) {
  w().Put(w().Fileable("p1", "alice"));
  const std::string code = w().MustApply(w().alice, "p1");
  Result<Filing> f = svc().SubmitFiling(w().alice, FilingRequest{"a.com", code, std::nullopt});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->state, FilingState::kInReview);
  EXPECT_EQ(CodeOf(svc().SubmitFiling(w().alice, FilingRequest{"b.com", code, std::nullopt})),
            "SN_IN_REVIEW");
  ASSERT_TRUE(svc().Approve(w().op, f->id).ok());
  EXPECT_EQ(svc().GetNumber(w().alice, code)->number.state, NumberState::kFiled);
  // Filed: only cancelling the filing moves it, and only to voided.
  EXPECT_EQ(CodeOf(svc().SubmitFiling(w().alice, FilingRequest{"b.com", code, std::nullopt})),
            "SN_ALREADY_FILED");
  EXPECT_EQ(CodeOf(svc().Approve(w().op, f->id)), "INVALID_STATE");
  EXPECT_EQ(CodeOf(svc().Reject(w().op, f->id, "x")), "INVALID_STATE");
  EXPECT_EQ(CodeOf(svc().Withdraw(w().alice, f->id)), "INVALID_STATE");
  EXPECT_EQ(CodeOf(svc().Grant(w().alice, code, "bob")), "INVALID_STATE");
  EXPECT_EQ(svc().GetNumber(w().alice, code)->number.state, NumberState::kFiled);
  ASSERT_TRUE(svc().Cancel(w().alice, f->id).ok());
  Result<NumberView> voided = svc().GetNumber(w().alice, code);
  EXPECT_EQ(voided->number.state, NumberState::kVoided);
  EXPECT_FALSE(voided->usable);
  // Voided: nothing moves it again.
  EXPECT_EQ(CodeOf(svc().SubmitFiling(w().alice, FilingRequest{"c.com", code, std::nullopt})),
            "SN_VOIDED");
  EXPECT_EQ(CodeOf(svc().Approve(w().op, f->id)), "INVALID_STATE");
  EXPECT_EQ(CodeOf(svc().Reject(w().op, f->id, "x")), "INVALID_STATE");
  EXPECT_EQ(CodeOf(svc().Withdraw(w().alice, f->id)), "INVALID_STATE");
  EXPECT_EQ(CodeOf(svc().Cancel(w().op, f->id)), "INVALID_STATE");
  EXPECT_EQ(CodeOf(svc().Grant(w().alice, code, "bob")), "INVALID_STATE");
  EXPECT_EQ(svc().GetNumber(w().alice, code)->number.state, NumberState::kVoided);
  // The voided number still counts: quota used 1.
  EXPECT_EQ(svc().GetProduct(w().alice, "p1")->eligibility.quota.used, 1);
}

// Lists build their views from one quota and one product read per page: each row must still get
// its own product's quota and usability.
TEST_P(ServiceRulesTest, ListedViewsCarryEachRowsOwnQuotaAndUsability) {
  w().Put(w().Fileable("p1", "alice"));
  w().Put(w().Fileable("p2", "alice"));
  w().Put(w().Fileable("p3", "alice"));
  const std::string a = w().MustApply(w().alice, "p1");
  const std::string b = w().MustApply(w().alice, "p1");
  const std::string c = w().MustApply(w().alice, "p2");
  ProductInput expired = w().Fileable("p2", "alice");
  expired.product.status = ProductStatus::kExpired;
  w().Put(expired);
  const Result<Page<ProductView>> products = svc().ListProducts(w().alice, ProductQuery{});
  ASSERT_TRUE(products.ok());
  std::map<std::string, int> used;
  for (const ProductView& v : products->items) used[v.product.id] = v.eligibility.quota.used;
  EXPECT_EQ(used, (std::map<std::string, int>{{"p1", 2}, {"p2", 1}, {"p3", 0}}));
  const Result<Page<NumberView>> numbers = svc().ListNumbers(w().alice, NumberQuery{});
  ASSERT_TRUE(numbers.ok());
  std::map<std::string, bool> usable;
  for (const NumberView& n : numbers->items) usable[n.number.code] = n.usable;
  EXPECT_EQ(usable, (std::map<std::string, bool>{{a, true}, {b, true}, {c, false}}));
}

TEST_P(ServiceRulesTest, RejectedAndWithdrawnFilingsGiveTheNumberBack) {
  w().Put(w().Fileable("p1", "alice"));
  const std::string code = w().MustApply(w().alice, "p1");
  Result<Filing> f1 = svc().SubmitFiling(w().alice, FilingRequest{"a.com", code, std::nullopt});
  ASSERT_TRUE(f1.ok());
  Result<Filing> rejected = svc().Reject(w().op, f1->id, "wrong name");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->state, FilingState::kRejected);
  EXPECT_EQ(rejected->reason, "wrong name");
  Result<NumberView> n = svc().GetNumber(w().alice, code);
  EXPECT_EQ(n->number.state, NumberState::kAvailable);
  EXPECT_FALSE(n->number.domain.has_value());
  EXPECT_TRUE(n->usable);
  Result<Filing> f2 = svc().SubmitFiling(w().alice, FilingRequest{"a.com", code, std::nullopt});
  ASSERT_TRUE(f2.ok());
  ASSERT_TRUE(svc().Withdraw(w().alice, f2->id).ok());
  EXPECT_EQ(svc().GetNumber(w().alice, code)->number.state, NumberState::kAvailable);
  EXPECT_EQ(CodeOf(svc().Cancel(w().alice, f2->id)), "INVALID_STATE");
}

TEST_P(ServiceRulesTest, FilingChecksComeInTheDocumentedOrder) {
  w().Put(w().Fileable("p1", "alice"));
  const std::string c1 = w().MustApply(w().alice, "p1");
  const std::string c2 = w().MustApply(w().alice, "p1");
  auto file = [&](const std::string& domain, const std::string& code) {
    return CodeOf(svc().SubmitFiling(w().alice, FilingRequest{domain, code, std::nullopt}));
  };
  EXPECT_EQ(file("localhost", "garbage"), "INVALID_DOMAIN");
  EXPECT_EQ(file("example.com", "garbage"), "SN_MALFORMED");
  EXPECT_EQ(file("example.com", UnknownCode()), "SN_NOT_FOUND");
  EXPECT_EQ(file("例子.中国", c1), "OK");
  Result<Page<Filing>> filings = svc().ListFilings(w().alice, FilingQuery{});
  ASSERT_EQ(filings->items.size(), 1u);
  EXPECT_EQ(filings->items[0].domain, "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(file("XN--FSQU00A.xn--fiqs8s.", c2), "DOMAIN_IN_USE");
  // The product expired: its number can no longer be used.
  ProductInput expired = w().Fileable("p1", "alice");
  expired.product.status = ProductStatus::kExpired;
  w().Put(expired);
  Result<Filing> r = svc().SubmitFiling(w().alice, FilingRequest{"b.com", c2, std::nullopt});
  EXPECT_EQ(CodeOf(r), "PRODUCT_NOT_ELIGIBLE");
  EXPECT_THAT(ReasonCodes(r.error()), ElementsAre("EXPIRED"));
  EXPECT_FALSE(svc().GetNumber(w().alice, c2)->usable);
}

TEST_P(ServiceRulesTest, TooManyAttemptsAfterTheLimitOfUnknownNumbers) {
  w().Put(w().Fileable("p1", "alice"));
  const std::string mine = w().MustApply(w().alice, "p1");
  for (int i = 0; i < 20; ++i) {  // malformed text is no guess and never counts
    EXPECT_EQ(CodeOf(svc().GetNumber(w().alice, "ABCDE")), "SN_MALFORMED");
  }
  const int limit = svc().policy().sn_lookup_limit;
  for (int i = 0; i < limit - 1; ++i) {
    EXPECT_EQ(
        CodeOf(svc().SubmitFiling(w().alice, FilingRequest{"x.com", UnknownCode(), std::nullopt})),
        "SN_NOT_FOUND");
  }
  EXPECT_EQ(CodeOf(svc().GetNumber(w().alice, UnknownCode())), "SN_NOT_FOUND");
  // Locked out: every miss is refused (GET, filings, grants), saying when to retry (all attempts
  // were at the same instant here)...
  Result<NumberView> locked = svc().GetNumber(w().alice, UnknownCode());
  EXPECT_EQ(CodeOf(locked), "TOO_MANY_ATTEMPTS");
  EXPECT_EQ(locked.error().retry_after, svc().policy().sn_lookup_window + std::chrono::seconds(1));
  EXPECT_EQ(
      CodeOf(svc().SubmitFiling(w().alice, FilingRequest{"x.com", UnknownCode(), std::nullopt})),
      "TOO_MANY_ATTEMPTS");
  EXPECT_EQ(CodeOf(svc().Grant(w().alice, UnknownCode(), "bob")), "TOO_MANY_ATTEMPTS");
  // ... but the numbers alice may use are still answered: 429 tells nothing she could not see.
  EXPECT_EQ(CodeOf(svc().GetNumber(w().alice, mine)), "OK");
  EXPECT_EQ(CodeOf(svc().GetNumber(w().bob, UnknownCode())), "SN_NOT_FOUND");
  w().Advance(svc().policy().sn_lookup_window + std::chrono::seconds(1));
  EXPECT_EQ(CodeOf(svc().GetNumber(w().alice, UnknownCode())), "SN_NOT_FOUND");
}

TEST_P(ServiceRulesTest, ExpiredAttemptsAreEventuallyPurged) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        CodeOf(svc().SubmitFiling(w().alice, FilingRequest{"x.com", UnknownCode(), std::nullopt})),
        "SN_NOT_FOUND");
  }
  const auto alice_attempts = [&] {
    return ReadTx([](Tx& tx) { return tx.CountAttempts("sn:alice", Time{}); });
  };
  ASSERT_EQ(alice_attempts(), 3);
  w().Advance(std::chrono::hours(1));  // past every attempt window
  for (int i = 0; i < 1024; ++i) {     // housekeeping runs every 1024 filings or applies
    (void)svc().SubmitFiling(w().bob, FilingRequest{"y.com", UnknownCode(), std::nullopt});
  }
  EXPECT_EQ(alice_attempts(), 0);
}

TEST_P(ServiceRulesTest, GrantsLetAnotherAccountFileWithTheNumber) {
  w().AddCustomers();
  w().Put(w().Fileable("p1", "alice"));
  const std::string code = w().MustApply(w().alice, "p1");
  EXPECT_EQ(CodeOf(svc().Grant(w().alice, code, "nobody")), "INVALID_REQUEST");
  EXPECT_EQ(CodeOf(svc().Grant(w().alice, code, "alice")), "INVALID_REQUEST");
  Result<NumberView> g = svc().Grant(w().alice, code, "carol");
  ASSERT_TRUE(g.ok());
  EXPECT_THAT(g->number.granted_to, ElementsAre("carol"));
  EXPECT_EQ(CodeOf(svc().GetNumber(w().carol, code)), "OK");
  EXPECT_EQ(CodeOf(svc().GetNumber(w().bob, code)), "SN_NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().Grant(w().carol, code, "bob")), "FORBIDDEN");
  EXPECT_EQ(svc().ListNumbers(w().carol, NumberQuery{})->items.size(), 1u);
  Result<Filing> f = svc().SubmitFiling(w().carol, FilingRequest{"carol.cn", code, std::nullopt});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->account_id, "carol");
  EXPECT_EQ(f->owner_id, "alice");
  EXPECT_EQ(CodeOf(svc().GetFiling(w().alice, f->id)), "OK");
  EXPECT_EQ(CodeOf(svc().Grant(w().alice, code, "bob")), "INVALID_STATE");
}

TEST_P(ServiceRulesTest, VhostCredentialsFileWithoutANumber) {
  ProductInput vhost = w().Fileable("vh-1", "alice", Kind::kVhost);
  vhost.product.public_ips.clear();
  vhost.product.vhost_username = "h-demo";
  vhost.vhost_password = "demo-pass-1";
  w().Put(vhost);
  auto file = [&](const Principal& who, const std::string& domain, const std::string& user,
                  const std::string& pw) {
    FilingRequest req;
    req.domain = domain;
    req.vhost = VhostCredentials{"vh-1", user, pw};
    return svc().SubmitFiling(who, req);
  };
  Result<Filing> ok = file(w().alice, "vhost.cn", "h-demo", "demo-pass-1");
  ASSERT_TRUE(ok.ok()) << CodeOf(ok);
  EXPECT_FALSE(ok->service_number.has_value());
  EXPECT_EQ(ok->product_id, "vh-1");
  EXPECT_EQ(CodeOf(file(w().bob, "bob.cn", "h-demo", "demo-pass-1")), "VHOST_CREDENTIALS_INVALID");
  // Re-upserting without a password keeps the hash.
  vhost.vhost_password.reset();
  vhost.product.name = "renamed";
  w().Put(vhost);
  EXPECT_EQ(CodeOf(file(w().alice, "vhost2.cn", "h-demo", "demo-pass-1")), "OK");
  const int limit = svc().policy().vhost_password_limit;
  EXPECT_EQ(CodeOf(file(w().alice, "v3.cn", "someone", "demo-pass-1")),
            "VHOST_CREDENTIALS_INVALID");
  for (int i = 1; i < limit; ++i) {
    EXPECT_EQ(CodeOf(file(w().alice, "v3.cn", "h-demo", "wrong")), "VHOST_CREDENTIALS_INVALID");
  }
  EXPECT_EQ(CodeOf(file(w().alice, "v3.cn", "h-demo", "demo-pass-1")), "TOO_MANY_ATTEMPTS");
  w().Advance(svc().policy().vhost_password_window + std::chrono::seconds(1));
  EXPECT_EQ(CodeOf(file(w().alice, "v3.cn", "h-demo", "demo-pass-1")), "OK");
  // An ecs product never accepts host credentials.
  w().Put(w().Fileable("p1", "alice"));
  FilingRequest ecs{"e.cn", std::nullopt, VhostCredentials{"p1", "", ""}};
  EXPECT_EQ(CodeOf(svc().SubmitFiling(w().alice, ecs)), "VHOST_CREDENTIALS_INVALID");
}

TEST_P(ServiceRulesTest, MarketplaceNumberIsIssuedOnceAutomatically) {
  ProductInput short_term = w().Fileable("mkt-1", "alice", Kind::kMarketplaceSite);
  short_term.product.expires_at = AddMonthsCst(w().now(), 6);  // needs 12 months
  UpsertOutcome first = w().Put(short_term);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(first.issued.has_value());
  ProductInput renewed = w().Fileable("mkt-1", "alice", Kind::kMarketplaceSite);
  renewed.product.expires_at = AddMonthsCst(w().now(), 13);
  UpsertOutcome second = w().Put(renewed);
  EXPECT_FALSE(second.created);
  ASSERT_TRUE(second.issued.has_value());
  EXPECT_EQ(second.issued->product_id, "mkt-1");
  Result<NumberView> again = svc().Apply(w().alice, "mkt-1");
  EXPECT_EQ(CodeOf(again), "NOT_ELIGIBLE");
  EXPECT_THAT(ReasonCodes(again.error()), ElementsAre("QUOTA_EXHAUSTED"));
  renewed.product.name = "changed";
  EXPECT_FALSE(w().Put(renewed).issued.has_value());
  NumberQuery q;
  q.product_id = "mkt-1";
  EXPECT_EQ(svc().ListNumbers(w().alice, q)->items.size(), 1u);
}

TEST_P(ServiceRulesTest, IdempotentApplyReplaysTheSameNumber) {
  w().Put(w().Fileable("p1", "alice"));
  w().Put(w().Fileable("p2", "alice"));
  Result<NumberView> a = svc().Apply(w().alice, "p1", "key-1");
  ASSERT_TRUE(a.ok());
  Result<NumberView> b = svc().Apply(w().alice, "p1", "key-1");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->number.code, b->number.code);
  EXPECT_EQ(svc().GetProduct(w().alice, "p1")->eligibility.quota.used, 1);
  EXPECT_EQ(CodeOf(svc().Apply(w().alice, "p2", "key-1")), "IDEMPOTENCY_KEY_REUSED");
  // Keys are per account.
  w().Put(w().Fileable("pb", "bob"));
  EXPECT_EQ(CodeOf(svc().Apply(w().bob, "pb", "key-1")), "OK");
}

TEST_P(ServiceRulesTest, ReleasedProductsVanishForCustomers) {
  w().Put(w().Fileable("p1", "alice"));
  const std::string code = w().MustApply(w().alice, "p1");
  ASSERT_TRUE(svc().ReleaseProduct(w().op, "p1").ok());
  ASSERT_TRUE(svc().ReleaseProduct(w().op, "p1").ok());  // twice is fine
  EXPECT_EQ(CodeOf(svc().ReleaseProduct(w().op, "missing")), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().GetProduct(w().alice, "p1")), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().Apply(w().alice, "p1")), "NOT_FOUND");
  EXPECT_EQ(svc().GetProduct(w().op, "p1")->product.status, ProductStatus::kReleased);
  EXPECT_THAT(svc().ListProducts(w().alice, ProductQuery{})->items, IsEmpty());
  EXPECT_EQ(CodeOf(svc().SubmitFiling(w().alice, FilingRequest{"a.com", code, std::nullopt})),
            "PRODUCT_NOT_ELIGIBLE");
}

TEST_P(ServiceRulesTest, ProductsCannotMoveToAnotherAccountOrAnOperator) {
  w().Put(w().Fileable("p1", "alice"));
  EXPECT_EQ(CodeOf(svc().UpsertProduct(w().op, w().Fileable("p1", "bob"))), "INVALID_REQUEST");
  ASSERT_TRUE(
      svc()
          .PutAccount(w().op, AccountChange{"ops", Role::kOperator, std::nullopt, "", std::nullopt})
          .ok());
  EXPECT_EQ(CodeOf(svc().UpsertProduct(w().op, w().Fileable("p2", "ops"))), "INVALID_REQUEST");
  EXPECT_EQ(CodeOf(svc().GetProduct(w().op, "p2")), "NOT_FOUND");
}

TEST_P(ServiceRulesTest, PagingVisitsEveryProductOnce) {
  for (int i = 0; i < 7; ++i) {
    ProductInput in = w().Fileable("p" + std::to_string(i), "alice");
    if (i % 3 == 0) in.product.public_ips.clear();  // p0, p3, p6 cannot apply
    w().Put(in);
  }
  std::vector<std::string> seen;
  ProductQuery q;
  q.page.limit = 3;
  int pages = 0;
  do {
    Result<Page<ProductView>> page = svc().ListProducts(w().alice, q);
    ASSERT_TRUE(page.ok());
    for (const ProductView& v : page->items) seen.push_back(v.product.id);
    q.page.page_token = page->next_page_token;
    ++pages;
  } while (!q.page.page_token.empty() && pages < 10);
  EXPECT_THAT(seen, ElementsAre("p0", "p1", "p2", "p3", "p4", "p5", "p6"));
  EXPECT_EQ(pages, 3);
  ProductQuery can;
  can.can_apply = true;
  can.page.limit = 2;
  Result<Page<ProductView>> first = svc().ListProducts(w().alice, can);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].product.id, "p1");
  EXPECT_EQ(first->items[1].product.id, "p2");
  can.page.page_token = first->next_page_token;
  Result<Page<ProductView>> second = svc().ListProducts(w().alice, can);
  ASSERT_EQ(second->items.size(), 2u);
  EXPECT_EQ(second->items[0].product.id, "p4");
  EXPECT_EQ(second->items[1].product.id, "p5");
  ProductQuery bad;
  bad.page.limit = 0;
  EXPECT_EQ(CodeOf(svc().ListProducts(w().alice, bad)), "INVALID_REQUEST");
  bad.page.limit = 10;
  bad.page.page_token = "***";
  EXPECT_EQ(CodeOf(svc().ListProducts(w().alice, bad)), "INVALID_REQUEST");
  EXPECT_EQ(CodeOf(svc().ListEvents(w().alice, 0, 501)), "INVALID_REQUEST");
}

TEST_P(ServiceRulesTest, OverviewAdvisesAnAccountWithNothingFileable) {
  ProductInput hk = w().Fileable("bob-hk", "bob");
  hk.product.region = "cn-hongkong";
  hk.product.billing = Billing::kPayAsYouGo;
  hk.product.expires_at.reset();
  w().Put(hk);
  w().Put(w().Fileable("bob-shop", "bob", Kind::kCxtShop));
  Result<Overview> bob = svc().GetOverview(w().bob);
  ASSERT_TRUE(bob.ok());
  EXPECT_THAT(bob->advice, ElementsAre(AdviceCode::kNoFileableProduct));
  w().Put(w().Fileable("p1", "alice"));
  w().MustApply(w().alice, "p1");
  Result<Overview> alice = svc().GetOverview(w().alice);
  ASSERT_TRUE(alice.ok());
  EXPECT_THAT(alice->advice, IsEmpty());
  EXPECT_THAT(alice->products_by_kind, ElementsAre(std::pair{Kind::kEcs, int64_t{1}}));
  EXPECT_THAT(alice->numbers_by_state,
              ::testing::Contains(std::pair{NumberState::kAvailable, int64_t{1}}));
  EXPECT_EQ(CodeOf(svc().GetOverview(w().op)), "FORBIDDEN");
}

TEST_P(ServiceRulesTest, EveryChangeIsAnEventAndCustomersSeeOnlyTheirOwn) {
  w().Put(w().Fileable("p1", "alice"));
  w().Put(w().Fileable("pb", "bob"));
  const std::string code = w().MustApply(w().alice, "p1");
  Result<Filing> f = svc().SubmitFiling(w().alice, FilingRequest{"a.com", code, std::nullopt});
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(svc().Approve(w().op, f->id).ok());
  ASSERT_TRUE(svc().ReleaseProduct(w().op, "pb").ok());
  std::vector<std::string> types;
  Result<EventPage> all = svc().ListEvents(w().op, 0, 500);
  ASSERT_TRUE(all.ok());
  int64_t last = 0;
  for (const Event& e : all->items) {
    EXPECT_GT(e.seq, last);
    last = e.seq;
    types.push_back(e.type + " " + e.account_id);
  }
  EXPECT_THAT(types,
              ElementsAre("account.created alice", "product.created alice", "account.created bob",
                          "product.created bob", "number.issued alice", "filing.submitted alice",
                          "number.state_changed alice", "filing.approved alice",
                          "number.state_changed alice", "product.released bob"));
  EXPECT_EQ(all->next_after, last);
  Result<EventPage> alice = svc().ListEvents(w().alice, 0, 2);
  ASSERT_EQ(alice->items.size(), 2u);
  Result<EventPage> rest = svc().ListEvents(w().alice, alice->next_after, 500);
  EXPECT_EQ(rest->items.size(), 5u);
  for (const Event& e : rest->items) EXPECT_EQ(e.account_id, "alice");
}

TEST_P(ServiceRulesTest, ImportReportsBadLinesAndKeepsTheGoodOnes) {
  ASSERT_TRUE(
      svc()
          .PutAccount(w().op, AccountChange{"ops", Role::kOperator, std::nullopt, "", std::nullopt})
          .ok());
  const std::string good =
      R"("kind":"ecs","billing":"subscription","region":"cn-hangzhou","public_ips":["47.96.1.2"],)"
      R"("expires_at":"2027-11-27T00:00:00+08:00"})";
  std::string text = R"({"id":"i-1","account_id":"alice",)" + good + "\n";  // line 1
  text += "{not json\n";                                                    // 2
  text += R"({"id":"i-2","account_id":"alice",)" + good + "\r\n";           // 3
  text += R"({"id":"i-3","account_id":"alice","kind":"tank"})"
          "\n";  // 4
  text += "\n";  // 5 (blank)
  text += R"({"id":"i-4","account_id":"alice","kind":"ecs","billing":"subscription"})"
          "\n";
  text += R"({"id":"i-5","account_id":"ops",)" + good + "\n";  // 7
  text += R"({"id":"i-6","account_id":"bob",)" + good;         // 8, no newline
  std::istringstream in(text);
  int64_t calls = 0;
  Result<ImportReport> r = svc().Import(w().op, in, [&](int64_t, int64_t) { ++calls; });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->created, 3);
  EXPECT_EQ(r->updated, 0);
  std::vector<std::pair<int64_t, std::string>> failed;
  for (const ImportLineError& e : r->failed) {
    failed.emplace_back(e.line, e.code);
    EXPECT_FALSE(e.detail.empty());
  }
  EXPECT_THAT(failed, ElementsAre(std::pair<int64_t, std::string>{2, "INVALID_REQUEST"},
                                  std::pair<int64_t, std::string>{4, "INVALID_REQUEST"},
                                  std::pair<int64_t, std::string>{6, "INVALID_REQUEST"},
                                  std::pair<int64_t, std::string>{7, "INVALID_REQUEST"}));
  EXPECT_GE(calls, 1);
  EXPECT_EQ(CodeOf(svc().GetProduct(w().op, "i-2")), "OK");
  EXPECT_EQ(CodeOf(svc().GetProduct(w().op, "i-5")), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().GetProduct(w().bob, "i-6")), "OK");  // bob was created
}

TEST_P(ServiceRulesTest, ImportRunsInBatchesAndUpdatesOnTheSecondPass) {
  std::string text;
  for (int i = 0; i < 2500; ++i) {
    text += ImportLine("b-" + std::to_string(i), "acct-" + std::to_string(i % 7));
  }
  std::istringstream first(text);
  std::vector<int64_t> progress;
  Result<ImportReport> r =
      svc().Import(w().op, first, [&](int64_t lines, int64_t) { progress.push_back(lines); });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->created, 2500);
  EXPECT_THAT(r->failed, IsEmpty());
  EXPECT_THAT(progress, ElementsAre(1000, 2000, 2500));
  std::istringstream second(text);
  Result<ImportReport> again = svc().Import(w().op, second);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->updated, 2500);
  ProductQuery q;
  q.account_id = "acct-3";
  q.page.limit = 500;
  EXPECT_EQ(svc().ListProducts(w().op, q)->items.size(), 357u);
}

// An import lists at most 1,000 refused lines, the first by line number, and counts them all
// (review item 18: a 1 MiB body of `{}` lines made a 22.6 MB answer).
TEST_P(ServiceRulesTest, AnImportListsTheFirstThousandRefusedLinesAndCountsAll) {
  std::string text = "{}\n";
  for (int i = 1; i < 1500; ++i) text += "{}\n";
  text += ImportLine("ok-1", "alice");
  std::istringstream in(text);
  Result<ImportReport> r = svc().Import(w().op, in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(r->failed_count, 1500);
  ASSERT_EQ(r->failed.size(), 1000u);
  EXPECT_EQ(r->failed.front().line, 1);
  EXPECT_EQ(r->failed.back().line, 1000);
}

// A fault in the middle of an import (here a trigger that fails the insert of b-1500, as a full
// disk would) keeps the batches committed before it and says which lines they were (review item
// 17: the client got a bare 503 after 2,000 lines had been applied).
TEST_P(ServiceRulesTest, AnImportCutShortByAFaultSaysHowFarItGot) {
  WriteTx([&](Tx& tx) {
    if (is_pg()) {
      tx.conn().ExecScript(
          "CREATE FUNCTION fail_at_b1500() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          "IF NEW.id = 'b-1500' THEN RAISE EXCEPTION 'no space' USING ERRCODE = 'disk_full'; "
          "END IF; RETURN NEW; END $$; "
          "CREATE TRIGGER fail_at_b1500 BEFORE INSERT ON products FOR EACH ROW "
          "EXECUTE FUNCTION fail_at_b1500()");
    } else {
      tx.conn().ExecScript(
          "CREATE TRIGGER fail_at_b1500 BEFORE INSERT ON products WHEN NEW.id = 'b-1500' "
          "BEGIN SELECT RAISE(ABORT, 'no space'); END");
    }
  });
  std::string text = "{}\n";  // line 1: refused
  for (int i = 1; i < 2500; ++i) {
    text += ImportLine("b-" + std::to_string(i), "alice");
  }
  std::istringstream in(text);
  Result<ImportReport> r = svc().Import(w().op, in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().applied_through_line, 1000);
  EXPECT_NE(
      r.error().detail.en.find("lines 1–1000 were processed (999 created, 0 updated, 1 refused)"),
      std::string::npos)
      << r.error().detail.en;
  EXPECT_NE(r.error().detail.en.find("from line 1001"), std::string::npos);
  EXPECT_NE(r.error().detail.zh.find("第 1–1000 行已处理（新建 999 个，更新 0 个，拒绝 1 行）"),
            std::string::npos)
      << r.error().detail.zh;
  // A fault worth retrying says so; any other needs the operator first.
  const bool later = HttpStatusOf(r.error().code) == 503;
  EXPECT_EQ(r.error().detail.en.find("Retry later") != std::string::npos, later);
  EXPECT_FALSE(r.error().cause.empty());  // the fault itself goes to the log only
  EXPECT_EQ(CodeOf(svc().GetProduct(w().op, "b-999")), "OK");
  EXPECT_EQ(CodeOf(svc().GetProduct(w().op, "b-1")), "OK");
  EXPECT_EQ(CodeOf(svc().GetProduct(w().op, "b-1000")), "NOT_FOUND");

  // A fault in the first batch has applied nothing, and says no more than the fault.
  std::istringstream first(
      "{\"id\":\"b-1500\",\"account_id\":\"alice\",\"kind\":\"ecs\","
      "\"billing\":\"subscription\",\"region\":\"cn-hangzhou\","
      "\"public_ips\":[\"47.96.1.2\"],"
      "\"expires_at\":\"2027-11-27T00:00:00+08:00\"}\n");
  Result<ImportReport> none = svc().Import(w().op, first);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().applied_through_line, 0);
}

BEIAN_INSTANTIATE_BACKENDS(ServiceRulesTest);

}  // namespace
}  // namespace beian::testing
