#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/internal.h"

namespace beian::svc {
namespace {

TEST(PagingTest, EmptyTokenIsTheFirstPage) {
  Result<std::string> first = PageStart(PageList::kProducts, "");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, "");
}

TEST(PagingTest, OtherTokensAreDecodedByTheDomainRule) {
  Result<std::string> next =
      PageStart(PageList::kNumbers, EncodePageToken(PageList::kNumbers, "k"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, "k");
  for (const std::string& bad :
       std::vector<std::string>{"!!!", "ab+c", "a b", "=", "zzzz", std::string(2000, 'A')}) {
    Result<std::string> r = PageStart(PageList::kProducts, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
    ASSERT_EQ(r.error().errors.size(), 1u);
    EXPECT_EQ(r.error().errors[0].field, "page_token");
  }
}

TEST(PagingTest, AnEmptyIdempotencyKeyMeansNoneInTheService) {
  EXPECT_TRUE(CheckOptionalIdempotencyKey("").ok());
  EXPECT_TRUE(CheckOptionalIdempotencyKey("k-1").ok());
  EXPECT_FALSE(CheckOptionalIdempotencyKey("a b").ok());
  EXPECT_FALSE(CheckOptionalIdempotencyKey(std::string(256, 'a')).ok());
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
