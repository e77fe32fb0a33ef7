#include "domain/rate_limit.h"

#include <gtest/gtest.h>

namespace beian {
namespace {

const Time kT0{std::chrono::seconds{1'800'000'000}};

TEST(TakeTokenTest, ANewBucketIsFullAndEmptiesAfterBurstTakes) {
  const RateLimit limit{3, 60};  // 3 at once, then one a second
  std::optional<BucketState> state;
  for (int i = 0; i < 3; ++i) {
    BucketTake t = TakeToken(limit, state, kT0);
    ASSERT_TRUE(t.allowed) << i;
    EXPECT_EQ(t.remaining, 2 - i);
    state = t.next;
  }
  BucketTake refused = TakeToken(limit, state, kT0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_in, std::chrono::seconds{1});
  EXPECT_EQ(refused.full_in, std::chrono::seconds{3});
}

TEST(TakeTokenTest, RefillsAtTheRateUpToTheBurst) {
  const RateLimit limit{2, 6};  // one token per 10 s
  BucketTake t = TakeToken(limit, BucketState{0, kT0}, kT0 + std::chrono::seconds{9});
  EXPECT_FALSE(t.allowed);
  EXPECT_EQ(t.retry_in, std::chrono::seconds{1});
  t = TakeToken(limit, BucketState{0, kT0}, kT0 + std::chrono::seconds{10});
  EXPECT_TRUE(t.allowed);
  EXPECT_EQ(t.remaining, 0);
  t = TakeToken(limit, BucketState{0, kT0}, kT0 + std::chrono::hours{5});
  EXPECT_TRUE(t.allowed);
  EXPECT_EQ(t.remaining, 1);  // capped at the burst
}

TEST(TakeTokenTest, WindowIsTheTimeToFill) {
  EXPECT_EQ((RateLimit{120, 60}).WindowSeconds(), 120);
  EXPECT_EQ((RateLimit{1, 120}).WindowSeconds(), 1);
}

}  // namespace
}  // namespace beian
