// Service::ChargeWrites on both backends: a request's write rate-limit charge is taken inside its
// own write transaction (one commit per accepted write), on its own when the request wrote
// nothing, and never lets more writes through than the bucket holds, under real concurrency.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/backend_fixture.h"
#include "store/service_world.h"

namespace beian::testing {
namespace {

class WriteChargeTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    Policy policy = DefaultPolicy();
    policy.account_writes = RateLimit{kBurst, 1};  // one token a minute: no refill in a test
    policy.token_writes = RateLimit{1000, 1000};
    world_ = std::make_unique<World>(store(), policy);
    world_->AddCustomers();
    for (int i = 0; i < kProducts; ++i) world_->Put(world_->Fileable(ProductId(i), "alice"));
  }

  static constexpr int kBurst = 5;
  static constexpr int kProducts = 40;
  static std::string ProductId(int i) { return "ecs-" + std::to_string(i); }

  int64_t NumbersOf(const std::string& account) {
    return ReadTx([&](Tx& tx) {
      int64_t n = 0;
      for (const auto& [state, count] : tx.CountNumbersByState(account)) n += count;
      return n;
    });
  }
  // Remaining tokens in alice's account bucket, as the charge reported them.
  static int AccountRemaining(const WriteCharge& c) {
    for (const RateLimitStatus& b : c.buckets) {
      if (b.name == "account") return b.remaining;
    }
    return -1;
  }

  World& w() { return *world_; }
  Service& svc() { return world_->svc(); }

 private:
  std::unique_ptr<World> world_;
};

TEST_P(WriteChargeTest, AnAcceptedWriteIsChargedInItsOwnCommit) {
  const uint64_t before = store().committed_writes();
  Result<NumberView> applied = MakeError(ErrorCode::kInternal);
  Result<WriteCharge> charge = svc().ChargeWrites(
      w().alice, WriteKind::kWrite, [&] { applied = svc().Apply(w().alice, ProductId(0)); });
  ASSERT_TRUE(charge.ok());
  EXPECT_TRUE(charge->allowed);
  ASSERT_TRUE(applied.ok()) << CodeOf(applied.error());
  EXPECT_EQ(store().committed_writes() - before, 1u);  // the charge rode on the apply's commit
  EXPECT_EQ(AccountRemaining(*charge), kBurst - 1);
  EXPECT_EQ(NumbersOf("alice"), 1);
}

TEST_P(WriteChargeTest, ARequestThatWritesNothingIsChargedAfterwards) {
  Result<NumberView> applied = MakeError(ErrorCode::kInternal);
  const uint64_t before = store().committed_writes();
  Result<WriteCharge> charge = svc().ChargeWrites(
      w().alice, WriteKind::kWrite, [&] { applied = svc().Apply(w().alice, "no-such-product"); });
  ASSERT_TRUE(charge.ok());
  EXPECT_TRUE(charge->allowed);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().committed_writes() - before, 1u);  // the charge alone
  EXPECT_EQ(AccountRemaining(*charge), kBurst - 1);
  // Nothing in body at all: charged the same way.
  Result<WriteCharge> empty = svc().ChargeWrites(w().alice, WriteKind::kWrite, [] {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(AccountRemaining(*empty), kBurst - 2);
}

TEST_P(WriteChargeTest, AnEmptyBucketRefusesEveryWriteOfTheRequest) {
  for (int i = 0; i < kBurst; ++i) {
    Result<WriteCharge> c = svc().ChargeWrites(w().alice, WriteKind::kWrite,
                                               [&] { (void)svc().Apply(w().alice, ProductId(i)); });
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c->allowed) << i;
  }
  ASSERT_EQ(NumbersOf("alice"), kBurst);
  const uint64_t before = store().committed_writes();
  std::vector<ErrorCode> seen;
  Result<WriteCharge> refused = svc().ChargeWrites(w().alice, WriteKind::kWrite, [&] {
    for (int i = 0; i < 3; ++i) {  // three write transactions: none may write
      Result<NumberView> r = svc().Apply(w().alice, ProductId(kBurst + i));
      seen.push_back(r.ok() ? ErrorCode::kInternal : r.error().code);
    }
  });
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->allowed);
  EXPECT_GE(refused->retry_after.count(), 1);
  EXPECT_EQ(seen, std::vector<ErrorCode>(3, ErrorCode::kRateLimited));
  EXPECT_EQ(store().committed_writes(), before);
  EXPECT_EQ(NumbersOf("alice"), kBurst);
}

