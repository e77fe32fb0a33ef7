// Tx: filings on both backends.
#include "store/backend_fixture.h"
#include "store/samples.h"

namespace beian::testing {
namespace {

class FilingsTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    WriteTx([&](Tx& tx) {
      for (const char* a : {"alice", "bob"}) tx.UpsertAccount(SampleAccount(a));
      tx.UpsertProduct(pa_);
      tx.UpsertProduct(pb_);
      tx.InsertNumber(na_);
      tx.InsertNumber(nb_);
    });
  }
  std::vector<std::string> Ids(const FilingFilter& f) {
    std::vector<std::string> out;
    for (const auto& x : ReadTx([&](Tx& tx) { return tx.ListFilings(f); })) out.push_back(x.id);
    return out;
  }
  const Product pa_ = SampleProduct("p-a", "alice");
  const Product pb_ = SampleProduct("p-b", "bob");
  const ServiceNumber na_ = SampleNumber("SN-A", pa_);
  const ServiceNumber nb_ = SampleNumber("SN-B", pb_);
};

TEST_P(FilingsTest, FilingRoundTripsAndUpdates) {
  Filing f = SampleFiling("f-1", na_, "example.com");
  Filing vhost = SampleFiling("f-2", nb_, "xn--fiqs8s.cn");
  vhost.service_number.reset();
  WriteTx([&](Tx& tx) {
    tx.InsertFiling(f);
    tx.InsertFiling(vhost);
  });
  auto got = ReadTx([](Tx& tx) { return tx.GetFiling("f-1"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->account_id, "alice");
  EXPECT_EQ(got->owner_id, "alice");
  EXPECT_EQ(got->domain, "example.com");
  EXPECT_EQ(got->service_number, "SN-A");
  EXPECT_EQ(got->product_id, "p-a");
  EXPECT_EQ(got->state, FilingState::kInReview);
  EXPECT_EQ(got->reason, "");
  EXPECT_EQ(got->created_at, At(30));
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetFiling("f-2"); })->service_number.has_value());
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetFiling("f-3"); }).has_value());

  WriteTx([&](Tx& tx) {
    auto locked = tx.GetFiling("f-1", true);
    ASSERT_TRUE(locked.has_value());
    locked->state = FilingState::kRejected;
    locked->reason = "网站名称不合规";
    locked->updated_at = At(90);
    tx.UpdateFiling(*locked);
  });
  got = ReadTx([](Tx& tx) { return tx.GetFiling("f-1"); });
  EXPECT_EQ(got->state, FilingState::kRejected);
  EXPECT_EQ(got->reason, "网站名称不合规");
  EXPECT_EQ(got->updated_at, At(90));
  EXPECT_EQ(got->created_at, At(30));
}

TEST_P(FilingsTest, ListFilingsShowsFilerAndOwnerAndFiltersByState) {
  Filing by_bob_on_alice = SampleFiling("f-2", na_, "b.example");
  by_bob_on_alice.account_id = "bob";
  Filing approved = SampleFiling("f-3", nb_, "c.example");
  approved.state = FilingState::kApproved;
  WriteTx([&](Tx& tx) {
    tx.InsertFiling(SampleFiling("f-1", na_, "a.example"));
    tx.InsertFiling(by_bob_on_alice);
    tx.InsertFiling(approved);
  });
  using V = std::vector<std::string>;
  FilingFilter f;
  EXPECT_EQ(Ids(f), (V{"f-1", "f-2", "f-3"}));
  f.visible_to = "alice";
  EXPECT_EQ(Ids(f), (V{"f-1", "f-2"}));
  f.visible_to = "bob";
  EXPECT_EQ(Ids(f), (V{"f-2", "f-3"}));
  f.limit = 1;
  f.after_id = "f-2";
  EXPECT_EQ(Ids(f), (V{"f-3"}));
  f = FilingFilter();
  f.state = FilingState::kApproved;
  EXPECT_EQ(Ids(f), (V{"f-3"}));
  f.visible_to = "nobody";
  EXPECT_EQ(Ids(f), V{});
}

// 007_domain_per_account.sql: one account holds at most one active filing of a domain; accounts
// may hold filings of one domain in review together; at most one filing of a domain is approved.
TEST_P(FilingsTest, OneActiveFilingPerAccountAndDomainAndOneApproved) {
  WriteTx([&](Tx& tx) { tx.InsertFiling(SampleFiling("f-1", na_, "example.com")); });
  const std::string a = na_.account_id;
  const std::string b = nb_.account_id;
  ASSERT_NE(a, b);
  EXPECT_EQ(ReadTx([&](Tx& tx) { return tx.ActiveFilingForDomain("example.com", a); })->id, "f-1");
  EXPECT_FALSE(ReadTx([&](Tx& tx) { return tx.ActiveFilingForDomain("example.com", b); }));
  EXPECT_FALSE(ReadTx([&](Tx& tx) { return tx.ActiveFilingForDomain("other.com", a); }));

  StoreOptions few;
  few.max_retries = 1;
  auto other = OpenStore(few);
  ASSERT_NE(other, nullptr);
  auto insert = [&](const Filing& f) {
    return other->Write([&](Tx& tx) -> Status {
      tx.InsertFiling(f);
      return OkStatus();
    });
  };
  EXPECT_FALSE(insert(SampleFiling("f-2", na_, "example.com")).ok())
      << "the partial unique index must refuse a second active filing of one account";
  ASSERT_TRUE(insert(SampleFiling("f-3", nb_, "example.com")).ok())
      << "another account's filing of the domain may be in review too";
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.FilingsInReviewForDomain("example.com"); }).size(), 2u);
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.ApprovedFilingForDomain("example.com"); }));

  WriteTx([&](Tx& tx) {
    auto f = *tx.GetFiling("f-1", true);
    f.state = FilingState::kApproved;
    tx.UpdateFiling(f);
  });
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.ApprovedFilingForDomain("example.com"); })->id, "f-1");
  const Status second = other->Write([&](Tx& tx) -> Status {
    auto f = *tx.GetFiling("f-3", true);
    f.state = FilingState::kApproved;
    tx.UpdateFiling(f);
    return OkStatus();
  });
  EXPECT_FALSE(second.ok()) << "the partial unique index must refuse a second approved filing";

  WriteTx([&](Tx& tx) {
    auto f = *tx.GetFiling("f-1", true);
    f.state = FilingState::kWithdrawn;
    tx.UpdateFiling(f);
  });
  EXPECT_FALSE(ReadTx([&](Tx& tx) { return tx.ActiveFilingForDomain("example.com", a); }));
  WriteTx([&](Tx& tx) { tx.InsertFiling(SampleFiling("f-2", na_, "example.com")); });
  EXPECT_EQ(ReadTx([&](Tx& tx) { return tx.ActiveFilingForDomain("example.com", a); })->id, "f-2");
}

BEIAN_INSTANTIATE_BACKENDS(FilingsTest);

}  // namespace
}  // namespace beian::testing
