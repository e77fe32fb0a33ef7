#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

#include "service/internal.h"

namespace beian::svc {
namespace {

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(SecretsTest, ApiTokensArePrefixedBase64UrlOf32RandomBytes) {
  const std::string t = NewApiToken();
  EXPECT_EQ(t.rfind("bn_", 0), 0u);
  EXPECT_EQ(t.size(), 3u + 43u);
  EXPECT_TRUE(LooksLikeApiToken(t));
  EXPECT_NE(NewApiToken(), t);
}

TEST_F(SecretsTest, MalformedTokensAreRecognisedWithoutALookUp) {
  const std::string t = NewApiToken();
  EXPECT_FALSE(LooksLikeApiToken(""));
  EXPECT_FALSE(LooksLikeApiToken(t.substr(1)));
  EXPECT_FALSE(LooksLikeApiToken("xx_" + t.substr(3)));
  EXPECT_FALSE(LooksLikeApiToken(t.substr(0, 10) + "+" + t.substr(11)));
}

TEST_F(SecretsTest, TokenHashIsStableHexAndDiffersPerToken) {
  const std::string t = NewApiToken();
  const std::string h = ApiTokenHash(t);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(ApiTokenHash(t), h);
  EXPECT_NE(ApiTokenHash(NewApiToken()), h);
  EXPECT_EQ(h.find(t), std::string::npos);
}

TEST_F(SecretsTest, FilingIdsAreFPlusTwentyLowerCrockfordSymbols) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = NewFilingId();
    ASSERT_EQ(id.size(), 22u);
    EXPECT_EQ(id.substr(0, 2), "f-");
    EXPECT_EQ(id.find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz", 2), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST_F(SecretsTest, HostPasswordHashVerifiesOnlyTheSamePassword) {
  Result<std::string> h = HashHostPassword("demo-pass-1");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(h->find("demo-pass-1"), std::string::npos);
  EXPECT_TRUE(VerifyHostPassword(*h, "demo-pass-1"));
  EXPECT_FALSE(VerifyHostPassword(*h, "demo-pass-2"));
  EXPECT_FALSE(VerifyHostPassword(*h, ""));
  EXPECT_FALSE(VerifyHostPassword("", "demo-pass-1"));
  EXPECT_FALSE(VerifyHostPassword("not a hash", "demo-pass-1"));
  Result<std::string> again = HashHostPassword("demo-pass-1");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *h);  // salted
}

}  // namespace
}  // namespace beian::svc
