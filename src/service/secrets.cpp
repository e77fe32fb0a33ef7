#include <sodium.h>

#include <array>
#include <string>

#include "service/internal.h"

namespace beian::svc {
namespace {

constexpr std::string_view kTokenPrefix = "bn_";
constexpr std::size_t kTokenBytes = 32;
// base64url of 32 bytes without padding.
constexpr std::size_t kTokenTextLength = 43;

// Host passwords are imported in bulk (an inventory may carry many vhosts) and verified inside
// filings, so Argon2id runs at a modest cost: 2 passes over 8 MiB (~10 ms) instead of libsodium's
// INTERACTIVE 64 MiB. That still makes offline guessing of a leaked hash costly, and online
// guessing is capped by the vhost password attempt limit.
constexpr unsigned long long kPwOpsLimit = 2;
constexpr std::size_t kPwMemLimit = 8u << 20;

constexpr char kLowerCrockford[] = "0123456789abcdefghjkmnpqrstvwxyz";

}  // namespace

std::string NewApiToken() {
  std::array<unsigned char, kTokenBytes> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::array<char, sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)>
      text{};
  sodium_bin2base64(text.data(), text.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(kTokenPrefix) + text.data();
}

bool LooksLikeApiToken(std::string_view token) {
  if (token.size() != kTokenPrefix.size() + kTokenTextLength) return false;
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) return false;
  for (char c : token.substr(kTokenPrefix.size())) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string ApiTokenHash(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), h.data(), h.size());
  return hex.data();
}

std::string NewFilingId() {
  std::string id = "f-";
  for (int i = 0; i < 20; ++i) id += kLowerCrockford[randombytes_uniform(32)];
  return id;
}

Result<std::string> HashHostPassword(std::string_view password) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), kPwOpsLimit, kPwMemLimit) !=
      0) {
    return MakeError(
        ErrorCode::kInternal,
        Text{"主机密码哈希失败（内存不足）", "hashing the host password failed (out of memory)"});
  }
  return std::string(out.data());
}

bool VerifyHostPassword(std::string_view hash, std::string_view password) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::array<char, crypto_pwhash_STRBYTES> buf{};
  hash.copy(buf.data(), hash.size());
  return crypto_pwhash_str_verify(buf.data(), password.data(), password.size()) == 0;
}

}  // namespace beian::svc
