// Service::ChargeWrites on both backends: a request's write rate-limit charge is taken inside its
// own write transaction (one commit per accepted write), on its own when the request wrote
// nothing, and never lets more writes through than the bucket holds, under real concurrency.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
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

BEIAN_INSTANTIATE_BACKENDS(WriteChargeTest);

}  // namespace
}  // namespace beian::testing
