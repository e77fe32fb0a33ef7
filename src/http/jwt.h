#pragma once
// JSON Web Key Sets and JSON Web Token verification. RS256 and ES256 go through cjose (JWK import,
// JWS verification); EdDSA (Ed25519, which cjose 0.6 does not know) through OpenSSL's EVP
// interface. Only these three algorithms are accepted, each only with a key of its own type, so a
// token cannot pick "none", an HMAC or another key type. Claims are read with Boost.JSON.
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace beian::http {

// The signature keys of one JWKS document. Immutable once parsed; thread-safe.
class JwkSet {
 public:
  ~JwkSet();
  JwkSet(const JwkSet&) = delete;
  JwkSet& operator=(const JwkSet&) = delete;

  // Parses a JWKS document ({"keys": [...]}). Keys with "use" other than "sig", of unsupported
  // types or curves, or malformed are skipped. kInvalidRequest when the document is not a JWKS.
  static Result<std::shared_ptr<const JwkSet>> Parse(std::string_view json);

  // True when a key with this kid exists (any type).
  bool HasKid(std::string_view kid) const;
  std::size_t size() const { return keys_.size(); }

  struct Key;  // defined in jwt.cpp

 private:
  JwkSet() = default;
  friend Result<boost::json::object> VerifyJws(std::string_view, const JwkSet&, std::string*);
  std::vector<std::unique_ptr<Key>> keys_;
};

// The kid and alg of a compact JWS's protected header, without verifying anything. kUnauthenticated
// when `compact` is not a compact JWS with a JSON header.
struct JwsHeader {
  std::string alg;
  std::string kid;
};
Result<JwsHeader> PeekJwsHeader(std::string_view compact);

// Verifies the signature of compact JWS `compact` with the key of `keys` named by its kid (or, when
// it has none, with any key of the right type) and returns its payload as a JSON object.
// kUnauthenticated (detail says why) on any failure; `log` (optional) gets details for the log.
Result<boost::json::object> VerifyJws(std::string_view compact, const JwkSet& keys,
                                      std::string* log = nullptr);

// What a verified token's claims must say.
struct JwtExpect {
  std::string issuer;    // "iss" must equal this
  std::string audience;  // "aud" (a string, or an array) must contain this
  std::chrono::system_clock::time_point now;
  std::chrono::seconds leeway{60};  // allowed clock skew for exp, nbf and iat
};

// Checks iss, aud, exp (required), nbf (optional). kUnauthenticated with the reason as detail.
Status CheckClaims(const boost::json::object& claims, const JwtExpect& expect);

// The claim `name` as a list of strings: a string is one item (split at spaces when `split`), an
// array its string items; anything else or a missing claim is an empty list.
std::vector<std::string> ClaimStrings(const boost::json::object& claims, std::string_view name,
                                      bool split = true);

}  // namespace beian::http
