#include "domain/domain_name.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace beian {
namespace {

std::string Normalized(std::string_view input) {
  Result<std::string> r = NormalizeDomain(input);
  EXPECT_TRUE(r.ok()) << input << ": " << (r.ok() ? "" : r.error().detail.en);
  return r.ok() ? *r : std::string();
}

// Expects a refusal whose English detail mentions `why`; checks the Chinese detail exists.
void ExpectRefused(std::string_view input, std::string_view why) {
  Result<std::string> r = NormalizeDomain(input);
  ASSERT_FALSE(r.ok()) << input << " accepted as " << *r;
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidDomain) << input;
  EXPECT_NE(r.error().detail.en.find(why), std::string::npos)
      << input << ": detail \"" << r.error().detail.en << "\" does not say \"" << why << "\"";
  EXPECT_FALSE(r.error().detail.zh.empty()) << input;
}

TEST(DomainNameTest, AcceptsPlainNamesInLowerCase) {
  EXPECT_EQ(Normalized("example.com"), "example.com");
  EXPECT_EQ(Normalized("www.example.com.cn"), "www.example.com.cn");
  EXPECT_EQ(Normalized("Example.COM"), "example.com");
  EXPECT_EQ(Normalized("a-b.c0.example.org"), "a-b.c0.example.org");
  EXPECT_EQ(Normalized("123.com"), "123.com");
}

TEST(DomainNameTest, AcceptsOneTrailingDot) {
  EXPECT_EQ(Normalized("Example.COM."), "example.com");
  EXPECT_EQ(Normalized("例子.中国。"), "xn--fsqu00a.xn--fiqs8s");
  ExpectRefused("example.com..", "empty label");
}

TEST(DomainNameTest, ConvertsInternationalNamesToALabels) {
  EXPECT_EQ(Normalized("例子.中国"), "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(Normalized("例子。中国"), "xn--fsqu00a.xn--fiqs8s");  // ideographic full stop
  EXPECT_EQ(Normalized("中文.example.com"), "xn--fiq228c.example.com");
  EXPECT_EQ(Normalized("Ｅｘａｍｐｌｅ．ＣＯＭ"), "example.com");  // full-width forms
  EXPECT_EQ(Normalized("faß.de"), "xn--fa-hia.de");                // non-transitional: ß is kept
}

TEST(DomainNameTest, AcceptsPunycodeInAnyCase) {
  EXPECT_EQ(Normalized("xn--fsqu00a.xn--fiqs8s"), "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(Normalized("XN--FSQU00A.XN--FIQS8S"), "xn--fsqu00a.xn--fiqs8s");
}

TEST(DomainNameTest, RefusesEmpty) {
  ExpectRefused("", "empty");
  ExpectRefused(".", "empty label");
}

TEST(DomainNameTest, RefusesOver253Octets) {
  std::string name;
  for (int i = 0; i < 5; ++i) name += std::string(49, 'a') + ".";
  name += "com";  // 5 × 50 + 3 = 253 octets: the limit
  EXPECT_EQ(Normalized(name), name);
  name = "w" + name;
  ExpectRefused(name, "253 octets");
  std::string exact = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                      std::string(63, 'c') + "." + std::string(61, 'd');
  ASSERT_EQ(exact.size(), 253u);
  EXPECT_EQ(Normalized(exact), exact);
  ExpectRefused(exact + "d", "253 octets");
  ExpectRefused(std::string(5000, 'a') + ".com", "253 octets");
}

TEST(DomainNameTest, RefusesIpLiterals) {
  for (const char* ip : {"1.2.3.4", "127.0.0.1.", "[1.2.3.4]", "::1", "[::1]", "2001:db8::1",
                         "[2001:db8::1]", "::ffff:10.0.0.1", "10.0.1", "１.２.３.４"}) {
    ExpectRefused(ip, "IP address");
  }
}

TEST(DomainNameTest, RefusesWildcards) {
  ExpectRefused("*.example.com", "wildcard");
  ExpectRefused("www.*.com", "wildcard");
  ExpectRefused("*", "wildcard");
}

TEST(DomainNameTest, RefusesLabelsOver63Octets) {
  const std::string label63(63, 'a');
  EXPECT_EQ(Normalized(label63 + ".com"), label63 + ".com");
  ExpectRefused(label63 + "a.com", "63 octets");
  ExpectRefused("www." + std::string(70, 'x') + ".cn", "63 octets");
  // 30 ideographs fit in a short A-label; 60 do not.
  std::string ideographs;
  for (int i = 0; i < 60; ++i) ideographs += "例";
  ExpectRefused(ideographs + ".com", "63 octets");
}

TEST(DomainNameTest, RefusesLeadingOrTrailingHyphen) {
  ExpectRefused("-example.com", "hyphen");
  ExpectRefused("example-.com", "hyphen");
  ExpectRefused("www.example.-com", "hyphen");
  ExpectRefused("-例子.中国", "hyphen");
  ExpectRefused("例子-.中国", "hyphen");
  ExpectRefused("r3--sn-abc.example.com", "3rd and 4th");
}

TEST(DomainNameTest, RefusesSingleLabel) {
  ExpectRefused("localhost", "single label");
  ExpectRefused("localhost.", "single label");
  ExpectRefused("例子", "single label");
}

TEST(DomainNameTest, RefusesEmptyLabels) {
  ExpectRefused("a..b", "empty label");
  ExpectRefused(".example.com", "empty label");
  ExpectRefused("example..com.", "empty label");
}

TEST(DomainNameTest, RefusesCharactersHostNamesDoNotAllow) {
  for (const char* bad : {"a_b.example.com", "a b.com", " example.com", "example.com ",
                          "exa\tmple.com", "example.com:8080", "http://example.com",
                          "example.com/path", "user@example.com", "[example.com]"}) {
    ExpectRefused(bad, "host names do not allow");
  }
  ExpectRefused(std::string("exa\0mple.com", 12), "U+0000");
  ExpectRefused("a＿b.com", "host names do not allow");  // full-width low line maps to '_'
}

TEST(DomainNameTest, RefusesNamesNotConvertibleToALabels) {
  ExpectRefused("xn--zz.com", "IDNA");       // invalid punycode
  ExpectRefused("xn--.com", "IDNA");         // empty punycode
  ExpectRefused("💩.la", "IDNA");             // disallowed code point
  ExpectRefused("xn--ls8h.la", "IDNA");      // the same as an A-label
  ExpectRefused("exa\xFFmple.com", "IDNA");  // not UTF-8
}

TEST(DomainNameTest, NormalizedFormIsAFixedPoint) {
  for (const char* input : {"例子.中国", "Example.COM.", "faß.de", "XN--FIQ228C.Example.com"}) {
    const std::string once = Normalized(input);
    EXPECT_EQ(Normalized(once), once) << input;
  }
}

}  // namespace
}  // namespace beian
