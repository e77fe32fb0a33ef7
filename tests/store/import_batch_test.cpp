// Import writes a batch of lines set-wise (ImportBatchInTx): on both backends a batch gives the
// results and the events, in order, that writing its lines one by one gave.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "store/service_test_base.h"
#include "store/store.h"

namespace beian::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using EventRow = std::tuple<std::string, std::string, std::string>;  // type, account, subject

// One import line: a product `id` of `account` of `kind`, named `name`, `status`, expiring 2030.
std::string Line(const std::string& id, const std::string& account, const std::string& name = "",
                 const std::string& status = "running", const std::string& kind = "ecs") {
  return R"({"id":")" + id + R"(","account_id":")" + account + R"(","kind":")" + kind +
         R"(","name":")" + name +
         R"(","billing":"subscription","region":"cn-hangzhou",)"
         R"("public_ips":["47.96.1.2"],"expires_at":"2030-01-01T00:00:00Z","status":")" +
         status + "\"}\n";
}

class ImportBatchTest : public ServiceTestBase {
 protected:
  Result<ImportReport> Import(const std::string& text) {
    std::istringstream in(text);
    return svc().Import(w().op, in);
  }
  // Every event after `seq`, oldest first, read a page of 500 at a time.
  std::vector<Event> AllEventsAfter(int64_t seq) {
    std::vector<Event> out;
    for (;;) {
      Result<EventPage> page = svc().ListEvents(w().op, seq, 500);
      EXPECT_TRUE(page.ok());
      if (!page.ok() || page->items.empty()) return out;
      seq = page->items.back().seq;
      for (Event& e : page->items) out.push_back(std::move(e));
    }
  }
  int64_t LastSeq() {
    std::vector<Event> all = AllEventsAfter(0);
    return all.empty() ? 0 : all.back().seq;
  }
  std::vector<EventRow> EventsAfter(int64_t seq) {
    std::vector<EventRow> out;
    for (const Event& e : AllEventsAfter(seq)) out.emplace_back(e.type, e.account_id, e.subject);
    return out;
  }
};

