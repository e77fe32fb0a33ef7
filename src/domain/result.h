#pragma once
// Expected failures as values: Error carries a stable code, a bilingual detail, and optionally the
// eligibility reasons or field errors behind it.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "domain/reason.h"
#include "domain/text.h"

namespace beian {

enum class ErrorCode {
  kInvalidRequest,           // 400 INVALID_REQUEST
  kUnauthenticated,          // 401
  kForbidden,                // 403 (role)
  kNotFound,                 // 404
  kMethodNotAllowed,         // 405
  kPayloadTooLarge,          // 413
  kTooManyAttempts,          // 429
  kRateLimited,              // 429 write rate limit (account, token or imports)
  kNotEligible,              // 409 apply refused, with reasons
  kIdempotencyKeyReused,     // 422
  kInvalidDomain,            // 400
  kSnMalformed,              // 400
  kSnNotFound,               // 404
  kSnVoided,                 // 409
  kSnAlreadyFiled,           // 409
  kSnInReview,               // 409
  kProductNotEligible,       // 409 with reasons
  kVhostCredentialsInvalid,  // 403
  kInvalidState,             // 409
  kDomainInUse,              // 409 the domain already has a filing in review or approved
  kInsufficientScope,        // 403 the credential lacks a scope the operation needs
  kLastAdmin,                // 409 the change would leave no active admin
  kOperatorOwnsProducts,     // 409 an account that owns products cannot be an operator
  kInvalidPolicy,            // policy file refused (CLI)
  kSchemaTooNew,             // database schema newer than this binary
  kNotImplemented,           // 501 e.g. an unsupported transfer coding
  kUnavailable,              // 503 store unreachable
  kInternal,                 // 500
};
std::string_view ErrorCodeName(ErrorCode c);  // "INVALID_REQUEST", …
int HttpStatusOf(ErrorCode c);

struct FieldError {
  std::string field;
  std::string detail;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  Text detail;                     // what went wrong, for a person
  std::vector<Reason> reasons;     // eligibility reasons (kNotEligible, kProductNotEligible)
  std::vector<FieldError> errors;  // invalid fields (kInvalidRequest)
  // For the server's log only, never for a client: what failed inside (a database fault, with
  // driver text, SQL, hosts), as "KIND: text" where KIND names the fault class ("unreachable",
  // "read-only", "disk-full", "corrupt", "internal", …). Empty for expected refusals.
  std::string cause;
  // When a retry may succeed (HTTP Retry-After), for refusals that pass with time
  // (kTooManyAttempts, kRateLimited); 0 when not known.
  std::chrono::seconds retry_after{0};
};

// Builds an Error with the standard message of its code as detail (see messages.h).
Error MakeError(ErrorCode code);
Error MakeError(ErrorCode code, Text detail);

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error&& take_error() { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

}  // namespace beian
