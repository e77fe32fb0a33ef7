// The audit trail's filters (Service::FindEvents, Tx::FindEvents) and retention
// (Service::ArchiveEventsBefore), on both backends.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <vector>

#include "codec/api_json.h"
#include "store/samples.h"
#include "store/service_test_base.h"

namespace beian::testing {
namespace {

class EventsTest : public ServiceTestBase {
 protected:
  // e[0]..e[4], at 100..500 s.
  void AppendSample() {
    const std::vector<Event> events = {
        {0, At(100), "alice", "product.created", "alice", "p-1", "{}", ""},
        {0, At(200), "alice", "filing.submitted", "alice", "f-1", "{}", "bob"},
        {0, At(300), "system", "filing.approved", "alice", "f-1", "{}", "bob"},
        {0, At(400), "system", "number.issued", "bob", "N-1", "{}", ""},
        {0, At(500), "system", "account.created", "", "carol", "{}", ""},
    };
    for (const Event& e : events) WriteTx([&](Tx& tx) { tx.AppendEvent(e); });
    seq_.clear();
    for (const Event& e : ReadTx([](Tx& tx) { return tx.ListEvents(0, 100, std::nullopt); })) {
      seq_.push_back(e.seq);
    }
    ASSERT_EQ(seq_.size(), 5u);
  }
  // The indexes (0-4) of the sample events that `q` finds for `who`, in the order found.
  std::vector<int> Found(const Principal& who, EventQuery q) {
    auto page = svc().FindEvents(who, q);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().detail.en);
    std::vector<int> out;
    if (!page.ok()) return out;
    for (const Event& e : page->items) {
      out.push_back(static_cast<int>(std::find(seq_.begin(), seq_.end(), e.seq) - seq_.begin()));
    }
    return out;
  }
  static EventQuery Types(std::vector<std::string> types) {
    EventQuery q;
    q.types = std::move(types);
    return q;
  }
  std::vector<std::string> Files(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::vector<int64_t> seq_;
};

using V = std::vector<int>;

TEST_P(EventsTest, FiltersByTypeObjectAccountAndTime) {
  AppendSample();
  const Principal& op = w().op;
  EXPECT_EQ(Found(op, {}), (V{0, 1, 2, 3, 4}));
  EXPECT_EQ(Found(op, Types({"filing.*"})), (V{1, 2}));
  EXPECT_EQ(Found(op, Types({"number.issued", "filing.approved"})), (V{2, 3}));
  EXPECT_EQ(Found(op, Types({"filing.*", "filing.approved", "product.created"})), (V{0, 1, 2}));
  EXPECT_EQ(Found(op, Types({"filing"})), V{});  // an exact type, not a prefix
  EventQuery q;
  q.subject = "f-1";
  EXPECT_EQ(Found(op, q), (V{1, 2}));
  q.types = {"filing.approved"};
  EXPECT_EQ(Found(op, q), (V{2}));
  q = {};
  q.account = "bob";  // account_id or account2
  EXPECT_EQ(Found(op, q), (V{1, 2, 3}));
  q.types = {"filing.submitted", "number.*"};
  EXPECT_EQ(Found(op, q), (V{1, 3}));
  q = {};
  q.since = At(200);
  q.until = At(400);
  EXPECT_EQ(Found(op, q), (V{1, 2}));
  q.newest_first = true;
  EXPECT_EQ(Found(op, q), (V{2, 1}));
  // Paging through a filter.
  q = Types({"filing.*", "account.created"});
  q.limit = 2;
  EXPECT_EQ(Found(op, q), (V{1, 2}));
  q.after = seq_[2];
  EXPECT_EQ(Found(op, q), (V{4}));
  q = Types({"filing.*", "account.created"});
  q.newest_first = true;
  q.limit = 2;
  auto page = svc().FindEvents(op, q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->next_before, seq_[2]);
  q.before = page->next_before;
  EXPECT_EQ(Found(op, q), (V{1}));
}

TEST_P(EventsTest, ACustomerSeesOnlyItsOwnEvents) {
  AppendSample();
  EXPECT_EQ(Found(w().bob, {}), (V{1, 2, 3}));
  EXPECT_EQ(Found(w().alice, Types({"filing.approved", "product.created"})), (V{0, 2}));
  EventQuery other;
  other.account = "alice";
  EXPECT_EQ(Found(w().bob, other), V{});  // another account's filter matches nothing
  other.account = "bob";
  EXPECT_EQ(Found(w().bob, other), (V{1, 2, 3}));
  EventQuery carol;
  carol.subject = "carol";
  EXPECT_EQ(Found(w().carol, carol), V{});
}

TEST_P(EventsTest, BadFiltersAreRefusedNamingTheField) {
  const auto field = [&](EventQuery q) {
    auto r = svc().FindEvents(w().op, q);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return std::string();
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
    return r.error().errors.empty() ? std::string() : r.error().errors[0].field;
  };
  EXPECT_EQ(field(Types({"Filing!"})), "type");
  EXPECT_EQ(field(Types({""})), "type");
  EXPECT_EQ(field(Types({".*"})), "type");
  EventQuery q;
  q.since = At(200);
  q.until = At(100);
  EXPECT_EQ(field(q), "until");
  q = {};
  q.subject = "";
  EXPECT_EQ(field(q), "object_id");
}

TEST_P(EventsTest, ExportWritesEveryMatchingEventAsNdjson) {
  AppendSample();
  std::ostringstream out;
  auto n = svc().ExportEvents(w().op, Types({"filing.*"}), out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  const auto all = ReadTx([](Tx& tx) { return tx.ListEvents(0, 100, std::nullopt); });
  EXPECT_EQ(out.str(), EventToJson(all[1]) + "\n" + EventToJson(all[2]) + "\n");
}

TEST_P(EventsTest, ArchiveWritesTheOldEventsToAFileThenDeletesExactlyThose) {
  AppendSample();
  const auto all = ReadTx([](Tx& tx) { return tx.ListEvents(0, 100, std::nullopt); });
  const std::string dir = ScratchDir();
  auto r = svc().ArchiveEventsBefore(At(350), dir);
  ASSERT_TRUE(r.ok()) << r.error().detail.en;
  EXPECT_FALSE(r->busy);
  EXPECT_EQ(r->events, 3);
  ASSERT_EQ(r->files.size(), 1u);
  const std::string& name = r->files[0];
  EXPECT_TRUE(
      name.starts_with("events-" + std::to_string(seq_[0]) + "-" + std::to_string(seq_[2]) + "-"))
      << name;
  EXPECT_EQ(Files(dir), std::vector<std::string>{name});  // no temporary file left
  EXPECT_NE(Slurp(dir + "/" + name).find(R"("account2":"bob")"), std::string::npos);
  EXPECT_EQ(Slurp(dir + "/" + name), EventToArchiveJson(all[0]) + "\n" +
                                         EventToArchiveJson(all[1]) + "\n" +
                                         EventToArchiveJson(all[2]) + "\n");
  const auto left = ReadTx([](Tx& tx) { return tx.ListEvents(0, 100, std::nullopt); });
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].seq, seq_[3]);
  // Nothing older is left: a second run writes no file.
  r = svc().ArchiveEventsBefore(At(350), dir);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->events, 0);
  EXPECT_EQ(Files(dir).size(), 1u);
}

