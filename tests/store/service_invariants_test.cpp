// The invariants of rules.md under load and faults, on both backends: quotas across processes and
// threads, one filing per number, idempotent replays, durability of acknowledged numbers.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <latch>
#include <set>
#include <thread>

#include "domain/service_number.h"
#include "store/child.h"
#include "store/service_test_base.h"
#include "store/store.h"

namespace beian::testing {
namespace {

constexpr int kProcesses = 4;
constexpr int kThreads = 8;
constexpr int kUnexpected = 120;  // a child's exit code when a refusal had the wrong code

// args: url, now (Unix seconds), attempts per thread, product ids… Each of 8 threads applies
// `attempts` times on the product ids in turn as their owner "alice". Exit code: numbers issued.
BEIAN_CHILD(apply_race) {
  auto store = Store::Open(args.at(0));
  if (!store.ok()) return kUnexpected + 1;
  const Time now{std::chrono::seconds{std::stoll(args.at(1))}};
  const int attempts = std::stoi(args.at(2));
  const std::vector<std::string> products(args.begin() + 3, args.end());
  Service service(**store, DefaultPolicy(), [now] { return now; });
  std::atomic<int> issued{0};
  std::atomic<bool> unexpected{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < attempts; ++i) {
        const std::string& id = products[(t + i) % products.size()];
        Result<NumberView> r = service.Apply(Principal{"alice", Role::kCustomer}, id);
        if (r.ok()) {
          ++issued;
        } else if (r.error().code != ErrorCode::kNotEligible) {
          unexpected = true;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  return unexpected ? kUnexpected : issued.load();
}

// args: url, now, product id, file. Applies until killed; after each acknowledged number, appends
// its code to `file` and fsyncs it (as a client would record a reply).
BEIAN_CHILD(apply_until_killed) {
  auto store = Store::Open(args.at(0));
  if (!store.ok()) return kUnexpected + 1;
  const Time now{std::chrono::seconds{std::stoll(args.at(1))}};
  Policy policy = DefaultPolicy();
  policy.kinds[Kind::kEcs].quota = 1'000'000;
  Service service(**store, policy, [now] { return now; });
  const int fd = ::open(args.at(3).c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0) return kUnexpected + 2;
  for (;;) {
    Result<NumberView> r = service.Apply(Principal{"alice", Role::kCustomer}, args.at(2));
    if (!r.ok()) return kUnexpected;
    const std::string line = r->number.code + "\n";
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) return 122;
    if (::fsync(fd) != 0) return 123;
  }
}

class ServiceInvariantsTest : public ServiceTestBase {
 protected:
  // Runs kProcesses apply_race children on `products`; returns the numbers they issued.
  int RaceProcesses(const std::vector<std::string>& products, int attempts) {
    std::vector<std::string> args = {url(), std::to_string(w().now().time_since_epoch().count()),
                                     std::to_string(attempts)};
    args.insert(args.end(), products.begin(), products.end());
    std::vector<pid_t> pids;
    for (int p = 0; p < kProcesses; ++p) pids.push_back(SpawnChild("apply_race", args));
    int issued = 0;
    for (pid_t pid : pids) {
      const int rc = WaitChild(pid);
      EXPECT_LT(rc, kUnexpected) << "child failed with exit code " << rc;
      issued += rc < kUnexpected ? rc : 0;
    }
    return issued;
  }

  int64_t NumbersOf(const std::string& product_id) {
    NumberQuery q;
    q.product_id = product_id;
    q.page.limit = 500;
    Result<Page<NumberView>> r = svc().ListNumbers(w().op, q);
    EXPECT_TRUE(r.ok());
    return r.ok() ? static_cast<int64_t>(r->items.size()) : -1;
  }
};

TEST_P(ServiceInvariantsTest, ProductQuotaHoldsAcrossProcessesAndThreads) {
  w().Put(w().Fileable("ecs-1", "alice"));
  EXPECT_EQ(RaceProcesses({"ecs-1"}, 3), 5);
  EXPECT_EQ(NumbersOf("ecs-1"), 5);
  EXPECT_EQ(svc().GetProduct(w().alice, "ecs-1")->eligibility.quota.used, 5);
}

TEST_P(ServiceInvariantsTest, AccountQuotaHoldsAcrossProductsProcessesAndThreads) {
  w().Put(w().Fileable("wh-1", "alice", Kind::kWebHosting));
  w().Put(w().Fileable("wh-2", "alice", Kind::kWebHosting));
  EXPECT_EQ(RaceProcesses({"wh-1", "wh-2"}, 3), 5);
  EXPECT_EQ(NumbersOf("wh-1") + NumbersOf("wh-2"), 5);
}

TEST_P(ServiceInvariantsTest, SixteenRacingFilingsLeaveExactlyOneInReview) {
  w().Put(w().Fileable("ecs-1", "alice"));
  const std::string code = w().MustApply(w().alice, "ecs-1");
  constexpr int kRacers = 16;
  std::latch start(kRacers);
  std::vector<std::string> outcomes(kRacers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      FilingRequest req{"site" + std::to_string(i) + ".example.cn", code, std::nullopt};
      outcomes[i] = CodeOf(svc().SubmitFiling(w().alice, req));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "OK"), 1);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "SN_IN_REVIEW"), kRacers - 1);
  FilingQuery q;
  q.state = FilingState::kInReview;
  EXPECT_EQ(svc().ListFilings(w().op, q)->items.size(), 1u);
  EXPECT_EQ(svc().GetNumber(w().alice, code)->number.state, NumberState::kInReview);
}

TEST_P(ServiceInvariantsTest, ConcurrentIdempotentRetriesConsumeOneQuota) {
  w().Put(w().Fileable("ecs-1", "alice"));
  constexpr int kRetries = 16;
  std::latch start(kRetries);
  std::vector<std::string> codes(kRetries);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRetries; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      Result<NumberView> r = svc().Apply(w().alice, "ecs-1", "retry-key");
      codes[i] = r.ok() ? r->number.code : "error " + CodeOf(r);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_THAT(codes, ::testing::Each(codes[0]));
  EXPECT_TRUE(ParseServiceNumber(codes[0]).has_value()) << codes[0];
  EXPECT_EQ(NumbersOf("ecs-1"), 1);
  EXPECT_EQ(svc().GetProduct(w().alice, "ecs-1")->eligibility.quota.used, 1);
}

TEST_P(ServiceInvariantsTest, AcknowledgedNumbersSurviveSigkill) {
  w().Put(w().Fileable("ecs-1", "alice"));
  const std::string file = ScratchDir() + "/acknowledged.txt";
  const pid_t pid =
      SpawnChild("apply_until_killed",
                 {url(), std::to_string(w().now().time_since_epoch().count()), "ecs-1", file});
  // Kill it mid-stream once it has acknowledged a few numbers (or after 30 s at most).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    std::ifstream in(file);
    const auto lines = std::count(std::istreambuf_iterator<char>(in), {}, '\n');
    if (lines >= 25 || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  EXPECT_EQ(WaitChild(pid), 128 + SIGKILL);
  std::ifstream in(file);
  std::string code;
  int checked = 0;
  while (std::getline(in, code)) {
    EXPECT_EQ(CodeOf(svc().GetNumber(w().op, code)), "OK") << code;
    ++checked;
  }
  EXPECT_GE(checked, 25);
  EXPECT_GE(NumbersOf("ecs-1"), checked);
}

BEIAN_INSTANTIATE_BACKENDS(ServiceInvariantsTest);

}  // namespace
}  // namespace beian::testing
