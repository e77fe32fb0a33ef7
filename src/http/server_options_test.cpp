#include <gtest/gtest.h>
#include <sched.h>

#include <thread>

#include "http/server.h"

namespace beian::http {
namespace {

TEST(ParseListenTest, HostAndPort) {
  ServerOptions o;
  ASSERT_TRUE(ParseListen("127.0.0.1:0", o).ok());
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 0);
  ASSERT_TRUE(ParseListen("[::1]:8080", o).ok());
  EXPECT_EQ(o.host, "::1");
  EXPECT_EQ(o.port, 8080);
}

TEST(ParseListenTest, RefusesMalformed) {
  ServerOptions o;
  for (const char* bad : {"", "8080", ":80", "host:", "host:65536", "host:8x", "::1:80"}) {
    Status st = ParseListen(bad, o);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidRequest);
  }
}

TEST(EffectiveMaxConnectionsTest, DefaultIsWellBelowTheFileLimit) {
  EXPECT_EQ(EffectiveMaxConnections(0, 1024), (1024 - kReservedFiles) / 2);
  EXPECT_EQ(EffectiveMaxConnections(0, 1'048'576), 10'000);
  EXPECT_EQ(EffectiveMaxConnections(0, 100), 1);
}

TEST(EffectiveMaxConnectionsTest, RequestedValueIsCappedByTheFileLimit) {
  EXPECT_EQ(EffectiveMaxConnections(50, 1024), 50);
  EXPECT_EQ(EffectiveMaxConnections(4096, 1024), 1024 - kReservedFiles);
  EXPECT_EQ(EffectiveMaxConnections(3, 10), 1);
}

TEST(CoreCountTest, CountsTheCpusOfTheAffinityMask) {
  // On a thread of its own, so the test runner's mask is left as it is.
  int all = 0, one = 0, restored = 0;
  std::thread([&] {
    cpu_set_t mask;
    ASSERT_EQ(sched_getaffinity(0, sizeof mask, &mask), 0);
    all = CoreCount();
    int first = 0;
    while (!CPU_ISSET(first, &mask)) ++first;
    cpu_set_t single;
    CPU_ZERO(&single);
    CPU_SET(first, &single);
    ASSERT_EQ(sched_setaffinity(0, sizeof single, &single), 0);
    one = CoreCount();
    ASSERT_EQ(sched_setaffinity(0, sizeof mask, &mask), 0);
    restored = CoreCount();
  }).join();
  EXPECT_EQ(one, 1);
  EXPECT_EQ(all, restored);
  EXPECT_GE(all, 1);
  EXPECT_LE(all, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace
}  // namespace beian::http
