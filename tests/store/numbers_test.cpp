// Tx: quota scopes, service numbers and grants on both backends.
#include "store/backend_fixture.h"
#include "store/samples.h"

namespace beian::testing {
namespace {

class NumbersTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    WriteTx([&](Tx& tx) {
      for (const char* a : {"alice", "bob", "carol"}) tx.UpsertAccount(SampleAccount(a));
      tx.UpsertProduct(p1_);
      tx.UpsertProduct(p2_);
      tx.UpsertProduct(pb_);
    });
  }
  std::vector<std::string> Codes(const NumberFilter& f) {
    std::vector<std::string> out;
    for (const auto& n : ReadTx([&](Tx& tx) { return tx.ListNumbers(f); })) out.push_back(n.code);
    return out;
  }
  const Product p1_ = SampleProduct("p-1", "alice");
  const Product p2_ = SampleProduct("p-2", "alice", Kind::kSwas);
  const Product pb_ = SampleProduct("p-b", "bob");
};

TEST_P(NumbersTest, LockQuotaCreatesTheScopeAndCountsUses) {
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.PeekQuota("p:p-1"); }), 0);
  EXPECT_EQ(WriteTx([](Tx& tx) { return tx.LockQuota("p:p-1"); }), 0);
  WriteTx([](Tx& tx) {
    EXPECT_EQ(tx.LockQuota("p:p-1"), 0);
    tx.AddQuotaUse("p:p-1");
    tx.AddQuotaUse("p:p-1");
    EXPECT_EQ(tx.LockQuota("p:p-1"), 2);
  });
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.PeekQuota("p:p-1"); }), 2);
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.PeekQuota("a:alice:ecs"); }), 0);
}

TEST_P(NumbersTest, PeekQuotasReadsManyScopesAndLeavesOutUnusedOnes) {
  WriteTx([](Tx& tx) {
    tx.LockQuota("p:p-1");
    tx.AddQuotaUse("p:p-1");
    tx.LockQuota("a:alice:vhost");
    tx.AddQuotaUse("a:alice:vhost");
    tx.AddQuotaUse("a:alice:vhost");
  });
  using M = std::map<std::string, int>;
  EXPECT_EQ(ReadTx([](Tx& tx) {
              return tx.PeekQuotas({"p:p-1", "a:alice:vhost", "p:never"});
            }),
            (M{{"a:alice:vhost", 2}, {"p:p-1", 1}}));
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.PeekQuotas({}); }), M{});
}

