#include "domain/page_token.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/idempotency_key.h"

namespace beian {
namespace {

void ExpectRefused(PageList list, std::string_view token) {
  Result<std::string> r = DecodePageToken(list, token);
  ASSERT_FALSE(r.ok()) << token;
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
  ASSERT_EQ(r.error().errors.size(), 1u);
  EXPECT_EQ(r.error().errors[0].field, "page_token");
}

TEST(PageTokenTest, RoundTrips) {
  for (PageList list : {PageList::kProducts, PageList::kNumbers, PageList::kFilings}) {
    for (const std::string& key :
         std::vector<std::string>{"a", "i-bp1a2b3c", "7K2QX-9MZ4P-R8T1V-C3W0A-4HJ9D",
                                  "f-0123456789abcdefghjk", std::string(128, 'x')}) {
      const std::string token = EncodePageToken(list, key);
      EXPECT_LE(token.size(), kMaxPageTokenLength);
      Result<std::string> back = DecodePageToken(list, token);
      ASSERT_TRUE(back.ok()) << token;
      EXPECT_EQ(back.value(), key);
    }
  }
}

TEST(PageTokenTest, RefusesGarbage) {
  // The review's cases: "zzzz" and "500" are valid base64url but no token of ours.
  for (std::string_view t : {"", "zzzz", "500", "a", "!!!!", "cDph=", "cDph cDph"}) {
    ExpectRefused(PageList::kProducts, t);
    ExpectRefused(PageList::kNumbers, t);
  }
  ExpectRefused(PageList::kProducts, std::string(kMaxPageTokenLength + 1, 'A'));
  ExpectRefused(PageList::kProducts, EncodePageToken(PageList::kProducts, ""));
  ExpectRefused(PageList::kProducts, EncodePageToken(PageList::kProducts, "a b"));
  ExpectRefused(PageList::kProducts, EncodePageToken(PageList::kProducts, "\xff"));
}

TEST(PageTokenTest, ATokenOfAnotherListIsRefused) {
  const std::string numbers = EncodePageToken(PageList::kNumbers, "i-1");
  ExpectRefused(PageList::kProducts, numbers);
  ExpectRefused(PageList::kFilings, numbers);
  EXPECT_TRUE(DecodePageToken(PageList::kNumbers, numbers).ok());
}

TEST(IdempotencyKeyTest, OneTo255VisibleAsciiCharacters) {
  EXPECT_TRUE(CheckIdempotencyKey("k").ok());
  EXPECT_TRUE(CheckIdempotencyKey(std::string(255, '~')).ok());
  EXPECT_TRUE(CheckIdempotencyKey("!order-2026/11:27").ok());
  for (std::string key : {std::string(), std::string(256, 'a'), std::string("a b"),
                          std::string("a\tb"), std::string("\x7f"), std::string("\xe4\xb8\xad")}) {
    Status st = CheckIdempotencyKey(key);
    ASSERT_FALSE(st.ok()) << key;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidRequest);
    ASSERT_EQ(st.error().errors.size(), 1u);
    EXPECT_EQ(st.error().errors[0].field, "Idempotency-Key");
  }
}

}  // namespace
}  // namespace beian
