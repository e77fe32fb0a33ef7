// Store::RunTx: retries, error mapping, connection replacement, and refusals that write nothing.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "store/backend_fixture.h"
#include "store/samples.h"
#include "store/sql_store.h"

namespace beian::testing {
namespace {

class RetryTest : public BackendTest {};

TEST_P(RetryTest, RetryableFailuresRerunTheBodyOnACleanTransaction) {
  int runs = 0;
  const Status st = store().Write([&](Tx& tx) -> Status {
    ++runs;
    tx.UpsertAccount(SampleAccount("run" + std::to_string(runs)));
    if (runs < 3) throw StoreError("simulated conflict", /*retryable=*/true);
    return OkStatus();
  });
  ASSERT_TRUE(st.ok()) << st.error().detail.en;
  EXPECT_EQ(runs, 3);
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetAccount("run1"); }).has_value());
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetAccount("run2"); }).has_value());
  EXPECT_TRUE(ReadTx([](Tx& tx) { return tx.GetAccount("run3"); }).has_value());
}

TEST_P(RetryTest, ARefusalWritesNothing) {
  const Status st = store().Write([&](Tx& tx) -> Status {
    tx.UpsertAccount(SampleAccount("refused"));
    return MakeError(ErrorCode::kInvalidState);
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidState);
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetAccount("refused"); }).has_value());
}

TEST_P(RetryTest, KeepWritesIfRefusedCommitsTheRefusalsWrites) {
  const Result<int> r = store().Write([&](Tx& tx) -> Result<int> {
    tx.UpsertAccount(SampleAccount("kept"));
    tx.KeepWritesIfRefused();
    return MakeError(ErrorCode::kTooManyAttempts);
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTooManyAttempts);
  EXPECT_TRUE(ReadTx([](Tx& tx) { return tx.GetAccount("kept"); }).has_value());
}

// On SQLite concurrent writes share one transaction (group commit): a refusal in the batch must
// roll back its own writes only, and KeepWritesIfRefused must not leak to the next member.
TEST_P(RetryTest, ConcurrentRefusalsRollBackOnlyThemselves) {
  constexpr int kWriters = 24;
  std::vector<std::future<Status>> done;
  for (int i = 0; i < kWriters; ++i) {
    done.push_back(std::async(std::launch::async, [this, i]() -> Status {
      return store().Write([i](Tx& tx) -> Status {
        tx.UpsertAccount(SampleAccount("c" + std::to_string(i)));
        if (i % 3 == 1) return MakeError(ErrorCode::kInvalidState);
        if (i % 3 == 2) {
          tx.KeepWritesIfRefused();
          return MakeError(ErrorCode::kTooManyAttempts);
        }
        return OkStatus();
      });
    }));
  }
  for (int i = 0; i < kWriters; ++i) {
    const Status st = done[static_cast<std::size_t>(i)].get();
    EXPECT_EQ(st.ok(), i % 3 == 0) << i;
    const std::string id = "c" + std::to_string(i);
    const bool present = ReadTx([&](Tx& tx) { return tx.GetAccount(id); }).has_value();
    EXPECT_EQ(present, i % 3 != 1) << id;
  }
}

// SQLite's group commit: a writer that queues while the leader runs the batch's bodies joins that
// batch and its commit, rather than waiting for the commit and then for one of its own.
// (PostgreSQL commits each transaction on its own: the suite runs on SQLite only.)
class GroupCommitTest : public BackendTest {};

TEST_P(GroupCommitTest, AWriterQueuedDuringTheBodiesSharesTheirCommit) {
  auto* sql = dynamic_cast<store_internal::SqlStore*>(&store());
  ASSERT_NE(sql, nullptr);
  std::atomic<bool> first_running{false};
  std::atomic<bool> second_saw_first_committed{true};
  std::atomic<bool> second_saw_first_in_batch{false};
  std::future<Status> second = std::async(std::launch::async, [&] {
    while (!first_running.load()) std::this_thread::yield();
    return store().Write([&](Tx& tx) -> Status {
      second_saw_first_in_batch = tx.GetAccount("first").has_value();
      second_saw_first_committed =
          store()
              .Read([](Tx& r) -> Result<bool> { return r.GetAccount("first").has_value(); })
              .value();
      tx.UpsertAccount(SampleAccount("second"));
      return OkStatus();
    });
  });
  const Status first = store().Write([&](Tx& tx) -> Status {
    tx.UpsertAccount(SampleAccount("first"));
    first_running = true;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (sql->QueuedWriters() == 0 && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::yield();
    }
    return OkStatus();
  });
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.get().ok());
  EXPECT_TRUE(second_saw_first_in_batch.load()) << "the second body ran in the first's transaction";
  EXPECT_FALSE(second_saw_first_committed.load()) << "the second body ran before the commit";
  EXPECT_TRUE(ReadTx([](Tx& tx) { return tx.GetAccount("second"); }).has_value());
}

