#include "http/framing.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace beian::http {
namespace bhttp = boost::beast::http;
namespace {

bhttp::request_header<> Head(int version,
                             std::initializer_list<std::pair<const char*, const char*>> fields) {
  bhttp::request_header<> h;
  h.version(static_cast<unsigned>(version));
  h.method(bhttp::verb::post);
  h.target("/v1/filings");
  for (const auto& [name, value] : fields) h.insert(name, value);
  return h;
}

// The status CheckRequestHead refuses with, or 0.
int RefusalStatus(const bhttp::request_header<>& h) {
  std::optional<Error> e = CheckRequestHead(h);
  return e ? HttpStatusOf(e->code) : 0;
}

TEST(FramingTest, ExactlyOneHost) {
  EXPECT_EQ(RefusalStatus(Head(11, {{"Host", "x"}})), 0);
  EXPECT_EQ(RefusalStatus(Head(11, {})), 400);
  EXPECT_EQ(RefusalStatus(Head(11, {{"Host", "x"}, {"Host", "x"}})), 400);
  EXPECT_EQ(RefusalStatus(Head(10, {})), 0);  // HTTP/1.0 had no Host
  EXPECT_EQ(RefusalStatus(Head(10, {{"Host", "a"}, {"Host", "b"}})), 400);
}

TEST(FramingTest, OnlyAFinalChunkedTransferCoding) {
  EXPECT_EQ(RefusalStatus(Head(11, {{"Host", "x"}, {"Transfer-Encoding", "chunked"}})), 0);
  EXPECT_EQ(RefusalStatus(Head(11, {{"Host", "x"}, {"Transfer-Encoding", "Chunked"}})), 0);
  // chunked not final (or missing): the body length is unknown (RFC 9112 §6.3).
  for (const char* te : {"gzip", "xchunked", "chunked, identity", "chunked, chunked", "identity",
                         ", chunked", "chunked,"}) {
    EXPECT_EQ(RefusalStatus(Head(11, {{"Host", "x"}, {"Transfer-Encoding", te}})), 400) << te;
  }
  // Framed, but a coding this server does not implement (§6.1).
  EXPECT_EQ(RefusalStatus(Head(11, {{"Host", "x"}, {"Transfer-Encoding", "gzip, chunked"}})), 501);
  EXPECT_EQ(
      RefusalStatus(Head(
          11, {{"Host", "x"}, {"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}})),
      501);
  EXPECT_EQ(
      RefusalStatus(Head(
          11, {{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "gzip"}})),
      400);
  EXPECT_EQ(RefusalStatus(Head(10, {{"Transfer-Encoding", "chunked"}})), 400);
}

bool Folded(std::initializer_list<std::string_view> pieces) {
  FoldDetector d;
  for (std::string_view p : pieces) d.Feed(p);
  return d.folded();
}

TEST(FramingTest, DetectsObsFoldInTheRawHead) {
  EXPECT_FALSE(Folded({"GET / HTTP/1.1\r\nHost: x\r\nA: b c\r\n\r\n"}));
  EXPECT_TRUE(Folded({"GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n c\r\n\r\n"}));
  EXPECT_TRUE(Folded({"GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n\tc\r\n\r\n"}));
  EXPECT_TRUE(Folded({"GET / HTTP/1.1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n"}));
  // Split anywhere.
  EXPECT_TRUE(Folded({"GET / HTTP/1.1\r\nA: b\r", "\n", " c\r\n\r\n"}));
  EXPECT_TRUE(Folded({"GET / HTTP/1.1\r\nHost: x", "yz\r\n", " c\r\n\r\n"}));
  EXPECT_FALSE(Folded({"GET / HTTP/1.1\r\nHost: x", "\r\n", "A: b c\r\n\r\n"}));
  // A bare LF inside a line does not start a line.
  EXPECT_FALSE(Folded({"GET / HTTP/1.1\r\nA: b\n c\r\n\r\n"}));
  // The body is not the head.
  EXPECT_FALSE(Folded({"POST / HTTP/1.1\r\nHost: x\r\n\r\n", "{\r\n \"a\": 1}"}));
  FoldDetector d;
  d.Feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(d.head_done());
  d.Reset();
  EXPECT_FALSE(d.head_done());
}

}  // namespace
}  // namespace beian::http