// 24 requests race for 5 tokens, each applying in its own transaction: exactly 5 are allowed and
// exactly 5 numbers exist afterwards, on both backends.
TEST_P(WriteChargeTest, ConcurrentRequestsGetExactlyTheBurst) {
  constexpr int kRequests = 24;
  std::atomic<int> allowed{0};
  std::atomic<int> applied{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      Result<NumberView> r = MakeError(ErrorCode::kInternal);
      Result<WriteCharge> c = svc().ChargeWrites(w().alice, WriteKind::kWrite,
                                                 [&] { r = svc().Apply(w().alice, ProductId(i)); });
      if (!c.ok()) {
        ++failed;
        return;
      }
      if (c->allowed) ++allowed;
      if (r.ok()) ++applied;
      if (!c->allowed && r.ok()) ++failed;  // written although refused
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(allowed.load(), kBurst);
  EXPECT_EQ(applied.load(), kBurst);
  EXPECT_EQ(NumbersOf("alice"), kBurst);
}

// Service::TryApplyQueued: the apply and its charge in one queued transaction (SQLite), kept only
// when both succeed; PostgreSQL and operators take the blocking path.
class QueuedApplyTest : public WriteChargeTest {
 protected:
  // Queues an apply of alice's; what `done` got (the test fails if it was not queued).
  std::optional<QueuedApply> ApplyQueued(const std::string& product_id, std::string_view key = {}) {
    // Shared: done may still run after a failed wait returned.
    auto got = std::make_shared<std::promise<std::optional<QueuedApply>>>();
    std::future<std::optional<QueuedApply>> f = got->get_future();
    if (!svc().TryApplyQueued(w().alice, product_id, key, [got](std::optional<QueuedApply> a) {
          got->set_value(std::move(a));
        })) {
      ADD_FAILURE() << "not queued";
      return std::nullopt;
    }
    if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      ADD_FAILURE() << "done was never called";
      return std::nullopt;
    }
    return f.get();
  }
  // The account bucket's remaining tokens, as a (blocking) charge of nothing reports them, plus
  // the one that charge took.
  int AccountTokensLeft() {
    Result<WriteCharge> c = svc().ChargeWrites(w().alice, WriteKind::kWrite, [] {});
    EXPECT_TRUE(c.ok());
    return c.ok() ? AccountRemaining(*c) + 1 : -1;
  }
};

TEST_P(QueuedApplyTest, PostgresAndOperatorsAreNotQueued) {
  bool called = false;
  auto done = [&](std::optional<QueuedApply>) { called = true; };
  EXPECT_FALSE(svc().TryApplyQueued(w().op, ProductId(0), "", done));
  EXPECT_FALSE(svc().TryApplyQueued(w().alice, ProductId(0), "bad key with spaces", done));
  if (is_pg()) {
    EXPECT_FALSE(svc().TryApplyQueued(w().alice, ProductId(0), "", done));
  }
  EXPECT_FALSE(called);
  EXPECT_EQ(NumbersOf("alice"), 0);
}

// The rest on SQLite only: PostgreSQL queues nothing (above).
class QueuedApplySqliteTest : public QueuedApplyTest {};

TEST_P(QueuedApplySqliteTest, AnApplyAndItsChargeCommitTogether) {
  const uint64_t before = store().committed_writes();
  std::optional<QueuedApply> a = ApplyQueued(ProductId(0), "key-1");
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->charge.allowed);
  EXPECT_EQ(AccountRemaining(a->charge), kBurst - 1);
  EXPECT_EQ(store().committed_writes() - before, 1u);  // one commit for both
  EXPECT_EQ(NumbersOf("alice"), 1);
  // The same key replays the number, as Apply would (and is charged: a request that wrote).
  std::optional<QueuedApply> again = ApplyQueued(ProductId(0), "key-1");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->view.number.code, a->view.number.code);
  EXPECT_EQ(NumbersOf("alice"), 1);
  Result<NumberView> blocking = svc().Apply(w().alice, ProductId(0), "key-1");
  ASSERT_TRUE(blocking.ok());
  EXPECT_EQ(blocking->number.code, a->view.number.code);
  EXPECT_EQ(AccountTokensLeft(), kBurst - 2);
}

