// Issue 12 on both backends: batch apply (all or nothing, exact quotas under concurrent batches),
// bulk eligibility, and the domain rule (filings of one domain from different accounts may be in
// review together; one approved filing excludes the others).
#include <algorithm>
#include <latch>
#include <thread>

#include "store/service_test_base.h"

namespace beian::testing {
namespace {

class BatchDomainTest : public ServiceTestBase {
 protected:
  void SetUp() override {
    ServiceTestBase::SetUp();
    if (HasFatalFailure()) return;
    w().AddCustomers();
  }
  int64_t NumbersOf(const Principal& who, const std::string& product) {
    NumberQuery q;
    q.product_id = product;
    q.page.limit = 500;
    Result<Page<NumberView>> page = svc().ListNumbers(who, q);
    EXPECT_TRUE(page.ok());
    return page.ok() ? static_cast<int64_t>(page->items.size()) : -1;
  }
  // Runs `n` threads that start together; returns how many of fn(i) succeeded.
  template <class F>
  int Race(int n, F&& fn) {
    std::latch start(n);
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        if (fn(i)) ok.fetch_add(1);
      });
    }
    for (auto& t : threads) t.join();
    return ok.load();
  }
  Filing MustFile(const Principal& who, const std::string& domain, const std::string& product) {
    const std::string code = w().MustApply(who, product);
    Result<Filing> f = svc().SubmitFiling(who, FilingRequest{domain, code, std::nullopt});
    EXPECT_TRUE(f.ok()) << (f.ok() ? "" : CodeOf(f.error()));
    return f.ok() ? *f : Filing{};
  }
};

TEST_P(BatchDomainTest, ABatchIssuesAllOrNothing) {
  w().Put(w().Fileable("p1", "alice"));
  w().Put(w().Fileable("p2", "alice"));
  w().Put(w().Fileable("pb", "bob"));
  Result<std::vector<NumberView>> ok = svc().ApplyBatch(w().alice, {{"p1", 2}, {"p2", 1}});
  ASSERT_TRUE(ok.ok()) << CodeOf(ok.error());
  EXPECT_EQ(ok->size(), 3u);
  Result<std::vector<NumberView>> no =
      svc().ApplyBatch(w().alice, {{"p1", 1}, {"pb", 1}, {"p2", 5}});  // p2 has 4 left
  ASSERT_FALSE(no.ok());
  EXPECT_EQ(CodeOf(no.error()), "NOT_ELIGIBLE");
  ASSERT_EQ(no.error().items.size(), 2u);
  EXPECT_EQ(no.error().items[0].product_id, "pb");
  EXPECT_EQ(no.error().items[0].reasons.at(0).code, ReasonCode::kProductNotFound);
  EXPECT_EQ(no.error().items[1].product_id, "p2");
  EXPECT_EQ(NumbersOf(w().alice, "p1"), 2);
  EXPECT_EQ(NumbersOf(w().alice, "p2"), 1);
  EXPECT_EQ(CodeOf(svc().ApplyBatch(w().alice, {{"p1", 1}, {"p1", 1}}).error()), "INVALID_REQUEST");
  EXPECT_EQ(CodeOf(svc().ApplyBatch(w().alice, {{"p1", 21}}).error()), "INVALID_REQUEST");
  EXPECT_EQ(CodeOf(svc().ApplyBatch(w().op, {{"p1", 1}}).error()), "FORBIDDEN");
}

TEST_P(BatchDomainTest, ConcurrentBatchesNeverExceedTheProductQuota) {
  w().Put(w().Fileable("p1", "alice"));
  // Quota 5: two batches of 2 fit, a third does not; every batch is whole or refused.
  const int ok = Race(8, [&](int) { return svc().ApplyBatch(w().alice, {{"p1", 2}}).ok(); });
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(NumbersOf(w().alice, "p1"), 4);
}