TEST_P(NumbersTest, AddQuotaUseWithoutAScopeFailsTheTransaction) {
  const Status st = store().Write([](Tx& tx) -> Status {
    tx.AddQuotaUse("p:nowhere");
    return OkStatus();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
}

TEST_P(NumbersTest, NumberRoundTripsWithGrants) {
  ServiceNumber n = SampleNumber("SN-0001", p1_);
  n.granted_to = {"carol", "bob"};
  WriteTx([&](Tx& tx) { tx.InsertNumber(n); });
  const auto got = ReadTx([](Tx& tx) { return tx.GetNumber("SN-0001"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->product_id, "p-1");
  EXPECT_EQ(got->account_id, "alice");
  EXPECT_EQ(got->kind, Kind::kEcs);
  EXPECT_EQ(got->quota_scope, "p:p-1");
  EXPECT_EQ(got->state, NumberState::kAvailable);
  EXPECT_EQ(got->issued_at, At(20));
  EXPECT_FALSE(got->domain.has_value());
  EXPECT_FALSE(got->filing_id.has_value());
  EXPECT_EQ(got->granted_to, (std::vector<std::string>{"bob", "carol"}));
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetNumber("SN-0002"); }).has_value());
}

TEST_P(NumbersTest, UpdateNumberChangesStateDomainAndFiling) {
  ServiceNumber n = SampleNumber("SN-0001", p1_);
  WriteTx([&](Tx& tx) { tx.InsertNumber(n); });
  WriteTx([&](Tx& tx) {
    auto locked = tx.GetNumber("SN-0001", true);
    ASSERT_TRUE(locked.has_value());
    locked->state = NumberState::kInReview;
    locked->domain = "example.com";
    locked->filing_id = "f-1";
    tx.UpdateNumber(*locked);
  });
  auto got = ReadTx([](Tx& tx) { return tx.GetNumber("SN-0001"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->state, NumberState::kInReview);
  EXPECT_EQ(got->domain, "example.com");
  EXPECT_EQ(got->filing_id, "f-1");
  got->state = NumberState::kAvailable;
  got->domain.reset();
  WriteTx([&](Tx& tx) { tx.UpdateNumber(*got); });
  const auto again = ReadTx([](Tx& tx) { return tx.GetNumber("SN-0001"); });
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->domain.has_value());
  EXPECT_EQ(again->filing_id, "f-1");
}

TEST_P(NumbersTest, InsertGrantIsIdempotent) {
  WriteTx([&](Tx& tx) {
    tx.InsertNumber(SampleNumber("SN-0001", p1_));
    tx.InsertGrant("SN-0001", "bob", At(40));
    tx.InsertGrant("SN-0001", "bob", At(41));
  });
  const auto got = ReadTx([](Tx& tx) { return tx.GetNumber("SN-0001"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->granted_to, std::vector<std::string>{"bob"});
}

TEST_P(NumbersTest, ListNumbersFiltersByVisibilityStateAndProductAndPages) {
  WriteTx([&](Tx& tx) {
    tx.InsertNumber(SampleNumber("SN-A3", p1_));
    tx.InsertNumber(SampleNumber("SN-A1", p1_));
    ServiceNumber filed = SampleNumber("SN-A2", p2_);
    filed.state = NumberState::kFiled;
    tx.InsertNumber(filed);
    tx.InsertNumber(SampleNumber("SN-B1", pb_));
    tx.InsertGrant("SN-A3", "bob", At(50));
  });
  using V = std::vector<std::string>;
  NumberFilter f;
  EXPECT_EQ(Codes(f), (V{"SN-A1", "SN-A2", "SN-A3", "SN-B1"}));
  f.visible_to = "bob";
  EXPECT_EQ(Codes(f), (V{"SN-A3", "SN-B1"}));
  f.visible_to = "carol";
  EXPECT_EQ(Codes(f), V{});
  f.visible_to = "alice";
  f.limit = 2;
  EXPECT_EQ(Codes(f), (V{"SN-A1", "SN-A2"}));
  f.after_code = "SN-A2";
  EXPECT_EQ(Codes(f), (V{"SN-A3"}));
  f = NumberFilter();
  f.state = NumberState::kFiled;
  EXPECT_EQ(Codes(f), (V{"SN-A2"}));
  f = NumberFilter();
  f.product_id = "p-1";
  EXPECT_EQ(Codes(f), (V{"SN-A1", "SN-A3"}));
  const auto listed = ReadTx([](Tx& tx) { return tx.ListNumbers(NumberFilter()); });
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[2].granted_to, std::vector<std::string>{"bob"});
  EXPECT_TRUE(listed[0].granted_to.empty());
  EXPECT_TRUE(listed[3].granted_to.empty());
}

TEST_P(NumbersTest, CountNumbersByStateCountsTheOwnersNumbers) {
  WriteTx([&](Tx& tx) {
    tx.InsertNumber(SampleNumber("SN-A1", p1_));
    tx.InsertNumber(SampleNumber("SN-A2", p1_));
    ServiceNumber voided = SampleNumber("SN-A3", p2_);
    voided.state = NumberState::kVoided;
    tx.InsertNumber(voided);
    tx.InsertNumber(SampleNumber("SN-B1", pb_));
  });
  using P = std::pair<NumberState, int64_t>;
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.CountNumbersByState("alice"); }),
            (std::vector<P>{{NumberState::kAvailable, 2}, {NumberState::kVoided, 1}}));
  EXPECT_TRUE(ReadTx([](Tx& tx) { return tx.CountNumbersByState("carol"); }).empty());
}

TEST_P(NumbersTest, DuplicateCodeFailsAndChangesNothing) {
  WriteTx([&](Tx& tx) { tx.InsertNumber(SampleNumber("SN-A1", p1_)); });
  StoreOptions few;
  few.max_retries = 1;
  auto other = OpenStore(few);
  ASSERT_NE(other, nullptr);
  const Status st = other->Write([&](Tx& tx) -> Status {
    tx.LockQuota("p:p-2");
    tx.AddQuotaUse("p:p-2");
    tx.InsertNumber(SampleNumber("SN-A1", p2_));
    return OkStatus();
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.PeekQuota("p:p-2"); }), 0);
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.GetNumber("SN-A1"); })->product_id, "p-1");
}

// Issuing draws a new code while TryInsertNumber reports the drawn one taken.
TEST_P(NumbersTest, TryInsertNumberReportsATakenCodeAndWritesNothing) {
  WriteTx([&](Tx& tx) { EXPECT_TRUE(tx.TryInsertNumber(SampleNumber("SN-A1", p1_))); });
  ServiceNumber again = SampleNumber("SN-A1", p2_);
  again.granted_to = {"bob"};
  WriteTx([&](Tx& tx) { EXPECT_FALSE(tx.TryInsertNumber(again)); });
  const auto got = ReadTx([](Tx& tx) { return tx.GetNumber("SN-A1"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->product_id, "p-1");
  EXPECT_TRUE(got->granted_to.empty());
}

BEIAN_INSTANTIATE_BACKENDS(NumbersTest);

}  // namespace
}  // namespace beian::testing
