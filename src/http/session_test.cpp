// The key of per-client connection limits (ClientKeyOf).
#include "http/session.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>

namespace beian::http {
namespace {

ClientKey KeyOf(const char* address) { return ClientKeyOf(boost::asio::ip::make_address(address)); }

TEST(ClientKeyTest, IPv4AddressesAreEachTheirOwnClient) {
  EXPECT_NE(KeyOf("192.0.2.1"), KeyOf("192.0.2.2"));
  EXPECT_EQ(KeyOf("192.0.2.1"), KeyOf("192.0.2.1"));
}

TEST(ClientKeyTest, AnIPv4ClientIsTheSameOnADualStackSocket) {
  EXPECT_EQ(KeyOf("192.0.2.1"), KeyOf("::ffff:192.0.2.1"));
  EXPECT_NE(KeyOf("::ffff:192.0.2.1"), KeyOf("::ffff:192.0.2.2"));
}

TEST(ClientKeyTest, NAT64ClientsAreTheirIPv4Addresses) {
  EXPECT_EQ(KeyOf("64:ff9b::192.0.2.1"), KeyOf("192.0.2.1"));
  EXPECT_NE(KeyOf("64:ff9b::192.0.2.1"), KeyOf("64:ff9b::192.0.2.2"));
  // Outside the /96, the prefix's /64 is an IPv6 client like any other.
  EXPECT_EQ(KeyOf("64:ff9b::1:0:0:1"), KeyOf("64:ff9b::2:0:0:5"));
  EXPECT_NE(KeyOf("64:ff9b::1:0:0:1"), KeyOf("64:ff9b::192.0.2.1"));
}

TEST(ClientKeyTest, IPv6AddressesOfOneSlash64AreOneClient) {
  EXPECT_EQ(KeyOf("2001:db8:1:2::1"), KeyOf("2001:db8:1:2:ffff:ffff:ffff:ffff"));
  EXPECT_EQ(KeyOf("2001:db8:1:2::1"), KeyOf("2001:db8:1:2:a:b:c:d"));
  EXPECT_NE(KeyOf("2001:db8:1:2::1"), KeyOf("2001:db8:1:3::1"));
  EXPECT_NE(KeyOf("::1"), KeyOf("::ffff:0.0.0.1"));
}

}  // namespace
}  // namespace beian::http