TEST_P(QueuedApplySqliteTest, ARefusalWritesNothingNotEvenTheCharge) {
  uint64_t before = store().committed_writes();
  EXPECT_FALSE(ApplyQueued("no-such-product").has_value());
  EXPECT_EQ(store().committed_writes(), before);
  ASSERT_TRUE(ApplyQueued(ProductId(1), "key-2").has_value());
  before = store().committed_writes();
  EXPECT_FALSE(ApplyQueued(ProductId(2), "key-2").has_value());  // the key names another apply
  EXPECT_EQ(store().committed_writes(), before);
  EXPECT_EQ(NumbersOf("alice"), 1);
  EXPECT_EQ(AccountTokensLeft(), kBurst - 1);
}

TEST_P(QueuedApplySqliteTest, AnEmptyBucketRefusesWithTheChargeAndWritesNothing) {
  for (int i = 0; i < kBurst; ++i) {
    std::optional<QueuedApply> a = ApplyQueued(ProductId(i));
    ASSERT_TRUE(a.has_value() && a->charge.allowed) << i;
  }
  const uint64_t before = store().committed_writes();
  // Told the refused charge (the request is answered 429 from it), with nothing written.
  std::optional<QueuedApply> refused = ApplyQueued(ProductId(kBurst));
  ASSERT_TRUE(refused.has_value());
  EXPECT_FALSE(refused->charge.allowed);
  EXPECT_GE(refused->charge.retry_after.count(), 1);
  EXPECT_EQ(AccountRemaining(refused->charge), 0);
  EXPECT_EQ(store().committed_writes(), before);
  EXPECT_EQ(NumbersOf("alice"), kBurst);
}

// 24 queued applies and 8 blocking ones race for 5 tokens: exactly 5 numbers, and every queued
// apply that was told of a number made one of them.
TEST_P(QueuedApplySqliteTest, QueuedAndBlockingAppliesGetExactlyTheBurst) {
  constexpr int kQueued = 24;
  constexpr int kBlocking = 8;
  std::atomic<int> told{0};
  std::atomic<int> numbers_told{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kBlocking; ++i) {
    threads.emplace_back([&, i] {
      Result<NumberView> r = MakeError(ErrorCode::kInternal);
      Result<WriteCharge> c = svc().ChargeWrites(w().alice, WriteKind::kWrite,
                                                 [&] { r = svc().Apply(w().alice, ProductId(i)); });
      if (c.ok() && c->allowed && r.ok()) ++numbers_told;
    });
  }
  int queued = 0;
  for (int i = 0; i < kQueued; ++i) {
    queued += svc().TryApplyQueued(w().alice, ProductId(kBlocking + i), "",
                                   [&](std::optional<QueuedApply> a) {
                                     if (a && a->charge.allowed) ++numbers_told;
                                     ++told;
                                   })
                  ? 1
                  : 0;
  }
  for (std::thread& t : threads) t.join();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (told.load() < kQueued && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::yield();
  }
  EXPECT_EQ(queued, kQueued);
  EXPECT_EQ(told.load(), kQueued);
  EXPECT_EQ(numbers_told.load(), kBurst);
  EXPECT_EQ(NumbersOf("alice"), kBurst);
}

BEIAN_INSTANTIATE_BACKENDS(WriteChargeTest);
BEIAN_INSTANTIATE_BACKENDS(QueuedApplyTest);
INSTANTIATE_TEST_SUITE_P(Sqlite, QueuedApplySqliteTest, ::testing::Values(std::string("sqlite")),
                         ::beian::testing::BackendName);

}  // namespace
}  // namespace beian::testing
