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

TEST_F(SecretsTest, ApiTokensAreBeianBase62WithACrc32Check) {
  const std::string t = NewApiToken();
  EXPECT_EQ(t.rfind("beian_", 0), 0u);
  EXPECT_EQ(t.size(), 6u + 43u + 6u);
  EXPECT_EQ(
      t.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 6),
      std::string::npos);
  EXPECT_EQ(CheckTokenShape(t), TokenShape::kCurrent);
  EXPECT_NE(NewApiToken(), t);
}

TEST_F(SecretsTest, TheChecksumIsCrc32OfTheRestInSixBase62Digits) {
  // An independent bitwise CRC-32 (reflected, polynomial 0xEDB88320), not the code under test.
  const std::string body = "beian_" + std::string(43, '0');
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : body) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  crc ^= 0xFFFFFFFFu;
  std::string check(6, '0');
  uint64_t v = crc;
  const char* digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (int i = 5; i >= 0; --i) {
    check[static_cast<std::size_t>(i)] = digits[v % 62];
    v /= 62;
  }
  EXPECT_EQ(CheckTokenShape(body + check), TokenShape::kCurrent);
}

TEST_F(SecretsTest, MistypedTokensAreRecognisedWithoutALookUp) {
  const std::string t = NewApiToken();
  EXPECT_EQ(CheckTokenShape(""), TokenShape::kBad);
  EXPECT_EQ(CheckTokenShape(t.substr(1)), TokenShape::kBad);
  EXPECT_EQ(CheckTokenShape("beiax_" + t.substr(6)), TokenShape::kBad);
  // One character changed anywhere breaks the checksum.
  for (std::size_t i = 6; i < t.size(); i += 7) {
    std::string typo = t;
    typo[i] = typo[i] == 'a' ? 'b' : 'a';
    EXPECT_EQ(CheckTokenShape(typo), TokenShape::kBad) << i;
  }
  // Two characters swapped.
  std::string swapped = t;
  std::swap(swapped[10], swapped[11]);
  if (swapped != t) {
    EXPECT_EQ(CheckTokenShape(swapped), TokenShape::kBad);
  }
}

TEST_F(SecretsTest, LegacyTokensAreStillRecognised) {
  EXPECT_EQ(CheckTokenShape("bn_" + std::string(43, 'A')), TokenShape::kLegacy);
  EXPECT_EQ(CheckTokenShape("bn_" + std::string(42, 'A') + "+"), TokenShape::kBad);
  EXPECT_EQ(CheckTokenShape("bn_" + std::string(42, 'A')), TokenShape::kBad);
}

TEST_F(SecretsTest, TokenHashIsKeyedStableHexAndDiffersPerToken) {
  const std::string t = NewApiToken();
  const std::string h = ApiTokenHash(t, "pepper-1");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(ApiTokenHash(t, "pepper-1"), h);
  EXPECT_NE(ApiTokenHash(t, "pepper-2"), h);
  EXPECT_NE(ApiTokenHash(NewApiToken(), "pepper-1"), h);
  EXPECT_NE(LegacyTokenHash(t), h);
  // RFC 4231 test case 2: HMAC-SHA-256("Jefe", "what do ya want for nothing?").
  EXPECT_EQ(ApiTokenHash("what do ya want for nothing?", "Jefe"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(SecretsTest, TokenIdsAreTokPlus16Base62) {
  const std::string id = NewTokenId();
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(id.rfind("tok_", 0), 0u);
  EXPECT_NE(NewTokenId(), id);
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