TEST_P(BatchDomainTest, ConcurrentBatchesNeverExceedTheAccountQuota) {
  w().Put(w().Fileable("wh1", "alice", Kind::kWebHosting));
  w().Put(w().Fileable("wh2", "alice", Kind::kWebHosting));
  // Batches across both products, and single applies, in one account-wide scope of 5.
  const int ok = Race(8, [&](int i) {
    if (i % 4 == 3) return svc().Apply(w().alice, "wh2").ok();
    return svc().ApplyBatch(w().alice, {{"wh2", 1}, {"wh1", 1}}).ok();
  });
  EXPECT_GE(ok, 2);
  EXPECT_LE(NumbersOf(w().alice, "wh1") + NumbersOf(w().alice, "wh2"), 5);
  EXPECT_GE(NumbersOf(w().alice, "wh1") + NumbersOf(w().alice, "wh2"), 4);
}

TEST_P(BatchDomainTest, EligibilityOfOwnProductsAndOfProductsNotImported) {
  w().Put(w().Fileable("p1", "alice"));
  w().Put(w().Fileable("pb", "bob"));
  auto r = svc().CheckEligibility(w().alice, {"pb", "p1", "zz"});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].eligibility.reasons.at(0).code, ReasonCode::kProductNotFound);
  EXPECT_TRUE((*r)[1].eligibility.can_apply);
  EXPECT_EQ((*r)[2].eligibility.reasons, (*r)[0].eligibility.reasons);
  ProductInput fresh = w().Fileable("new", "alice");
  fresh.product.public_ips.clear();
  auto pure = svc().CheckEligibility(std::vector<ProductInput>{w().Fileable("n1", "x"), fresh});
  ASSERT_TRUE(pure.ok());
  EXPECT_TRUE((*pure)[0].eligibility.can_apply);
  EXPECT_FALSE((*pure)[1].eligibility.can_apply);
  EXPECT_EQ(CodeOf(svc().GetProduct(w().op, "n1").error()), "NOT_FOUND");
}

TEST_P(BatchDomainTest, AccountsFileOneDomainTogetherUntilOneIsApproved) {
  w().Put(w().Fileable("pa", "alice"));
  w().Put(w().Fileable("pb", "bob"));
  w().Put(w().Fileable("pc", "carol"));
  const Filing fa = MustFile(w().alice, "shared.cn", "pa");
  const Filing fb = MustFile(w().bob, "shared.cn", "pb");  // another account: not blocked
  // Within one account, one active filing per domain.
  Result<Filing> again = svc().SubmitFiling(
      w().alice, FilingRequest{"shared.cn", w().MustApply(w().alice, "pa"), std::nullopt});
  EXPECT_EQ(CodeOf(again.error()), "DOMAIN_IN_USE");
  ASSERT_TRUE(svc().Approve(w().op, fa.id).ok());
  Result<Filing> second = svc().Approve(w().op, fb.id);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(CodeOf(second.error()), "DOMAIN_ALREADY_FILED");
  EXPECT_EQ(svc().GetFiling(w().bob, fb.id)->state, FilingState::kInReview);
  // A new filing of a filed domain is refused, without naming whose filing holds it.
  Result<Filing> late = svc().SubmitFiling(
      w().carol, FilingRequest{"shared.cn", w().MustApply(w().carol, "pc"), std::nullopt});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(CodeOf(late.error()), "DOMAIN_IN_USE");
  for (const std::string& text : {late.error().detail.en, late.error().detail.zh}) {
    EXPECT_EQ(text.find("alice"), std::string::npos) << text;
    EXPECT_EQ(text.find(fa.id), std::string::npos) << text;
  }
  // Once the approved filing is cancelled, the other one may be approved.
  ASSERT_TRUE(svc().Cancel(w().op, fa.id).ok());
  EXPECT_TRUE(svc().Approve(w().op, fb.id).ok());
}

