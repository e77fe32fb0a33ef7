#include <gtest/gtest.h>

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

}  // namespace
}  // namespace beian::http
