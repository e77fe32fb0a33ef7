#include "domain/page_token.h"

#include <sodium.h>

#include <vector>

namespace beian {
namespace {

Error BadToken() {
  Error e =
      MakeError(ErrorCode::kInvalidRequest,
                Text{"page_token 无效：请使用上一页返回的 next_page_token",
                     "page_token is not valid: pass the next_page_token of the previous page"});
  e.errors.push_back(FieldError{"page_token", e.detail.en, e.detail.zh});
  return e;
}

}  // namespace

std::string EncodePageToken(PageList list, std::string_view last_key) {
  std::string raw;
  raw.reserve(last_key.size() + 2);
  raw += static_cast<char>(list);
  raw += ':';
  raw += last_key;
  std::vector<char> out(
      sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING));
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out.data();
}

Result<std::string> DecodePageToken(PageList list, std::string_view token) {
  if (token.empty() || token.size() > kMaxPageTokenLength) return BadToken();
  std::string raw(token.size(), '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), token.data(),
                        token.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != token.data() + token.size()) {
    return BadToken();
  }
  raw.resize(len);
  if (raw.size() < 3 || raw[0] != static_cast<char>(list) || raw[1] != ':') return BadToken();
  for (std::size_t i = 2; i < raw.size(); ++i) {
    if (raw[i] <= 0x20 || raw[i] >= 0x7f) return BadToken();
  }
  return raw.substr(2);
}

}  // namespace beian
