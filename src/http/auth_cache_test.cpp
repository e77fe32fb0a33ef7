#include "http/auth_cache.h"

#include <gtest/gtest.h>

namespace beian::http {
namespace {

using std::chrono::milliseconds;

TEST(AuthCacheTest, RemembersForTheTtlOnly) {
  AuthCache cache(milliseconds(1000), 10);
  const auto t0 = AuthCache::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_FALSE(cache.Find("tok", t0));
  cache.Put("tok", Principal{"alice", Role::kCustomer}, t0);
  auto hit = cache.Find("tok", t0 + milliseconds(999));
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->account_id, "alice");
  EXPECT_FALSE(cache.Find("tok", t0 + milliseconds(1000)));
  EXPECT_FALSE(cache.Find("other", t0));
}

TEST(AuthCacheTest, StaysWithinItsCapacity) {
  AuthCache cache(milliseconds(1000), 2);
  const auto t0 = AuthCache::Clock::time_point{} + std::chrono::hours(1);
  cache.Put("a", Principal{"a", Role::kCustomer}, t0);
  cache.Put("b", Principal{"b", Role::kCustomer}, t0);
  cache.Put("c", Principal{"c", Role::kOperator}, t0);
  EXPECT_FALSE(cache.Find("a", t0));
  ASSERT_TRUE(cache.Find("c", t0));
  EXPECT_TRUE(cache.Find("c", t0)->IsOperator());
}

TEST(AuthCacheTest, ZeroTtlDisablesIt) {
  AuthCache cache(milliseconds(0), 10);
  const auto t0 = AuthCache::Clock::time_point{} + std::chrono::hours(1);
  cache.Put("a", Principal{"a", Role::kCustomer}, t0);
  EXPECT_FALSE(cache.Find("a", t0));
}

}  // namespace
}  // namespace beian::http
