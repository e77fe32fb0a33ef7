#include "http/logging.h"

#include <gtest/gtest.h>

namespace beian::http {
namespace {

TEST(LoggingTest, RequestTextIsEscapedForTheLog) {
  EXPECT_EQ(fmt::format("{}", LogSafe{"/v1/products/i-1?limit=2"}), "/v1/products/i-1?limit=2");
  EXPECT_EQ(fmt::format("{}", LogSafe{"/v1/products/\xff\xfe"}), "/v1/products/%FF%FE");
  EXPECT_EQ(fmt::format("{}", LogSafe{"/\xe4\xb8\xad a\tb\x7f"}), "/%E4%B8%AD%20a%09b%7F");
  EXPECT_EQ(fmt::format("{}", LogSafe{std::string_view("a\0b", 3)}), "a%00b");
  EXPECT_EQ(fmt::format("{}", LogSafe{"\r\n"}), "%0D%0A");
  for (std::string_view text :
       {std::string_view("/v1/products/\xff\xfe"), std::string_view("/\xe4\xb8\xad a\tb\x7f"),
        std::string_view("a\0b", 3), std::string_view("ok")}) {
    std::string appended = "x";
    AppendLogSafe(appended, text);
    EXPECT_EQ(appended, "x" + fmt::format("{}", LogSafe{text}));
  }
}

}  // namespace
}  // namespace beian::http
