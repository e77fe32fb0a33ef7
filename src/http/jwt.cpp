#include "http/jwt.h"

#include <cjose/cjose.h>
#include <openssl/evp.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

namespace beian::http {
namespace json = boost::json;

// Named (not in the anonymous namespace): JwkSet::Key, declared in jwt.h, holds one.
enum class JwkKeyType { kRsa, kP256, kEd25519 };

namespace {

using KeyType = JwkKeyType;

Error Unauth(std::string en, std::string zh) {
  return MakeError(ErrorCode::kUnauthenticated, Text{std::move(zh), std::move(en)});
}

// base64url without padding, decoded by cjose; nullopt when malformed.
std::optional<std::string> B64UrlDecode(std::string_view in) {
  uint8_t* out = nullptr;
  size_t len = 0;
  cjose_err err;
  if (!cjose_base64url_decode(in.data(), in.size(), &out, &len, &err)) return std::nullopt;
  std::string s(reinterpret_cast<const char*>(out), len);
  cjose_get_dealloc()(out);
  return s;
}

std::optional<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::string_view Str(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

// The three parts of a compact JWS, or false.
bool SplitCompact(std::string_view c, std::string_view parts[3]) {
  const std::size_t a = c.find('.');
  if (a == std::string_view::npos) return false;
  const std::size_t b = c.find('.', a + 1);
  if (b == std::string_view::npos || c.find('.', b + 1) != std::string_view::npos) return false;
  parts[0] = c.substr(0, a);
  parts[1] = c.substr(a + 1, b - a - 1);
  parts[2] = c.substr(b + 1);
  return !parts[0].empty() && !parts[1].empty() && !parts[2].empty();
}

std::optional<KeyType> TypeOfAlg(std::string_view alg) {
  if (alg == "RS256") return KeyType::kRsa;
  if (alg == "ES256") return KeyType::kP256;
  if (alg == "EdDSA") return KeyType::kEd25519;
  return std::nullopt;
}

std::optional<double> Number(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  if (v->is_double()) return v->as_double();
  return std::nullopt;
}

}  // namespace

struct JwkSet::Key {
  std::string kid;
  KeyType type = KeyType::kRsa;
  cjose_jwk_t* jwk = nullptr;  // RSA and P-256
  EVP_PKEY* pkey = nullptr;    // Ed25519
  ~Key() {
    if (jwk != nullptr) cjose_jwk_release(jwk);
    if (pkey != nullptr) EVP_PKEY_free(pkey);
  }
};

JwkSet::~JwkSet() = default;

namespace {

std::unique_ptr<JwkSet::Key> ImportKey(const json::object& o) {
  const std::string_view use = Str(o, "use");
  if (!use.empty() && use != "sig") return nullptr;
  const std::string_view kty = Str(o, "kty");
  const std::string_view alg = Str(o, "alg");
  auto key = std::make_unique<JwkSet::Key>();
  key->kid = std::string(Str(o, "kid"));
  cjose_err err;
  if (kty == "RSA" || kty == "EC") {
    key->type = kty == "RSA" ? KeyType::kRsa : KeyType::kP256;
    if (!alg.empty() && alg != (kty == "RSA" ? "RS256" : "ES256")) return nullptr;
    const std::string text = json::serialize(o);
    key->jwk = cjose_jwk_import(text.data(), text.size(), &err);
    if (key->jwk == nullptr) return nullptr;
    if (key->type == KeyType::kP256 &&
        cjose_jwk_EC_get_curve(key->jwk, &err) != CJOSE_JWK_EC_P_256) {
      return nullptr;
    }
    return key;
  }
  if (kty == "OKP" && Str(o, "crv") == "Ed25519" && (alg.empty() || alg == "EdDSA")) {
    key->type = KeyType::kEd25519;
    std::optional<std::string> x = B64UrlDecode(Str(o, "x"));
    if (!x || x->size() != 32) return nullptr;
    key->pkey = EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x->data()), x->size());
    if (key->pkey == nullptr) return nullptr;
    return key;
  }
  return nullptr;
}

bool VerifyEd25519(EVP_PKEY* pkey, std::string_view signing_input, std::string_view sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return false;
  const bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(signing_input.data()),
                       signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// The payload of `compact` if `key` verifies it (RS256 / ES256 through cjose).
std::optional<std::string> VerifyWithCjose(std::string_view compact, const JwkSet::Key& key) {
  cjose_err err;
  cjose_jws_t* jws = cjose_jws_import(compact.data(), compact.size(), &err);
  if (jws == nullptr) return std::nullopt;
  std::optional<std::string> out;
  uint8_t* plain = nullptr;
  size_t len = 0;
  if (cjose_jws_verify(jws, key.jwk, &err) && cjose_jws_get_plaintext(jws, &plain, &len, &err)) {
    out.emplace(reinterpret_cast<const char*>(plain), len);
  }
  cjose_jws_release(jws);  // owns `plain`
  return out;
}

}  // namespace

Result<std::shared_ptr<const JwkSet>> JwkSet::Parse(std::string_view json_text) {
  std::optional<json::object> doc = ParseObject(json_text);
  const json::value* keys = doc ? doc->if_contains("keys") : nullptr;
  if (keys == nullptr || !keys->is_array()) {
    return MakeError(ErrorCode::kInvalidRequest, Text{"不是 JWKS 文档", "not a JWKS document"});
  }
  std::shared_ptr<JwkSet> set(new JwkSet());
  for (const json::value& k : keys->as_array()) {
    if (!k.is_object()) continue;
    if (std::unique_ptr<Key> key = ImportKey(k.as_object())) set->keys_.push_back(std::move(key));
  }
  return std::shared_ptr<const JwkSet>(std::move(set));
}

bool JwkSet::HasKid(std::string_view kid) const {
  for (const auto& k : keys_) {
    if (k->kid == kid) return true;
  }
  return false;
}

Result<JwsHeader> PeekJwsHeader(std::string_view compact) {
  std::string_view parts[3];
  std::optional<std::string> header;
  std::optional<json::object> h;
  if (!SplitCompact(compact, parts) || !(header = B64UrlDecode(parts[0])) ||
      !(h = ParseObject(*header))) {
    return Unauth("the bearer token is not a well-formed JWT", "持有者令牌不是格式正确的 JWT");
  }
  return JwsHeader{std::string(Str(*h, "alg")), std::string(Str(*h, "kid"))};
}

Result<json::object> VerifyJws(std::string_view compact, const JwkSet& keys, std::string* log) {
  Result<JwsHeader> header = PeekJwsHeader(compact);
  if (!header.ok()) return std::move(header).error();
  const std::optional<KeyType> type = TypeOfAlg(header->alg);
  if (!type) {
    if (log != nullptr) *log = "JWT algorithm not accepted: " + header->alg;
    return Unauth("the JWT's algorithm is not accepted (RS256, ES256 or EdDSA)",
                  "不接受该 JWT 的签名算法（仅 RS256、ES256、EdDSA）");
  }
  std::string_view parts[3];
  SplitCompact(compact, parts);
  bool any_key = false;
  for (const auto& key : keys.keys_) {
    if (key->type != *type || (!header->kid.empty() && key->kid != header->kid)) continue;
    any_key = true;
    std::optional<std::string> payload;
    if (*type == KeyType::kEd25519) {
      std::optional<std::string> sig = B64UrlDecode(parts[2]);
      const std::string_view input = compact.substr(0, parts[0].size() + 1 + parts[1].size());
      if (sig && VerifyEd25519(key->pkey, input, *sig)) payload = B64UrlDecode(parts[1]);
    } else {
      payload = VerifyWithCjose(compact, *key);
    }
    if (!payload) continue;
    std::optional<json::object> claims = ParseObject(*payload);
    if (!claims)
      return Unauth("the JWT's claims are not a JSON object", "JWT 的声明不是 JSON 对象");
    return std::move(*claims);
  }
  if (log != nullptr) {
    *log = any_key ? "JWT signature does not verify (kid " + header->kid + ")"
                   : "no " + header->alg + " key with kid " + header->kid + " in the JWKS";
  }
  if (!any_key) {
    return Unauth("the JWT is signed with an unknown key", "JWT 的签名密钥未知");
  }
  return Unauth("the JWT's signature is invalid", "JWT 的签名无效");
}

Status CheckClaims(const json::object& claims, const JwtExpect& expect) {
  if (Str(claims, "iss") != expect.issuer) {
    return Unauth("the JWT was issued by another issuer", "JWT 的签发方不符");
  }
  const std::vector<std::string> aud = ClaimStrings(claims, "aud", false);
  if (std::find(aud.begin(), aud.end(), expect.audience) == aud.end()) {
    return Unauth("the JWT is meant for another audience", "JWT 的受众不符");
  }
  const double now = std::chrono::duration<double>(expect.now.time_since_epoch()).count();
  const double leeway = static_cast<double>(expect.leeway.count());
  const std::optional<double> exp = Number(claims, "exp");
  if (!exp || now > *exp + leeway) {
    return Unauth("the JWT has expired", "JWT 已过期");
  }
  const std::optional<double> nbf = Number(claims, "nbf");
  if (claims.contains("nbf") && (!nbf || now + leeway < *nbf)) {
    return Unauth("the JWT is not valid yet", "JWT 尚未生效");
  }
  return OkStatus();
}

std::vector<std::string> ClaimStrings(const json::object& claims, std::string_view name,
                                      bool split) {
  std::vector<std::string> out;
  const json::value* v = claims.if_contains(name);
  if (v == nullptr) return out;
  if (v->is_string()) {
    std::string_view s = v->as_string();
    if (!split) {
      out.emplace_back(s);
      return out;
    }
    while (!s.empty()) {
      const std::size_t sp = std::min(s.find(' '), s.size());
      if (sp > 0) out.emplace_back(s.substr(0, sp));
      s.remove_prefix(std::min(sp + 1, s.size()));
    }
  } else if (v->is_array()) {
    for (const json::value& item : v->as_array()) {
      if (item.is_string()) out.emplace_back(item.as_string());
    }
  }
  return out;
}

}  // namespace beian::http
