#include <sodium.h>

#include <string>
#include <vector>

#include "service/internal.h"

namespace beian::svc {
namespace {

constexpr int kMaxLimit = 500;
constexpr std::size_t kMaxTokenLength = 1024;

Error BadToken() {
  return InvalidField("page_token", Text{"分页令牌无效", "the page token is not valid"});
}

}  // namespace

std::string EncodePageToken(std::string_view last_key) {
  std::vector<char> out(
      sodium_base64_ENCODED_LEN(last_key.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING));
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(last_key.data()),
                    last_key.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out.data();
}

Result<std::string> DecodePageToken(std::string_view token) {
  if (token.empty()) return std::string();
  if (token.size() > kMaxTokenLength) return BadToken();
  std::string out(token.size(), '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), token.data(),
                        token.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != token.data() + token.size() || len == 0) {
    return BadToken();
  }
  out.resize(len);
  return out;
}

Status CheckLimit(int limit) {
  if (limit < 1 || limit > kMaxLimit) {
    return InvalidField("limit",
                        Text{"limit 须在 1 到 500 之间", "limit must be between 1 and 500"});
  }
  return OkStatus();
}

}  // namespace beian::svc
