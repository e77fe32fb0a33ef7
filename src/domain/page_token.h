#pragma once
// Page tokens of the list endpoints (the one owner of their rule; HTTP and the service both call
// DecodePageToken). A token is opaque to clients and made only by EncodePageToken: base64url
// without padding of a one-letter tag of the list, ':' and the last key of the previous page.
// Anything else, including another list's token, is refused. Pure, thread-safe.
#include <cstddef>
#include <string>
#include <string_view>

#include "domain/result.h"

namespace beian {

// kFilingsByAge: filings by submission time; its key is "<created_at seconds>/<id>".
enum class PageList : char {
  kProducts = 'p',
  kNumbers = 'n',
  kFilings = 'f',
  kAccounts = 'a',
  kFilingsByAge = 'g'
};

// The longest token accepted (keys are ids of at most 128 bytes, so tokens stay far below).
inline constexpr std::size_t kMaxPageTokenLength = 512;

// The token of the page after `last_key` in `list`.
std::string EncodePageToken(PageList list, std::string_view last_key);

// The last key that `token` stands for. kInvalidRequest with a field error on "page_token" when
// `token` is empty, longer than kMaxPageTokenLength, not base64url, made for another list, or
// names an empty key or one with bytes outside printable ASCII.
Result<std::string> DecodePageToken(PageList list, std::string_view token);

}  // namespace beian
