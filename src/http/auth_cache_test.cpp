#include "http/auth_cache.h"

#include <gtest/gtest.h>

namespace beian::http {
namespace {

using std::chrono::milliseconds;

const AuthCache::Stamp kStamp{7, 1};
const Time kWall = Time{std::chrono::seconds{1'800'000'000}};

TEST(AuthCacheTest, RemembersForTheTtlOnly) {
  AuthCache cache(milliseconds(1000), 10);
  const auto t0 = AuthCache::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_FALSE(cache.Find("tok", kStamp, t0, kWall));
  cache.Put("tok", Principal{"alice", Role::kCustomer}, kStamp, t0);
  auto hit = cache.Find("tok", kStamp, t0 + milliseconds(999), kWall);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->account_id, "alice");
  EXPECT_FALSE(cache.Find("tok", kStamp, t0 + milliseconds(1000), kWall));
  EXPECT_FALSE(cache.Find("other", kStamp, t0, kWall));
}

TEST(AuthCacheTest, AnEntryDiesWithTheGenerationOrEpochItWasStoredUnder) {
  AuthCache cache(milliseconds(60000), 10);
  const auto t0 = AuthCache::Clock::time_point{} + std::chrono::hours(1);
  cache.Put("tok", Principal{"alice", Role::kCustomer}, kStamp, t0);
  EXPECT_TRUE(cache.Find("tok", kStamp, t0, kWall));
  EXPECT_FALSE(cache.Find("tok", AuthCache::Stamp{8, 1}, t0, kWall));
  EXPECT_FALSE(cache.Find("tok", AuthCache::Stamp{7, 2}, t0, kWall));
}

TEST(AuthCacheTest, AnEntryDiesWhenItsCredentialExpires) {
  AuthCache cache(milliseconds(60000), 10);
  const auto t0 = AuthCache::Clock::time_point{} + std::chrono::hours(1);
  Principal p{"alice", Role::kCustomer};
  p.expires_at = kWall + std::chrono::seconds(5);
  cache.Put("tok", p, kStamp, t0);
  EXPECT_TRUE(cache.Find("tok", kStamp, t0, kWall + std::chrono::seconds(4)));
  EXPECT_FALSE(cache.Find("tok", kStamp, t0, kWall + std::chrono::seconds(5)));
}

TEST(AuthCacheTest, StaysWithinItsCapacity) {
  AuthCache cache(milliseconds(1000), 2);
  const auto t0 = AuthCache::Clock::time_point{} + std::chrono::hours(1);
  cache.Put("a", Principal{"a", Role::kCustomer}, kStamp, t0);
  cache.Put("b", Principal{"b", Role::kCustomer}, kStamp, t0);
  cache.Put("c", Principal{"c", Role::kOperator}, kStamp, t0);
  EXPECT_FALSE(cache.Find("a", kStamp, t0, kWall));
  ASSERT_TRUE(cache.Find("c", kStamp, t0, kWall));
  EXPECT_TRUE(cache.Find("c", kStamp, t0, kWall)->IsOperator());
}

TEST(AuthCacheTest, ZeroTtlDisablesIt) {
  AuthCache cache(milliseconds(0), 10);
  const auto t0 = AuthCache::Clock::time_point{} + std::chrono::hours(1);
  cache.Put("a", Principal{"a", Role::kCustomer}, kStamp, t0);
  EXPECT_FALSE(cache.Find("a", kStamp, t0, kWall));
}

}  // namespace
}  // namespace beian::http
