// Fuzz target: whole HTTP/1.1 requests, parsed by Beast's parser from memory (no sockets) and
// answered by http::HandleParsed against a real SQLite store (fuzz/world.h). "@OPS@", "@ALICE@",
// "@BOB@" and "@SN@" in the input become real tokens and a real number, so authenticated routes
// are reached. Invariants: the server never answers 5xx to any request (the store is healthy), and
// every error answer is problem+json (with a JSON body, except to HEAD).
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/world.h"
#include "http/in_process.h"

using namespace beian;
namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::World& w = fuzz::GetWorld();
  const std::string text =
      fuzz::SubstitutePlaceholders({reinterpret_cast<const char*>(data), size}, w);
  bhttp::request_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.body_limit(1 << 20);
  parser.header_limit(16 << 10);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(text), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  const http::ApiResponse resp = http::HandleParsed(*w.api, parser.get(), "fuzz");
  fuzz::Check(resp.status >= 200 && resp.status < 500, "no 5xx from a healthy server");
  if (resp.status >= 400) {
    fuzz::Check(resp.content_type == "application/problem+json", "errors are problem+json");
    if (parser.get().method() == bhttp::verb::head) return 0;  // HEAD carries no body
    boost::system::error_code jec;
    boost::json::parse(resp.body, jec);
    fuzz::Check(!jec, "a problem body is JSON");
  }
  return 0;
}
