#include <gtest/gtest.h>
#include <sodium.h>

#include "service/webhook_transport.h"

namespace beian {
namespace {

// The test vector of the Standard Webhooks specification. Computed independently of this code:
//   printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' |
//     openssl dgst -sha256 -mac HMAC -binary
//       -macopt hexkey:$(echo MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p -c 100) |
//     base64
//   -> g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr char kMsgId[] = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kTimestamp = 1614265330;
constexpr char kBody[] = R"({"test": 2432232314})";
constexpr char kExpected[] = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

// Key bytes 0x00..0x17; node -e 'const c=require("crypto"); console.log(c.createHmac("sha256",
//   Buffer.from([...Array(24).keys()])).update(<the content above>).digest("base64"))'
constexpr char kSecret2[] = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";
constexpr char kExpected2[] = "v1,/485aUtxlie+TIScVpHggMfqOB4so2KWb7+Gf727B44=";

TEST(WebhookSignTest, MatchesTheStandardWebhooksVector) {
  Result<std::string> sig = SignWebhook({kSecret}, kMsgId, kTimestamp, kBody);
  ASSERT_TRUE(sig.ok()) << sig.error().detail.en;
  EXPECT_EQ(*sig, kExpected);
}

TEST(WebhookSignTest, TwoSecretsGiveTwoSpaceSeparatedSignatures) {
  Result<std::string> sig = SignWebhook({kSecret2, kSecret}, kMsgId, kTimestamp, kBody);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(*sig, std::string(kExpected2) + " " + kExpected);
}

TEST(WebhookSignTest, EveryPartIsSigned) {
  const std::string base = *SignWebhook({kSecret}, kMsgId, kTimestamp, kBody);
  EXPECT_NE(*SignWebhook({kSecret}, "msg_other", kTimestamp, kBody), base);
  EXPECT_NE(*SignWebhook({kSecret}, kMsgId, kTimestamp + 1, kBody), base);
  EXPECT_NE(*SignWebhook({kSecret}, kMsgId, kTimestamp, R"({"test": 2432232315})"), base);
}

TEST(WebhookSignTest, RefusesMalformedSecrets) {
  for (const char* bad :
       {"", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!",
        "whsec_AAAA" /* 3 bytes: too short */, "whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}) {
    Result<std::string> sig = SignWebhook({bad}, kMsgId, kTimestamp, kBody);
    ASSERT_FALSE(sig.ok()) << bad;
    EXPECT_EQ(sig.error().code, ErrorCode::kInvalidRequest);
  }
  EXPECT_FALSE(SignWebhook({}, kMsgId, kTimestamp, kBody).ok());
  EXPECT_FALSE(SignWebhook({kSecret, "whsec_"}, kMsgId, kTimestamp, kBody).ok());
}

TEST(WebhookSignTest, NewSecretsAreRandom24ByteKeys) {
  const std::string a = NewWebhookSecret();
  const std::string b = NewWebhookSecret();
  EXPECT_NE(a, b);
  ASSERT_TRUE(a.starts_with("whsec_"));
  EXPECT_EQ(a.size(), 6u + 32u);  // base64 of 24 bytes, no padding needed
  unsigned char key[64];
  std::size_t len = 0;
  ASSERT_EQ(sodium_base642bin(key, sizeof key, a.data() + 6, a.size() - 6, nullptr, &len, nullptr,
                              sodium_base64_VARIANT_ORIGINAL),
            0);
  EXPECT_EQ(len, 24u);
  EXPECT_TRUE(SignWebhook({a}, kMsgId, kTimestamp, kBody).ok());
}

}  // namespace
}  // namespace beian
