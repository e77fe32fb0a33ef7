#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/internal.h"

namespace beian::svc {
namespace {

TEST(PagingTest, TokensRoundTripAnyKey) {
  for (const std::string& key :
       std::vector<std::string>{"a", "i-bp1a2b3c", "7K2QX-9MZ4P-R8T1V-C3W0A-4HJ9D", "f-0123:x.y_z",
                                std::string("\xe4\xbe\x8b\x00z", 5)}) {
    const std::string token = EncodePageToken(key);
    EXPECT_EQ(token.find_first_of("+/="), std::string::npos) << token;
    Result<std::string> back = DecodePageToken(token);
    ASSERT_TRUE(back.ok()) << token;
    EXPECT_EQ(*back, key);
  }
}

TEST(PagingTest, EmptyTokenIsTheFirstPage) {
  Result<std::string> first = DecodePageToken("");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, "");
}

TEST(PagingTest, BadTokensAreInvalidRequestsNamingTheField) {
  for (const std::string& bad :
       std::vector<std::string>{"!!!", "ab+c", "a b", "=", std::string(2000, 'A')}) {
    Result<std::string> r = DecodePageToken(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
    ASSERT_EQ(r.error().errors.size(), 1u);
    EXPECT_EQ(r.error().errors[0].field, "page_token");
  }
}

TEST(PagingTest, LimitMustBeOneToFiveHundred) {
  EXPECT_TRUE(CheckLimit(1).ok());
  EXPECT_TRUE(CheckLimit(500).ok());
  EXPECT_EQ(CheckLimit(0).error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(CheckLimit(501).error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(CheckLimit(-3).error().code, ErrorCode::kInvalidRequest);
}

}  // namespace
}  // namespace beian::svc
