#pragma once
// RFC 9112 rules for a request head that Beast's parser leaves to the application: one Host
// field, no obsolete line folding, and only the chunked transfer coding, applied once and last.
// Pure functions of the parsed head (and, for folding, of the raw bytes); thread-safe.
#include <boost/beast/http/message.hpp>
#include <cstddef>
#include <optional>
#include <string_view>

#include "domain/result.h"

namespace beian::http {

// Why the head must be refused, or nullopt when it may be served:
// - 400 INVALID_REQUEST: an HTTP/1.1 request without Host, any request with more than one Host
//   (RFC 9112 §3.2), Transfer-Encoding on HTTP/1.0, or a Transfer-Encoding whose final coding
//   is not chunked or that applies chunked twice (§6.1, §6.3: the body length is unknown);
// - 501 NOT_IMPLEMENTED: chunked is final, but another transfer coding (e.g. gzip) precedes it.
std::optional<Error> CheckRequestHead(const boost::beast::http::request_header<>& head);

// Finds obsolete line folding (a header line starting with SP or HTAB, RFC 9112 §5.2) in the raw
// bytes of a request head fed in pieces, stopping at the blank line that ends the head. Beast
// unfolds such lines silently, so the check has to see the bytes. Not thread-safe (one per
// connection).
class FoldDetector {
 public:
  // Starts over for the next request.
  void Reset() { *this = FoldDetector(); }
  // Feeds the next bytes of the connection; bytes after the end of the head are ignored.
  void Feed(std::string_view bytes);
  bool folded() const { return folded_; }
  bool head_done() const { return done_; }

 private:
  bool folded_ = false;
  bool done_ = false;
  bool line_start_ = true;
  bool cr_ = false;
  std::size_t line_length_ = 0;
  std::size_t lines_ = 0;
};

}  // namespace beian::http