TEST_P(ImportBatchTest, ABatchOfNewUpdatedUnchangedAndRefusedLinesGivesTheOneByOneResults) {
  w().AddCustomers();
  ASSERT_TRUE(
      svc()
          .PutAccount(w().op, AccountChange{"ops", Role::kOperator, std::nullopt, "", std::nullopt})
          .ok());
  ASSERT_TRUE(Import(Line("p-upd", "alice", "a") + Line("p-same", "alice", "s") +
                     Line("p-rel", "bob", "r") + Line("p-bob", "bob"))
                  .ok());
  const int64_t before = LastSeq();
  std::string text;
  text += Line("n-1", "alice", "new");            // 1 created
  text += Line("n-2", "dora", "new");             // 2 created, dora too
  text += Line("p-upd", "alice", "changed");      // 3 updated
  text += Line("p-same", "alice", "s");           // 4 unchanged (counts as updated)
  text += "{not json\n";                          // 5 refused
  text += Line("p-bob", "alice");                 // 6 refused: owner change
  text += Line("n-3", "ops");                     // 7 refused: operator owner
  text += Line("p-rel", "bob", "r", "released");  // 8 updated and released
  text += Line("n-4", "dora", "x");               // 9 created (dora exists now)
  text += Line("n-1", "alice", "again");          // 10 updated: same id as line 1
  text += Line("m-1", "erin", "m", "running", "marketplace_site");  // 11 created and issued
  text += Line("n-5", "alice");                                     // 12 created
  Result<ImportReport> r = Import(text);
  ASSERT_TRUE(r.ok()) << r.error().detail.en;
  EXPECT_EQ(r->created, 5);
  EXPECT_EQ(r->updated, 4);
  std::vector<std::pair<int64_t, std::string>> failed;
  for (const ImportLineError& e : r->failed) failed.emplace_back(e.line, e.code);
  EXPECT_THAT(failed, ElementsAre(std::pair<int64_t, std::string>{5, "INVALID_REQUEST"},
                                  std::pair<int64_t, std::string>{6, "INVALID_REQUEST"},
                                  std::pair<int64_t, std::string>{7, "INVALID_REQUEST"}));
  std::vector<EventRow> events = EventsAfter(before);
  ASSERT_FALSE(events.empty());
  const std::string issued_code = std::get<2>(events[events.size() - 2]);
  EXPECT_THAT(
      events,
      ElementsAre(
          EventRow{"product.created", "alice", "n-1"}, EventRow{"account.created", "dora", "dora"},
          EventRow{"product.created", "dora", "n-2"}, EventRow{"product.updated", "alice", "p-upd"},
          EventRow{"product.updated", "bob", "p-rel"}, EventRow{"product.released", "bob", "p-rel"},
          EventRow{"product.created", "dora", "n-4"}, EventRow{"product.updated", "alice", "n-1"},
          EventRow{"account.created", "erin", "erin"}, EventRow{"product.created", "erin", "m-1"},
          EventRow{"number.issued", "erin", issued_code},
          EventRow{"product.created", "alice", "n-5"}));
  EXPECT_EQ(svc().GetProduct(w().op, "n-1")->product.name, "again");
  EXPECT_EQ(svc().GetProduct(w().op, "p-upd")->product.name, "changed");
  EXPECT_EQ(svc().GetProduct(w().op, "p-bob")->product.account_id, "bob");
  EXPECT_EQ(CodeOf(svc().GetProduct(w().op, "n-3")), "NOT_FOUND");

  // The same batch again changes nothing and writes no event (the number is issued once).
  const int64_t second = LastSeq();
  Result<ImportReport> again = Import(text);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->updated, 9);
  EXPECT_THAT(EventsAfter(second), ElementsAre(EventRow{"product.updated", "alice", "n-1"},
                                               EventRow{"product.updated", "alice", "n-1"}));
}

// 2,500 lines in three batches, each written in a few statements: every 100th line repeats the
// line before it with another name (the batch writes an id once per statement).
TEST_P(ImportBatchTest, BatchesOfManyLinesWithRepeatedIdsKeepTheOrderOfTheLines) {
  std::string text;
  int64_t lines = 0;
  for (int i = 0; i < 2400; ++i) {
    const std::string id = "b-" + std::to_string(i);
    text += Line(id, "acct-" + std::to_string(i % 13), "first");
    ++lines;
    if (i % 24 == 23) {
      text += Line(id, "acct-" + std::to_string(i % 13), "second");
      ++lines;
    }
  }
  ASSERT_EQ(lines, 2500);
  const int64_t before = LastSeq();
  Result<ImportReport> r = Import(text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->created, 2400);
  EXPECT_EQ(r->updated, 100);
  EXPECT_THAT(r->failed, IsEmpty());
  std::vector<EventRow> events = EventsAfter(before);
  ASSERT_EQ(events.size(), 13u + 2500u);
  int created = 0;
  int updated = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& [type, account, subject] = events[i];
    if (type == "product.updated") {
      ++updated;
      ASSERT_GT(i, 0u);
      EXPECT_EQ(events[i - 1], (EventRow{"product.created", account, subject}));
    }
    created += type == "product.created" ? 1 : 0;
  }
  EXPECT_EQ(created, 2400);
  EXPECT_EQ(updated, 100);
  EXPECT_EQ(svc().GetProduct(w().op, "b-23")->product.name, "second");
  EXPECT_EQ(svc().GetProduct(w().op, "b-24")->product.name, "first");
  EXPECT_EQ(svc().GetProduct(w().op, "b-2399")->product.name, "second");
}

BEIAN_INSTANTIATE_BACKENDS(ImportBatchTest);

}  // namespace
}  // namespace beian::testing
