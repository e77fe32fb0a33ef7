#include "codec/json_out.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>

namespace beian {
namespace {

namespace json = boost::json;

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(AppendJsonString, SameBytesAsBoostJsonForEveryByte) {
  for (int c = 0; c < 256; ++c) {
    const std::string s = "a" + std::string(1, static_cast<char>(c)) + "b";
    EXPECT_EQ(Quoted(s), json::serialize(json::string(s))) << c;
  }
  // Every byte at every position of strings long enough to be scanned eight bytes at a time.
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at = 0; at < 24; ++at) {
      std::string s(24, 'x');
      s[at] = static_cast<char>(c);
      ASSERT_EQ(Quoted(s), json::serialize(json::string(s))) << c << " at " << at;
    }
  }
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  EXPECT_EQ(Quoted(all), json::serialize(json::string(all)));
  EXPECT_EQ(Quoted(""), "\"\"");
  EXPECT_EQ(Quoted("云服务器 ECS \"x\"\\\n\x01\x7f"),
            "\"云服务器 ECS \\\"x\\\"\\\\\\n\\u0001\x7f\"");
}

TEST(JsonOut, SameTextAsABoostJsonTree) {
  std::string out;
  JsonOut j(out);
  j.BeginObject()
      .Key("s")
      .String("t\"")
      .Key("empty_array")
      .BeginArray()
      .EndArray()
      .Key("empty_object")
      .BeginObject()
      .EndObject()
      .Key("a")
      .BeginArray()
      .Int(0)
      .Int(-1)
      .Int(std::numeric_limits<int64_t>::min())
      .Int(std::numeric_limits<int64_t>::max())
      .Bool(true)
      .Bool(false)
      .Null()
      .BeginObject()
      .Key("k\n")
      .BeginArray()
      .String("x")
      .EndArray()
      .EndObject()
      .BeginArray()
      .EndArray()
      .EndArray()
      .Key("after")
      .Int(7)
      .EndObject();
  json::object o;
  o["s"] = "t\"";
  o["empty_array"] = json::array();
  o["empty_object"] = json::object();
  o["a"] = json::array{0,
                       -1,
                       std::numeric_limits<int64_t>::min(),
                       std::numeric_limits<int64_t>::max(),
                       true,
                       false,
                       nullptr,
                       json::object{{"k\n", json::array{"x"}}},
                       json::array()};
  o["after"] = 7;
  EXPECT_EQ(out, json::serialize(o));
}

}  // namespace
}  // namespace beian