// The members of one batch wake each other in a tree (the writer wakes only the first): the 47
// writers that queue while the first write's body holds the writer join its batch, a tree six
// levels deep, and every member returns with its own outcome (committed, refused, or failed and
// then re-run alone).
TEST_P(GroupCommitTest, EveryMemberOfALargeBatchIsWokenWithItsOwnOutcome) {
  auto* sql = dynamic_cast<store_internal::SqlStore*>(&store());
  ASSERT_NE(sql, nullptr);
  constexpr int kQueued = 47;
  std::atomic<bool> first_running{false};
  std::vector<std::future<Status>> queued;
  std::atomic<int> throws_left{(kQueued + 4) / 5};  // the first attempt of each i % 5 == 0 throws
  const Status first = store().Write([&](Tx& tx) -> Status {
    tx.UpsertAccount(SampleAccount("first"));
    first_running = true;
    for (int i = 0; i < kQueued; ++i) {
      queued.push_back(std::async(std::launch::async, [&, i] {
        bool thrown = false;
        return store().Write([&, i](Tx& tx) -> Status {
          if (i % 5 == 0 && !thrown) {
            thrown = true;
            throws_left.fetch_sub(1);
            throw StoreError("conflict on the first attempt", /*retryable=*/true);
          }
          tx.UpsertAccount(SampleAccount("q" + std::to_string(i)));
          if (i % 3 == 1) return MakeError(ErrorCode::kInvalidState);
          return OkStatus();
        });
      }));
    }
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (sql->QueuedWriters() < static_cast<std::size_t>(kQueued) &&
           std::chrono::steady_clock::now() < give_up) {
      std::this_thread::yield();
    }
    return OkStatus();
  });
  ASSERT_TRUE(first.ok());
  for (int i = 0; i < kQueued; ++i) {
    auto& f = queued[static_cast<std::size_t>(i)];
    ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready)
        << "member " << i << " was never woken";
    const Status st = f.get();
    EXPECT_EQ(st.ok(), i % 3 != 1) << i;
    const std::string id = "q" + std::to_string(i);
    EXPECT_EQ(ReadTx([&](Tx& tx) { return tx.GetAccount(id); }).has_value(), i % 3 != 1) << id;
  }
  EXPECT_EQ(throws_left.load(), 0);
}

TEST_P(RetryTest, RetriesAreBoundedAndThenUnavailable) {
  StoreOptions options;
  options.max_retries = 2;
  auto s = OpenStore(options);
  ASSERT_NE(s, nullptr);
  int runs = 0;
  const Status st = s->Write([&](Tx&) -> Status {
    ++runs;
    throw StoreError("always conflicting", /*retryable=*/true);
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(runs, 3);
}

TEST_P(RetryTest, OtherStoreErrorsAreNotRetried) {
  int runs = 0;
  Status st = store().Write([&](Tx&) -> Status {
    ++runs;
    throw StoreError("broken invariant");
  });
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  st = store().Write([&](Tx&) -> Status {
    ++runs;
    throw StoreError("connection lost mid-transaction", false, /*unavailable=*/true);
  });
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(runs, 2);
}

// Concurrent writers (grouped into one commit on SQLite): a body that fails leaves no trace and
// gets its own error, while every other writer's change is committed.
TEST_P(RetryTest, AFailingWriterAmongConcurrentOnesAffectsOnlyItself) {
  constexpr int kWriters = 16;
  std::atomic<int> ready{0};
  std::vector<std::future<Status>> results;
  for (int i = 0; i < kWriters; ++i) {
    results.push_back(std::async(std::launch::async, [&, i] {
      ready.fetch_add(1);
      while (ready.load() < kWriters) std::this_thread::yield();
      return store().Write([&, i](Tx& tx) -> Status {
        tx.UpsertAccount(SampleAccount("w" + std::to_string(i)));
        if (i % 4 == 0) throw StoreError("writer " + std::to_string(i) + " fails");
        return OkStatus();
      });
    }));
  }
  for (int i = 0; i < kWriters; ++i) {
    const Status st = results[i].get();
    const bool present =
        ReadTx([&](Tx& tx) { return tx.GetAccount("w" + std::to_string(i)); }).has_value();
    if (i % 4 == 0) {
      ASSERT_FALSE(st.ok()) << i;
      EXPECT_EQ(st.error().code, ErrorCode::kInternal) << i;
      EXPECT_FALSE(present) << i;
    } else {
      EXPECT_TRUE(st.ok()) << i;
      EXPECT_TRUE(present) << i;
    }
  }
}

// A body that swallows a failed statement must not report a commit that did not happen.
TEST_P(RetryTest, ASwallowedStatementErrorIsNotACommit) {
  const Status st = store().Write([](Tx& tx) -> Status {
    tx.UpsertAccount(SampleAccount("alice"));
    try {
      tx.conn().Exec("INSERT INTO no_such_table VALUES (1)");
    } catch (const StoreError&) {
    }
    return OkStatus();
  });
  // SQLite keeps the transaction usable after a failed statement, PostgreSQL aborts it.
  if (is_pg()) {
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::kInternal);
    EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetAccount("alice"); }).has_value());
  } else {
    ASSERT_TRUE(st.ok());
    EXPECT_TRUE(ReadTx([](Tx& tx) { return tx.GetAccount("alice"); }).has_value());
  }
}