TEST_P(EventsTest, AFileLeftByACrashBeforeTheDeleteIsRewritten) {
  AppendSample();
  const auto all = ReadTx([](Tx& tx) { return tx.ListEvents(0, 100, std::nullopt); });
  const std::string dir = ScratchDir();
  // A crashed run wrote the first two events' file (its cut-off was earlier) and died before its
  // delete committed; and a temporary file of an unfinished write.
  const std::string stale =
      "events-" + std::to_string(seq_[0]) + "-" + std::to_string(seq_[1]) + "-20260101.ndjson";
  std::ofstream(dir + "/" + stale) << EventToJson(all[0]) << "\n" << EventToJson(all[1]) << "\n";
  std::ofstream(dir + "/.tmp-" + stale) << EventToJson(all[0]) << "\n";
  auto r = svc().ArchiveEventsBefore(At(350), dir);
  ASSERT_TRUE(r.ok()) << r.error().detail.en;
  EXPECT_EQ(r->events, 3);
  ASSERT_EQ(r->files.size(), 1u);
  EXPECT_EQ(Files(dir), std::vector<std::string>{r->files[0]});  // the stale file is gone
  EXPECT_EQ(Slurp(dir + "/" + r->files[0]), EventToArchiveJson(all[0]) + "\n" +
                                                EventToArchiveJson(all[1]) + "\n" +
                                                EventToArchiveJson(all[2]) + "\n");
}

TEST_P(EventsTest, AFailedFileWriteDeletesNothing) {
  AppendSample();
  auto r = svc().ArchiveEventsBefore(At(350), ScratchDir() + "/missing");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.ListEvents(0, 100, std::nullopt); }).size(), 5u);
}

TEST_P(EventsTest, RetentionFollowsThePolicy) {
  AppendSample();
  // Retention 0 (the default): kept forever.
  auto r = svc().ArchiveExpiredEvents(At(1'000'000'000), ScratchDir());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->events, 0);
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.ListEvents(0, 100, std::nullopt); }).size(), 5u);
}

TEST_P(EventsTest, OnlyOneArchiverAtATime) {
  if (!is_pg()) GTEST_SKIP() << "SQLite writers exclude each other already";
  AppendSample();
  std::promise<void> locked;
  std::promise<void> release;
  auto holder = std::async(std::launch::async, [&] {
    return store().Write([&](Tx& tx) -> Status {
      EXPECT_TRUE(tx.TryLockEventArchive());
      locked.set_value();
      release.get_future().wait();
      return OkStatus();
    });
  });
  locked.get_future().wait();
  auto r = svc().ArchiveEventsBefore(At(350), ScratchDir());
  release.set_value();
  ASSERT_TRUE(holder.get().ok());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->busy);
  EXPECT_EQ(r->events, 0);
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.ListEvents(0, 100, std::nullopt); }).size(), 5u);
}

BEIAN_INSTANTIATE_BACKENDS(EventsTest);

}  // namespace
}  // namespace beian::testing
