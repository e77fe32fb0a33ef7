// Tx: idempotency keys, attempts, events, stats; Store: transaction boundaries.
#include <future>
#include <stdexcept>

#include "store/backend_fixture.h"
#include "store/samples.h"

namespace beian::testing {
namespace {

class MiscTest : public BackendTest {};

Event SampleEvent(const std::string& type, const std::string& account, int64_t at) {
  return Event{0, At(at), "system", type, account, "subj-" + type, R"({"k":"值"})"};
}

TEST_P(MiscTest, IdempotencyKeysArePerAccountAndPurgedByAge) {
  WriteTx([](Tx& tx) {
    tx.PutIdempotency({"alice", "k1", "h1", "SN-1", At(0)});
    tx.PutIdempotency({"bob", "k1", "h2", "SN-2", At(100)});
  });
  const auto got = ReadTx([](Tx& tx) { return tx.GetIdempotency("alice", "k1"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->request_hash, "h1");
  EXPECT_EQ(got->result, "SN-1");
  EXPECT_EQ(got->created_at, At(0));
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.GetIdempotency("bob", "k1"); })->result, "SN-2");
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetIdempotency("carol", "k1"); }).has_value());
  WriteTx([](Tx& tx) { tx.PurgeIdempotency(At(100)); });
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetIdempotency("alice", "k1"); }).has_value());
  EXPECT_TRUE(ReadTx([](Tx& tx) { return tx.GetIdempotency("bob", "k1"); }).has_value());
}

TEST_P(MiscTest, AttemptsAreCountedPerSubjectSinceATime) {
  WriteTx([](Tx& tx) {
    for (int64_t t : {10, 20, 30}) tx.RecordAttempt("sn:alice", At(t));
    tx.RecordAttempt("sn:bob", At(30));
  });
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.CountAttempts("sn:alice", At(0)); }), 3);
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.CountAttempts("sn:alice", At(20)); }), 2);
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.CountAttempts("sn:alice", At(31)); }), 0);
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.CountAttempts("pw:p-1", At(0)); }), 0);
  WriteTx([](Tx& tx) { tx.PurgeAttempts(At(30)); });
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.CountAttempts("sn:alice", At(0)); }), 1);
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.CountAttempts("sn:bob", At(0)); }), 1);
}

TEST_P(MiscTest, EventsAreListedOldestFirstAfterASeqAndPerAccount) {
  WriteTx([](Tx& tx) {
    tx.AppendEvent(SampleEvent("product.created", "alice", 1));
    tx.AppendEvent(SampleEvent("number.issued", "alice", 2));
  });
  WriteTx([](Tx& tx) { tx.AppendEvent(SampleEvent("product.created", "bob", 3)); });
  WriteTx([](Tx& tx) { tx.AppendEvent(SampleEvent("account.created", "", 4)); });
  const auto all = ReadTx([](Tx& tx) { return tx.ListEvents(0, 100, std::nullopt); });
  ASSERT_EQ(all.size(), 4u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].seq, all[i].seq);
  EXPECT_EQ(all[0].type, "product.created");
  EXPECT_EQ(all[0].at, At(1));
  EXPECT_EQ(all[0].actor, "system");
  EXPECT_EQ(all[0].account_id, "alice");
  EXPECT_EQ(all[0].subject, "subj-product.created");
  EXPECT_EQ(all[0].data_json, R"({"k":"值"})");
  EXPECT_EQ(all[1].type, "number.issued");
  EXPECT_EQ(all[3].account_id, "");

  const auto page = ReadTx([&](Tx& tx) { return tx.ListEvents(all[0].seq, 2, std::nullopt); });
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].seq, all[1].seq);
  EXPECT_EQ(page[1].seq, all[2].seq);
  const auto alice = ReadTx([](Tx& tx) { return tx.ListEvents(0, 100, "alice"); });
  ASSERT_EQ(alice.size(), 2u);
  EXPECT_EQ(alice[1].seq, all[1].seq);
  EXPECT_TRUE(ReadTx([&](Tx& tx) { return tx.ListEvents(all[3].seq, 100, std::nullopt); }).empty());
}

TEST_P(MiscTest, StatsCountNumbersAndFilingsByState) {
  WriteTx([](Tx& tx) {
    tx.UpsertAccount(SampleAccount("alice"));
    const Product p = SampleProduct("p-1", "alice");
    tx.UpsertProduct(p);
    ServiceNumber a = SampleNumber("SN-1", p);
    ServiceNumber b = SampleNumber("SN-2", p);
    b.state = NumberState::kInReview;
    tx.InsertNumber(a);
    tx.InsertNumber(b);
    tx.InsertFiling(SampleFiling("f-1", b, "example.com"));
  });
  const Stats s = ReadTx([](Tx& tx) { return tx.GetStats(); });
  using P = std::pair<std::string, int64_t>;
  EXPECT_EQ(s.numbers_by_state, (std::vector<P>{{"available", 1}, {"in_review", 1}}));
  EXPECT_EQ(s.filings_by_state, (std::vector<P>{{"in_review", 1}}));
  EXPECT_EQ(s.numbers_issued, 2);
}

TEST_P(MiscTest, AnExceptionRollsBackAndBecomesInternal) {
  const Status st = store().Write([](Tx& tx) -> Status {
    tx.UpsertAccount(SampleAccount("alice"));
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetAccount("alice"); }).has_value());
}

// An expected error rolls the transaction back (RetryTest.ARefusalWritesNothing) unless the
// function asked to keep its writes, as a counted failed guess does.
TEST_P(MiscTest, AnExpectedErrorIsReturnedAndKeptWritesCommit) {
  const Status st = store().Write([](Tx& tx) -> Status {
    tx.RecordAttempt("sn:alice", At(1));
    tx.KeepWritesIfRefused();
    return MakeError(ErrorCode::kSnNotFound);
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kSnNotFound);
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.CountAttempts("sn:alice", At(0)); }), 1);
}

TEST_P(MiscTest, ABadStatementBecomesInternal) {
  const Status st = store().Read([](Tx& tx) -> Status {
    tx.conn().Query("SELECT no_such_column FROM accounts");
    return OkStatus();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(store().Ping().ok());
}

TEST_P(MiscTest, ReadersDoNotWaitForAWriter) {
  WriteTx([](Tx& tx) { tx.UpsertAccount(SampleAccount("alice")); });
  std::promise<void> writing;
  std::promise<void> done_reading;
  auto writer = std::async(std::launch::async, [&] {
    return store().Write([&](Tx& tx) -> Status {
      tx.UpsertAccount(SampleAccount("bob"));
      writing.set_value();
      done_reading.get_future().wait();
      return OkStatus();
    });
  });
  writing.get_future().wait();
  // While the write transaction is open: the committed state is readable, the new row is not.
  EXPECT_TRUE(ReadTx([](Tx& tx) { return tx.GetAccount("alice"); }).has_value());
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetAccount("bob"); }).has_value());
  done_reading.set_value();
  EXPECT_TRUE(writer.get().ok());
  EXPECT_TRUE(ReadTx([](Tx& tx) { return tx.GetAccount("bob"); }).has_value());
}

BEIAN_INSTANTIATE_BACKENDS(MiscTest);

}  // namespace
}  // namespace beian::testing
