#include <sodium.h>

#include <array>
#include <boost/crc.hpp>
#include <string>

#include "service/internal.h"

namespace beian::svc {
namespace {

constexpr std::string_view kTokenPrefix = "beian_";
constexpr std::size_t kTokenRandomChars = 43;  // 62^43 > 2^256
constexpr std::size_t kTokenCheckChars = 6;    // 62^6 > 2^32
constexpr std::string_view kLegacyPrefix = "bn_";
constexpr std::size_t kLegacyTextLength = 43;  // base64url of 32 bytes without padding

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool IsBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::string RandomBase62(std::size_t n) {
  std::string out(n, '0');
  for (char& c : out) c = kBase62[randombytes_uniform(62)];
  return out;
}

// The CRC-32 (ISO-HDLC, as zlib's) of `text` as 6 base62 digits, most significant first.
std::string Checksum(std::string_view text) {
  boost::crc_32_type crc;
  crc.process_bytes(text.data(), text.size());
  uint64_t v = crc.checksum();
  std::string out(kTokenCheckChars, '0');
  for (std::size_t i = kTokenCheckChars; i-- > 0;) {
    out[i] = kBase62[v % 62];
    v /= 62;
  }
  return out;
}

std::string Hex(const unsigned char* data, std::size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, n);
  hex.pop_back();
  return hex;
}

// Host passwords are imported in bulk (an inventory may carry many vhosts) and verified inside
// filings, so Argon2id runs at a modest cost: 2 passes over 8 MiB (~10 ms) instead of libsodium's
// INTERACTIVE 64 MiB. That still makes offline guessing of a leaked hash costly, and online
// guessing is capped by the vhost password attempt limit.
constexpr unsigned long long kPwOpsLimit = 2;
constexpr std::size_t kPwMemLimit = 8u << 20;

constexpr char kLowerCrockford[] = "0123456789abcdefghjkmnpqrstvwxyz";

}  // namespace

std::string NewApiToken() {
  std::string token = std::string(kTokenPrefix) + RandomBase62(kTokenRandomChars);
  return token + Checksum(token);
}

TokenShape CheckTokenShape(std::string_view token) {
  if (token.size() == kTokenPrefix.size() + kTokenRandomChars + kTokenCheckChars &&
      token.starts_with(kTokenPrefix)) {
    for (char c : token.substr(kTokenPrefix.size())) {
      if (!IsBase62(c)) return TokenShape::kBad;
    }
    const std::size_t body = token.size() - kTokenCheckChars;
    return Checksum(token.substr(0, body)) == token.substr(body) ? TokenShape::kCurrent
                                                                 : TokenShape::kBad;
  }
  if (token.size() == kLegacyPrefix.size() + kLegacyTextLength &&
      token.starts_with(kLegacyPrefix)) {
    for (char c : token.substr(kLegacyPrefix.size())) {
      if (!IsBase62(c) && c != '-' && c != '_') return TokenShape::kBad;
    }
    return TokenShape::kLegacy;
  }
  return TokenShape::kBad;
}

std::string ApiTokenHash(std::string_view token, std::string_view pepper) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(pepper.data()),
                              pepper.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(token.data()),
                                token.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&st, mac.data());
  return Hex(mac.data(), mac.size());
}

std::string LegacyTokenHash(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return Hex(h.data(), h.size());
}

std::string NewTokenId() { return "tok_" + RandomBase62(16); }

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
