// Standard Webhooks v1 signing (https://www.standardwebhooks.com): HMAC-SHA256 over
// "<msg_id>.<timestamp>.<body>" keyed with the base64-decoded bytes of the "whsec_" secret.
#include <sodium.h>

#include <array>
#include <optional>
#include <stdexcept>
#include <string>

#include "service/webhook_transport.h"

namespace beian {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::size_t kNewSecretBytes = 24;
constexpr std::size_t kMinKeyBytes = 16;
constexpr std::size_t kMaxKeyBytes = 64;

std::string Base64(const unsigned char* data, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Error BadSecret() {
  return MakeError(ErrorCode::kInvalidRequest,
                   Text{"Webhook 密钥格式无效（应为 whsec_ 加 base64）",
                        "malformed webhook secret (expected whsec_ and base64)"});
}

// The HMAC key of a "whsec_…" secret, or nullopt when it is malformed.
std::optional<std::string> DecodeSecret(std::string_view secret) {
  if (!secret.starts_with(kSecretPrefix)) return std::nullopt;
  const std::string_view b64 = secret.substr(kSecretPrefix.size());
  std::string key(kMaxKeyBytes, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), b64.data(),
                        b64.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != b64.data() + b64.size() || len < kMinKeyBytes) {
    return std::nullopt;
  }
  key.resize(len);
  return key;
}

std::string Sign(const std::string& key, std::string_view content) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(content.data()),
                                content.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return Base64(mac.data(), mac.size());
}

}  // namespace

std::string NewWebhookSecret() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  std::array<unsigned char, kNewSecretBytes> key{};
  randombytes_buf(key.data(), key.size());
  std::string secret = std::string(kSecretPrefix) + Base64(key.data(), key.size());
  sodium_memzero(key.data(), key.size());
  return secret;
}

Result<std::string> SignWebhook(const std::vector<std::string>& secrets, std::string_view msg_id,
                                int64_t timestamp, std::string_view body) {
  if (secrets.empty()) return BadSecret();
  std::string content;
  content.reserve(msg_id.size() + body.size() + 24);
  content.append(msg_id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  std::string out;
  for (const std::string& secret : secrets) {
    std::optional<std::string> key = DecodeSecret(secret);
    if (!key) return BadSecret();
    if (!out.empty()) out += ' ';
    out += "v1," + Sign(*key, content);
    sodium_memzero(key->data(), key->size());
  }
  return out;
}

}  // namespace beian