TEST_P(BatchDomainTest, RacingApprovalsOfOneDomainApproveExactlyOne) {
  std::vector<std::string> ids;
  for (const Principal* who : {&w().alice, &w().bob, &w().carol}) {
    w().Put(w().Fileable("p-" + who->account_id, who->account_id));
    ids.push_back(MustFile(*who, "race.cn", "p-" + who->account_id).id);
  }
  const int ok = Race(3, [&](int i) { return svc().Approve(w().op, ids[i]).ok(); });
  EXPECT_EQ(ok, 1);
  FilingQuery q;
  q.state = FilingState::kApproved;
  EXPECT_EQ(svc().ListFilings(w().op, q)->items.size(), 1u);
}

TEST_P(BatchDomainTest, ARejectionNeedsAReasonThatIsNotBlank) {
  w().Put(w().Fileable("pa", "alice"));
  const Filing f = MustFile(w().alice, "a.cn", "pa");
  for (const char* blank : {"", "  ", "\t\n", "\u3000\u00a0"}) {
    Result<Filing> r = svc().Reject(w().op, f.id, blank);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(CodeOf(r.error()), "INVALID_REQUEST");
    EXPECT_EQ(r.error().errors.at(0).field, "reason");
  }
  EXPECT_EQ(svc().GetFiling(w().alice, f.id)->state, FilingState::kInReview);
  EXPECT_EQ(CodeOf(svc().Reject(w().alice, f.id, "").error()), "FORBIDDEN");
  EXPECT_TRUE(svc().Reject(w().op, f.id, " 名称不符 ").ok());
}

TEST_P(BatchDomainTest, TheReviewQueueFiltersAndPagesOldestOrNewestFirst) {
  w().Put(w().Fileable("pa", "alice"));
  w().Put(w().Fileable("pb", "bob", Kind::kSwas));
  std::vector<std::string> bobs;
  const Filing alices = MustFile(w().alice, "a0.cn", "pa");
  for (int i = 0; i < 5; ++i) {
    w().Advance(std::chrono::seconds{i % 2});  // pairs share a second: the id breaks the tie
    bobs.push_back(MustFile(w().bob, "b" + std::to_string(i) + ".cn", "pb").id);
  }
  auto walk = [&](FilingQuery q) {
    std::vector<std::string> ids;
    for (int pages = 0; pages < 10; ++pages) {
      Result<Page<Filing>> page = svc().ListFilings(w().op, q);
      EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().detail.en);
      if (!page.ok()) break;
      for (const Filing& f : page->items) ids.push_back(f.id);
      if (page->next_page_token.empty()) break;
      q.page.page_token = page->next_page_token;
    }
    return ids;
  };
  FilingQuery q;
  q.page.limit = 2;
  q.account_id = "bob";
  q.order = FilingOrder::kOldestFirst;
  std::vector<std::string> oldest = walk(q);
  ASSERT_EQ(oldest.size(), 5u);
  std::vector<std::pair<Time, std::string>> keys;
  for (const std::string& id : bobs) keys.emplace_back(svc().GetFiling(w().op, id)->created_at, id);
  std::sort(keys.begin(), keys.end());
  for (std::size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(oldest[i], keys[i].second) << i;
  q.order = FilingOrder::kNewestFirst;
  std::vector<std::string> newest = walk(q);
  EXPECT_EQ(newest, std::vector<std::string>(oldest.rbegin(), oldest.rend()));
  q = FilingQuery();
  q.page.limit = 500;
  q.kind = Kind::kEcs;
  EXPECT_EQ(walk(q), std::vector<std::string>{alices.id});
  q.kind.reset();
  q.submitted_before = w().now();  // the last ones were submitted at now: excluded
  EXPECT_LT(walk(q).size(), 6u);
  EXPECT_GE(walk(q).size(), 1u);
  q.order = FilingOrder::kOldestFirst;
  EXPECT_EQ(CodeOf(svc().ListFilings(w().bob, q).error()), "INVALID_REQUEST");
}

