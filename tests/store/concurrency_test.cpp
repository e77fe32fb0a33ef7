// Invariants under real concurrency: threads and processes on one database.
#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "service/internal.h"
#include "store/backend_fixture.h"
#include "store/child.h"
#include "store/samples.h"

namespace beian::testing {
namespace {

constexpr int kLimit = 40;

// Check-then-increment in one transaction, as Apply does. Returns false once the scope is full.
Result<bool> IssueOne(Store& store, const std::string& scope, const std::string& code) {
  return store.Write([&](Tx& tx) -> Result<bool> {
    if (tx.LockQuota(scope) >= kLimit) return false;
    ServiceNumber n = SampleNumber(code, SampleProduct("p-1", "alice"));
    n.quota_scope = scope;
    tx.InsertNumber(n);
    tx.AddQuotaUse(scope);
    return true;
  });
}

// Issues until the scope is full; returns how many this caller issued, or -1 on an error.
int IssueUntilFull(Store& store, const std::string& prefix) {
  int issued = 0;
  for (int i = 0;; ++i) {
    Result<bool> r = IssueOne(store, "p:p-1", prefix + "-" + std::to_string(i));
    if (!r.ok()) return -1;
    if (!*r) return issued;
    ++issued;
  }
}

BEIAN_CHILD(issue_until_full) {
  auto store = Store::Open(args.at(0));
  if (!store.ok()) return 2;
  return IssueUntilFull(**store, args.at(1)) < 0 ? 1 : 0;
}

class ConcurrencyTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    WriteTx([](Tx& tx) {
      tx.UpsertAccount(SampleAccount("alice"));
      tx.UpsertProduct(SampleProduct("p-1", "alice"));
    });
  }
  void ExpectExactlyFull() {
    EXPECT_EQ(ReadTx([](Tx& tx) { return tx.PeekQuota("p:p-1"); }), kLimit);
    NumberFilter f;
    f.limit = 1000;
    EXPECT_EQ(ReadTx([&](Tx& tx) { return tx.ListNumbers(f); }).size(),
              static_cast<std::size_t>(kLimit));
  }
};

TEST_P(ConcurrencyTest, EightThreadsStopExactlyAtTheQuota) {
  std::vector<std::thread> threads;
  std::vector<int> issued(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] { issued[t] = IssueUntilFull(store(), "T" + std::to_string(t)); });
  }
  for (auto& th : threads) th.join();
  int total = 0;
  for (int n : issued) {
    EXPECT_GE(n, 0) << "a transaction failed";
    total += n;
  }
  EXPECT_EQ(total, kLimit);
  ExpectExactlyFull();
}

TEST_P(ConcurrencyTest, FourProcessesStopExactlyAtTheQuota) {
  std::vector<pid_t> pids;
  for (int i = 0; i < 4; ++i) {
    pids.push_back(SpawnChild("issue_until_full", {url(), "P" + std::to_string(i)}));
  }
  for (pid_t pid : pids) EXPECT_EQ(WaitChild(pid), 0);
  ExpectExactlyFull();
}

// A reader paging with after=<last seq> while writers commit out of order must see every event
// exactly once.
TEST_P(ConcurrencyTest, APagingReaderNeverSkipsAnEvent) {
  constexpr int kWriters = 4;
  constexpr int kPerWriter = 30;
  std::atomic<int> writers_left{kWriters};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(w);
      for (int i = 0; i < kPerWriter; ++i) {
        const Status st = store().Write([&](Tx& tx) -> Status {
          // A write first (PostgreSQL assigns the transaction id here), then the event later, so
          // that transaction ids and event order disagree as they do in real use cases.
          tx.RecordAttempt("writer", At(i));
          std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
          tx.AppendEvent(Event{0, At(i), "system", "test.event", "alice",
                               std::to_string(w) + ":" + std::to_string(i), "{}"});
          std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
          return OkStatus();
        });
        EXPECT_TRUE(st.ok());
      }
      --writers_left;
    });
  }
  std::vector<std::string> seen;
  int64_t after = 0;
  for (;;) {
    const bool last_round = writers_left.load() == 0;
    for (;;) {
      const auto page = ReadTx([&](Tx& tx) { return tx.ListEvents(after, 7, std::nullopt); });
      for (const auto& e : page) {
        EXPECT_GT(e.seq, after);
        after = e.seq;
        seen.push_back(e.subject);
      }
      if (page.size() < 7) break;
    }
    if (last_round) break;
  }
  for (auto& t : writers) t.join();
  const std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "an event was returned twice";
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kWriters * kPerWriter)) << "an event was skipped";
}

// Brute-force limits: 8 threads × 25 guesses on one subject record exactly the limit.
TEST_P(ConcurrencyTest, AttemptReservationsStopExactlyAtTheLimit) {
  constexpr int kAttempts = 7;
  const Time now{std::chrono::seconds{1'800'000'000}};
  std::atomic<int> reserved{0};
  std::atomic<int> refused{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        Status st = store().Write([&](Tx& tx) -> Status {
          return svc::ReserveAttempt(tx, "pw:p-1", kAttempts, std::chrono::minutes(15), now);
        });
        if (st.ok()) {
          ++reserved;
        } else if (st.error().code == ErrorCode::kTooManyAttempts) {
          ++refused;
        } else {
          ++failed;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(reserved.load(), kAttempts);
  EXPECT_EQ(refused.load(), 8 * 25 - kAttempts);
  EXPECT_EQ(ReadTx([&](Tx& tx) { return tx.CountAttempts("pw:p-1", Time{}); }), kAttempts);
}

// Write rate limits: 8 threads taking from one new bucket get exactly its burst.
TEST_P(ConcurrencyTest, BucketTakesStopExactlyAtTheBurst) {
  const RateLimit limit{30, 1};
  const Time now{std::chrono::seconds{1'800'000'000}};
  std::atomic<int> taken{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        Result<bool> r = store().Write([&](Tx& tx) -> Result<bool> {
          BucketTake take = TakeToken(limit, tx.LockBucket("a:alice", {30'000, now}), now);
          if (take.allowed) tx.PutBucket("a:alice", take.next);
          return take.allowed;
        });
        if (!r.ok()) {
          ++failed;
        } else if (*r) {
          ++taken;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(taken.load(), limit.burst);
}

BEIAN_INSTANTIATE_BACKENDS(ConcurrencyTest);

}  // namespace
}  // namespace beian::testing
