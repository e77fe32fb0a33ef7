#include "codec/strict_json.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

namespace beian {
namespace {

TEST(StrictJsonTest, ParsesWhatBoostJsonParses) {
  Text problem;
  auto v = ParseStrictJson(R"({"a":[1,-2,3.5,"x",true,null,{"b":{}}],"c":"\u00e9"})", problem);
  ASSERT_TRUE(v.has_value()) << problem.en;
  EXPECT_EQ(boost::json::serialize(*v), R"({"a":[1,-2,3.5E0,"x",true,null,{"b":{}}],"c":"é"})");
}

TEST(StrictJsonTest, RefusesARepeatedKeyAtAnyDepth) {
  for (const char* text : {R"({"domain":"a.cn","service_number":"x","domain":"b.cn"})",
                           R"({"v":{"domain":1,"domain":1}})", R"([{"domain":1,"domain":2}])"}) {
    Text problem;
    std::string key;
    EXPECT_FALSE(ParseStrictJson(text, problem, &key).has_value()) << text;
    EXPECT_EQ(key, "domain") << text;
    EXPECT_EQ(problem.en, "duplicate key \"domain\"");
  }
  Text problem;
  std::string key = "unset";
  EXPECT_FALSE(ParseStrictJson(R"({"":1,"":2})", problem, &key).has_value());
  EXPECT_EQ(key, "");
  EXPECT_EQ(problem.en, "duplicate key \"\"");
}

TEST(StrictJsonTest, EqualKeysInDifferentObjectsAreFine) {
  Text problem;
  EXPECT_TRUE(ParseStrictJson(R"({"a":{"a":1},"b":{"a":2},"c":[{"a":1},{"a":2}]})", problem));
}

TEST(StrictJsonTest, KeysAreComparedAfterUnescaping) {
  Text problem;
  std::string key;
  EXPECT_FALSE(ParseStrictJson(R"({"id":1,"\u0069d":2})", problem, &key).has_value());
  EXPECT_EQ(key, "id");
}

TEST(StrictJsonTest, ManyKeysAreCheckedInLinearTime) {
  std::string text = "{";
  for (int i = 0; i < 30000; ++i) text += "\"k" + std::to_string(i) + "\":0,";
  std::string ok = text;
  ok.back() = '}';
  Text problem;
  EXPECT_TRUE(ParseStrictJson(ok, problem).has_value()) << problem.en;
  text += "\"k5\":1}";
  std::string key;
  EXPECT_FALSE(ParseStrictJson(text, problem, &key).has_value());
  EXPECT_EQ(key, "k5");
}

TEST(StrictJsonTest, MalformedTextKeepsBoostJsonsMessage) {
  Text problem;
  std::string key = "unset";
  EXPECT_FALSE(ParseStrictJson(R"({"a":1)", problem, &key).has_value());
  EXPECT_EQ(problem.en, "incomplete JSON");
  EXPECT_EQ(key, "unset");
  EXPECT_FALSE(ParseStrictJson(R"({"a":1} x)", problem).has_value());
  EXPECT_FALSE(ParseStrictJson("", problem).has_value());
}

}  // namespace
}  // namespace beian
