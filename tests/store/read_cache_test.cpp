// Store::CurrentChangeStamp, and the product reads it lets Service::GetProduct skip. On SQLite the
// stamp changes with every commit, whichever connection or process makes it, and with nothing
// else; on PostgreSQL there is none. Either way, GetProduct shows a write made by another Store or
// another process at the very next call.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/backend_fixture.h"
#include "store/child.h"
#include "store/service_world.h"

namespace beian::testing {
namespace {

constexpr char kProduct[] = "ecs-1";

// args: url, now (Unix seconds), product id. One apply as alice; exit code 0 when it issued.
BEIAN_CHILD(apply_once) {
  auto store = Store::Open(args.at(0));
  if (!store.ok()) return 2;
  const Time now{std::chrono::seconds{std::stoll(args.at(1))}};
  Service service(**store, DefaultPolicy(), [now] { return now; });
  return service.Apply(Principal{"alice", Role::kCustomer}, args.at(2)).ok() ? 0 : 1;
}

class ReadCacheTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    world_ = std::make_unique<World>(store());
    world_->AddCustomers();
    world_->Put(world_->Fileable(kProduct, "alice"));
  }
  World& w() { return *world_; }
  // The quota use GetProduct reports for kProduct, as alice; -1 when refused.
  int UsedSeen(Service& svc) {
    Result<ProductView> v = svc.GetProduct(w().alice, kProduct);
    EXPECT_TRUE(v.ok());
    return v.ok() ? v->eligibility.quota.used : -1;
  }

 private:
  std::unique_ptr<World> world_;
};

TEST_P(ReadCacheTest, TheStampChangesWithEveryCommitAndNothingElse) {
  const std::optional<ChangeStamp> s0 = store().CurrentChangeStamp();
  if (is_pg()) {
    EXPECT_FALSE(s0.has_value()) << "PostgreSQL cannot tell without a round trip";
    return;
  }
  ASSERT_TRUE(s0.has_value());
  EXPECT_EQ(store().CurrentChangeStamp(), s0);
  ASSERT_TRUE(w().svc().GetProduct(w().alice, kProduct).ok());
  ASSERT_TRUE(w().svc().ListProducts(w().op, ProductQuery{}).ok());
  EXPECT_EQ(store().CurrentChangeStamp(), s0) << "reads commit nothing";

  w().MustApply(w().alice, kProduct);
  const std::optional<ChangeStamp> s1 = store().CurrentChangeStamp();
  ASSERT_TRUE(s1.has_value());
  EXPECT_NE(s1, s0);

  std::unique_ptr<Store> other = OpenStore();  // connections of its own, as another process
  World elsewhere(*other);
  elsewhere.MustApply(elsewhere.alice, kProduct);
  const std::optional<ChangeStamp> s2 = store().CurrentChangeStamp();
  ASSERT_TRUE(s2.has_value());
  EXPECT_NE(s2, s1);
  EXPECT_EQ(other->CurrentChangeStamp(), s2);

  const pid_t pid = SpawnChild(
      "apply_once", {url(), std::to_string(WorldStart().time_since_epoch().count()), kProduct});
  ASSERT_EQ(WaitChild(pid), 0);
  EXPECT_NE(store().CurrentChangeStamp(), s2) << "a commit by another process";
}

TEST_P(ReadCacheTest, GetProductShowsAnotherStoresWriteAtTheNextCall) {
  EXPECT_EQ(UsedSeen(w().svc()), 0);
  EXPECT_EQ(UsedSeen(w().svc()), 0);  // answered from the cache on SQLite

  std::unique_ptr<Store> other = OpenStore();
  World elsewhere(*other);
  elsewhere.MustApply(elsewhere.alice, kProduct);
  EXPECT_EQ(UsedSeen(w().svc()), 1);

  ProductInput renamed = elsewhere.Fileable(kProduct, "alice");
  renamed.product.name = "renamed elsewhere";
  elsewhere.Put(renamed);
  Result<ProductView> v = w().svc().GetProduct(w().alice, kProduct);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->product.name, "renamed elsewhere");

  ASSERT_TRUE(elsewhere.svc().ReleaseProduct(elsewhere.op, kProduct).ok());
  EXPECT_EQ(CodeOf(w().svc().GetProduct(w().alice, kProduct)), "NOT_FOUND")
      << "a released product is no longer its owner's";
}

TEST_P(ReadCacheTest, GetProductShowsAnotherProcesssWriteAtTheNextCall) {
  EXPECT_EQ(UsedSeen(w().svc()), 0);
  EXPECT_EQ(UsedSeen(w().svc()), 0);
  const pid_t pid = SpawnChild(
      "apply_once", {url(), std::to_string(WorldStart().time_since_epoch().count()), kProduct});
  ASSERT_EQ(WaitChild(pid), 0);
  EXPECT_EQ(UsedSeen(w().svc()), 1);
}

TEST_P(ReadCacheTest, OneStoresOwnWritesAndOtherReadersAreSeenToo) {
  EXPECT_EQ(UsedSeen(w().svc()), 0);
  World same_store(store());  // another Service (another cache) on the same Store
  same_store.MustApply(same_store.alice, kProduct);
  EXPECT_EQ(UsedSeen(w().svc()), 1);
  w().MustApply(w().alice, kProduct);
  EXPECT_EQ(UsedSeen(w().svc()), 2);
  EXPECT_EQ(UsedSeen(same_store.svc()), 2);
  EXPECT_EQ(CodeOf(w().svc().GetProduct(w().bob, kProduct)), "NOT_FOUND")
      << "a cached product is still another account's";
}

TEST_P(ReadCacheTest, NoReaderSeesLessThanWhatWasAcknowledgedBeforeItsRead) {
  Result<ProductView> start = w().svc().GetProduct(w().alice, kProduct);
  ASSERT_TRUE(start.ok());
  const int kApplies = start->eligibility.quota.limit;  // the whole quota
  ASSERT_GE(kApplies, 3);
  std::unique_ptr<Store> other = OpenStore();
  World elsewhere(*other);
  std::atomic<int> acknowledged{0};
  std::atomic<bool> done{false};
  std::atomic<int> stale{0};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const int before = acknowledged.load();
        const int seen = UsedSeen(w().svc());
        if (seen < before) ++stale;
        ++reads;
      }
    });
  }
  for (int i = 0; i < kApplies; ++i) {
    if (!elsewhere.MustApply(elsewhere.alice, kProduct).empty()) ++acknowledged;
  }
  done = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(acknowledged.load(), kApplies);
  EXPECT_EQ(stale.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_EQ(UsedSeen(w().svc()), kApplies);
}

BEIAN_INSTANTIATE_BACKENDS(ReadCacheTest);

}  // namespace
}  // namespace beian::testing
