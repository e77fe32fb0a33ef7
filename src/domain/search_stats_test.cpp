#include "domain/search_stats.h"

#include <gtest/gtest.h>

namespace beian {
namespace {

TEST(TrimSearchQuery, TrimsAndBoundsTheLength) {
  EXPECT_EQ(TrimSearchQuery("  abc \t"), "abc");
  EXPECT_EQ(TrimSearchQuery(" a b "), "a b");
  EXPECT_FALSE(TrimSearchQuery("").has_value());
  EXPECT_FALSE(TrimSearchQuery(" \t\n").has_value());
  EXPECT_EQ(TrimSearchQuery(std::string(200, 'x'))->size(), 200u);
  EXPECT_FALSE(TrimSearchQuery(std::string(201, 'x')).has_value());
  // Characters, not bytes: 200 three-byte characters pass, 201 do not.
  std::string han;
  for (int i = 0; i < 200; ++i) han += "例";
  EXPECT_TRUE(TrimSearchQuery(han).has_value());
  EXPECT_FALSE(TrimSearchQuery(han + "例").has_value());
}

TEST(StatsBucket, NamesAndSeconds) {
  EXPECT_EQ(ParseStatsBucket("day"), StatsBucket::kDay);
  EXPECT_EQ(ParseStatsBucket("hour"), StatsBucket::kHour);
  EXPECT_FALSE(ParseStatsBucket("week").has_value());
  EXPECT_FALSE(ParseStatsBucket("Day").has_value());
  EXPECT_EQ(StatsBucketName(StatsBucket::kHour), "hour");
  EXPECT_EQ(StatsBucketSeconds(StatsBucket::kDay), 86400);
  EXPECT_EQ(StatsBucketSeconds(StatsBucket::kHour), 3600);
}

}  // namespace
}  // namespace beian