// SQLite: a writer that finds the database locked (busy timeout 0) retries until it is free.
// PostgreSQL: two writers locking two quota rows in opposite order deadlock; the victim retries.
TEST_P(RetryTest, ContendedWritersBothSucceed) {
  StoreOptions impatient;
  impatient.busy_timeout = std::chrono::milliseconds(0);
  impatient.max_retries = 100;
  auto other = OpenStore(impatient);
  ASSERT_NE(other, nullptr);
  std::atomic<int> first_locks{0};
  auto wait_until = [&](int n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (first_locks.load() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
  auto run = [&](Store& s, const char* a, const char* b) {
    bool first = true;
    return s.Write([&](Tx& tx) -> Status {
      tx.LockQuota(a);
      if (first) {
        first = false;
        ++first_locks;
        if (is_pg()) {
          wait_until(2);  // both hold their first lock: the second locks deadlock
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the other meets BUSY
        }
      }
      tx.LockQuota(b);
      tx.AddQuotaUse(b);
      return OkStatus();
    });
  };
  auto one = std::async(std::launch::async, [&] { return run(store(), "q:a", "q:b"); });
  wait_until(1);
  auto two = std::async(std::launch::async, [&] { return run(*other, "q:b", "q:a"); });
  const Status s1 = one.get();
  const Status s2 = two.get();
  EXPECT_TRUE(s1.ok()) << s1.error().detail.en;
  EXPECT_TRUE(s2.ok()) << s2.error().detail.en;
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.PeekQuota("q:a") + tx.PeekQuota("q:b"); }), 2);
}

TEST(PgConnectionTest, AKilledPooledConnectionIsReplaced) {
  TestDatabase db("postgres");
  ASSERT_TRUE(db.ok()) << db.error();
  StoreOptions one;
  one.pool_size = 1;
  auto s = Store::Open(db.url(), one);
  ASSERT_TRUE(s.ok());
  auto killer = Store::Open(db.url());
  ASSERT_TRUE(killer.ok());
  auto pid = (*s)->Read([](Tx& tx) -> Result<int64_t> {
    return tx.conn().Query("SELECT pg_backend_pid()").at(0).Int(0);
  });
  ASSERT_TRUE(pid.ok());
  const Status killed = (*killer)->Read([&](Tx& tx) -> Status {
    tx.conn().Query("SELECT pg_terminate_backend($1::int)", {*pid});
    return OkStatus();
  });
  ASSERT_TRUE(killed.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE((*s)->Ping().ok());
  auto pid2 = (*s)->Read([](Tx& tx) -> Result<int64_t> {
    return tx.conn().Query("SELECT pg_backend_pid()").at(0).Int(0);
  });
  ASSERT_TRUE(pid2.ok());
  EXPECT_NE(*pid2, *pid);
}

TEST(PgConnectionTest, StatementsAreRepreparedAfterATableChangedType) {
  TestDatabase db("postgres");
  ASSERT_TRUE(db.ok()) << db.error();
  StoreOptions one;
  one.pool_size = 1;
  auto s = Store::Open(db.url(), one);
  auto other = Store::Open(db.url());
  ASSERT_TRUE(s.ok() && other.ok());
  auto exec = [](Store& store, const char* sql) {
    return store.Write([&](Tx& tx) -> Status {
      tx.conn().ExecScript(sql);
      return OkStatus();
    });
  };
  ASSERT_TRUE(exec(**s, "CREATE TABLE t (v integer); INSERT INTO t VALUES (7)").ok());
  auto read = [&] {
    return (*s)->Read(
        [](Tx& tx) -> Result<int64_t> { return tx.conn().Query("SELECT v FROM t").at(0).Int(0); });
  };
  ASSERT_EQ(*read(), 7);
  ASSERT_TRUE(exec(**other, "ALTER TABLE t ALTER COLUMN v TYPE text").ok());
  const Result<int64_t> again = read();
  ASSERT_TRUE(again.ok()) << again.error().detail.en;
  EXPECT_EQ(*again, 7);
}

BEIAN_INSTANTIATE_BACKENDS(RetryTest);
INSTANTIATE_TEST_SUITE_P(Sqlite, GroupCommitTest, ::testing::Values(std::string("sqlite")),
                         ::beian::testing::BackendName);

}  // namespace
}  // namespace beian::testing
