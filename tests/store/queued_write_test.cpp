// Store::TryWriteQueued: a write that does not wait for its commit. SQLite queues it into the group
// commit (its body runs on the writer thread, `done` is told after the commit); PostgreSQL queues
// nothing.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/backend_fixture.h"
#include "store/samples.h"
#include "store/sql_store.h"

namespace beian::testing {
namespace {

// What `done` was told, awaitable from the test's thread.
class Told {
 public:
  std::function<void(bool)> Callback() {
    return [this](bool ran) {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.push_back(ran);
      cv_.notify_all();
    };
  }
  // The calls so far once there are at least n (or after 10 s).
  std::vector<bool> Await(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return calls_.size() >= n; });
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<bool> calls_;
};

class QueuedWriteTest : public BackendTest {
 protected:
  bool HasAccount(const std::string& id) {
    return ReadTx([&](Tx& tx) { return tx.GetAccount(id); }).has_value();
  }
};

TEST_P(QueuedWriteTest, OnlySqliteQueues) {
  std::atomic<int> runs{0};
  Told told;
  const bool queued = store().TryWriteQueued(
      [&](Tx& tx) {
        ++runs;
        tx.UpsertAccount(SampleAccount("queued"));
        return true;
      },
      told.Callback());
  if (is_pg()) {
    EXPECT_FALSE(queued);
    EXPECT_EQ(runs.load(), 0);
    EXPECT_FALSE(HasAccount("queued"));
    return;
  }
  ASSERT_TRUE(queued);
  EXPECT_EQ(told.Await(1), std::vector<bool>{true});
  EXPECT_EQ(runs.load(), 1);
  EXPECT_TRUE(HasAccount("queued"));
}

BEIAN_INSTANTIATE_BACKENDS(QueuedWriteTest);

// The rest concerns SQLite's group commit only.
class QueuedGroupTest : public QueuedWriteTest {};

TEST_P(QueuedGroupTest, DoneIsToldOnlyOnceTheWriteCommitted) {
  auto other = OpenStore();  // another process's view: sees committed rows only
  ASSERT_NE(other, nullptr);
  const uint64_t before = store().committed_writes();
  std::promise<bool> seen_committed;
  ASSERT_TRUE(store().TryWriteQueued(
      [](Tx& tx) {
        tx.UpsertAccount(SampleAccount("durable"));
        return true;
      },
      [&](bool ran) {
        const bool visible =
            other->Read([](Tx& tx) -> Result<bool> { return tx.GetAccount("durable").has_value(); })
                .value();
        seen_committed.set_value(ran && visible);
      }));
  std::future<bool> f = seen_committed.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(f.get()) << "done was told before another connection could see the write";
  EXPECT_EQ(store().committed_writes() - before, 1u);
}

TEST_P(QueuedGroupTest, ABodyThatReturnsFalseIsRolledBackAndToldItRan) {
  const uint64_t before = store().committed_writes();
  Told told;
  ASSERT_TRUE(store().TryWriteQueued(
      [](Tx& tx) {
        tx.UpsertAccount(SampleAccount("refused"));
        return false;
      },
      told.Callback()));
  EXPECT_EQ(told.Await(1), std::vector<bool>{true});
  EXPECT_FALSE(HasAccount("refused"));
  EXPECT_EQ(store().committed_writes(), before);
}

TEST_P(QueuedGroupTest, ABodyThatThrowsLeavesNoTraceAndIsNotRetried) {
  std::atomic<int> runs{0};
  Told told;
  ASSERT_TRUE(store().TryWriteQueued(
      [&](Tx& tx) -> bool {
        ++runs;
        tx.UpsertAccount(SampleAccount("thrown"));
        throw StoreError("simulated conflict", /*retryable=*/true);
      },
      told.Callback()));
  EXPECT_EQ(told.Await(1), std::vector<bool>{false});
  EXPECT_EQ(runs.load(), 1);
  EXPECT_FALSE(HasAccount("thrown"));
}

// Queued members and waiting ones share a batch: while the first write holds the writer, 20
// queued and 20 waiting writes queue up; each gets its own outcome, and the waiting ones (which
// wake each other in a tree built over the waiting members only) all return.
TEST_P(QueuedGroupTest, QueuedAndWaitingWritesShareABatch) {
  auto* sql = dynamic_cast<store_internal::SqlStore*>(&store());
  ASSERT_NE(sql, nullptr);
  constexpr int kEach = 20;
  Told told;
  std::vector<std::future<Status>> waiting;
  const Status first = store().Write([&](Tx& tx) -> Status {
    tx.UpsertAccount(SampleAccount("first"));
    for (int i = 0; i < kEach; ++i) {
      // Queued: i % 4 == 1 refuses, i % 4 == 3 throws.
      EXPECT_TRUE(store().TryWriteQueued(
          [i](Tx& t) -> bool {
            if (i % 4 == 3) throw StoreError("simulated failure");
            t.UpsertAccount(SampleAccount("q" + std::to_string(i)));
            return i % 4 != 1;
          },
          told.Callback()));
      waiting.push_back(std::async(std::launch::async, [this, i] {
        return store().Write([i](Tx& t) -> Status {
          t.UpsertAccount(SampleAccount("w" + std::to_string(i)));
          if (i % 2 == 1) return MakeError(ErrorCode::kInvalidState);
          return OkStatus();
        });
      }));
    }
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (sql->QueuedWriters() < 2 * kEach && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::yield();
    }
    return OkStatus();
  });
  ASSERT_TRUE(first.ok());
  for (int i = 0; i < kEach; ++i) {
    auto& f = waiting[static_cast<std::size_t>(i)];
    ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready) << i;
    EXPECT_EQ(f.get().ok(), i % 2 == 0) << i;
    EXPECT_EQ(HasAccount("w" + std::to_string(i)), i % 2 == 0) << i;
  }
  const std::vector<bool> calls = told.Await(kEach);
  ASSERT_EQ(calls.size(), static_cast<std::size_t>(kEach));
  int not_ran = 0;
  for (bool ran : calls) not_ran += ran ? 0 : 1;
  EXPECT_EQ(not_ran, kEach / 4);  // the throwing ones
  for (int i = 0; i < kEach; ++i) {
    EXPECT_EQ(HasAccount("q" + std::to_string(i)), i % 4 == 0 || i % 4 == 2) << i;
  }
}

// A Store being destroyed finishes what was queued, and tells each member, before it returns.
TEST_P(QueuedGroupTest, DestroyingTheStoreTellsEveryQueuedWrite) {
  constexpr int kQueued = 50;
  std::atomic<int> told{0};
  {
    auto s = OpenStore();
    ASSERT_NE(s, nullptr);
    for (int i = 0; i < kQueued; ++i) {
      ASSERT_TRUE(s->TryWriteQueued(
          [i](Tx& tx) {
            tx.UpsertAccount(SampleAccount("d" + std::to_string(i)));
            return true;
          },
          [&](bool ran) {
            if (ran) ++told;
          }));
    }
  }
  EXPECT_EQ(told.load(), kQueued);
  for (int i = 0; i < kQueued; ++i) EXPECT_TRUE(HasAccount("d" + std::to_string(i))) << i;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, QueuedGroupTest, ::testing::Values(std::string("sqlite")),
                         ::beian::testing::BackendName);

}  // namespace
}  // namespace beian::testing