TEST_P(BatchDomainTest, GrantsAreSeenByTheOwnerAndOnlyInPartByAGrantee) {
  w().Put(w().Fileable("pa", "alice"));
  const std::string code = w().MustApply(w().alice, "pa");
  ASSERT_TRUE(svc().Grant(w().alice, code, "bob").ok());
  ASSERT_TRUE(svc().Grant(w().alice, code, "carol").ok());
  Result<Filing> f = svc().SubmitFiling(w().carol, FilingRequest{"c.cn", code, std::nullopt});
  ASSERT_TRUE(f.ok());
  Result<NumberGrants> owner = svc().ListGrants(w().alice, code);
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(owner->grants.size(), 2u);
  ASSERT_EQ(owner->used_by.size(), 1u);
  EXPECT_EQ(owner->used_by[0].account_id, "carol");
  Result<NumberGrants> bob = svc().ListGrants(w().bob, code);
  ASSERT_TRUE(bob.ok());
  ASSERT_EQ(bob->grants.size(), 1u);
  EXPECT_EQ(bob->grants[0].account_id, "bob");
  EXPECT_TRUE(bob->used_by.empty());
  Result<NumberView> seen = svc().GetNumber(w().bob, code);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->number.granted_to, std::vector<std::string>{"bob"});
  EXPECT_FALSE(seen->number.domain.has_value());
  // Not revocable while carol's filing holds the number; then it is.
  EXPECT_EQ(CodeOf(svc().RevokeGrant(w().alice, code, "carol").error()), "SN_IN_REVIEW");
  ASSERT_TRUE(svc().Withdraw(w().carol, f->id).ok());
  EXPECT_EQ(CodeOf(svc().RevokeGrant(w().carol, code, "bob").error()), "FORBIDDEN");
  Result<NumberGrants> after = svc().RevokeGrant(w().alice, code, "carol");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->grants.size(), 1u);
  EXPECT_EQ(CodeOf(svc().GetNumber(w().carol, code).error()), "SN_NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().RevokeGrant(w().alice, code, "carol").error()), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().ListGrants(w().carol, code).error()), "SN_NOT_FOUND");
}

TEST_P(BatchDomainTest, BulkReviewActsOnEachFilingAlone) {
  w().Put(w().Fileable("pa", "alice"));
  w().Put(w().Fileable("pb", "bob"));
  const Filing fa = MustFile(w().alice, "same.cn", "pa");
  const Filing fb = MustFile(w().bob, "same.cn", "pb");
  Result<std::vector<ReviewOutcome>> r = svc().ReviewMany(
      w().op, FilingAction::kApprove, {fa.id, fb.id, "f-aaaaaaaaaaaaaaaaaaaa"}, "");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_TRUE((*r)[0].filing.has_value());
  EXPECT_EQ(CodeOf(*(*r)[1].error), "DOMAIN_ALREADY_FILED");
  EXPECT_EQ(CodeOf(*(*r)[2].error), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().ReviewMany(w().op, FilingAction::kReject, {fb.id}, " ").error()),
            "INVALID_REQUEST");
  EXPECT_EQ(CodeOf(svc().ReviewMany(w().alice, FilingAction::kReject, {fb.id}, "x").error()),
            "FORBIDDEN");
  EXPECT_EQ(svc().GetFiling(w().bob, fb.id)->state, FilingState::kInReview);
  Result<Filing> conflicted = svc().GetFiling(w().op, fb.id);
  ASSERT_TRUE(conflicted->conflicts.has_value());
  EXPECT_TRUE(conflicted->conflicts->empty()) << "fa is approved now, no longer in review";
  EXPECT_FALSE(svc().GetFiling(w().bob, fb.id)->conflicts.has_value());
}

BEIAN_INSTANTIATE_BACKENDS(BatchDomainTest);

}  // namespace
}  // namespace beian::testing
