#include "domain/text.h"

#include <gtest/gtest.h>

namespace beian {
namespace {

TEST(IsUtf8, AcceptsAsciiAndWellFormedSequences) {
  EXPECT_TRUE(IsUtf8(""));
  EXPECT_TRUE(IsUtf8("after"));
  EXPECT_TRUE(IsUtf8("\xC2\xA9"));          // U+00A9, shortest two-byte form
  EXPECT_TRUE(IsUtf8("备案服务号"));        // three-byte forms
  EXPECT_TRUE(IsUtf8("\xED\x9F\xBF"));      // U+D7FF, last before the surrogates
  EXPECT_TRUE(IsUtf8("\xF0\x90\x80\x80"));  // U+10000
  EXPECT_TRUE(IsUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(IsUtf8, RefusesMalformedSequences) {
  EXPECT_FALSE(IsUtf8("\xAFter"));           // a lone continuation byte (%after)
  EXPECT_FALSE(IsUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsUtf8("\xE0\x80\xAF"));      // overlong three-byte form
  EXPECT_FALSE(IsUtf8("\xED\xA0\x80"));      // U+D800, a surrogate
  EXPECT_FALSE(IsUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsUtf8("\xF5\x80\x80\x80"));  // no such lead byte
  EXPECT_FALSE(IsUtf8("\xE5\xA4"));          // truncated at the end
  EXPECT_FALSE(IsUtf8("\xE5\xA4x"));         // a continuation byte missing
  EXPECT_FALSE(IsUtf8("\xFF"));
}

}  // namespace
}  // namespace beian
