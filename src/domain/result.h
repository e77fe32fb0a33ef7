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
  kDomainInUse,              // 409 the domain is filed, or the caller has a filing of it already
  kDomainAlreadyFiled,       // 409 approve: another filing of the domain is approved
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
  std::string detail;     // English
  std::string detail_zh;  // the same in Chinese; empty when only English was written
};

// Why one item of a batch (batch apply) was refused: its product and the reasons.
struct ItemRefusal {
  std::string product_id;
  std::vector<Reason> reasons;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  Text detail;                     // what went wrong, for a person
  std::vector<Reason> reasons;     // eligibility reasons (kNotEligible, kProductNotEligible)
  std::vector<FieldError> errors;  // invalid fields (kInvalidRequest)
  std::vector<ItemRefusal> items;  // refused items of a batch (kNotEligible of batch apply)
  // For the server's log only, never for a client: what failed inside (a database fault, with
  // driver text, SQL, hosts), as "KIND: text" where KIND names the fault class ("unreachable",
  // "read-only", "disk-full", "corrupt", "internal", …). Empty for expected refusals.
  std::string cause;
  // When a retry may succeed (HTTP Retry-After), for refusals that pass with time
  // (kTooManyAttempts, kRateLimited); 0 when not known.
  std::chrono::seconds retry_after{0};
  // A batch that a fault cut short (an import): its lines 1..applied_through_line were committed
  // and the rest were not; 0 when nothing was committed or the call is not a batch.
  int64_t applied_through_line = 0;
};

// Builds an Error with the standard message of its code as detail (see messages.h).
Error MakeError(ErrorCode code);
Error MakeError(ErrorCode code, Text detail);

// Either a value of T or an Error, shaped like abseil's StatusOr: test with ok(), then read value()
// (or *r, r->) or error() / status(). There is deliberately no conversion to bool: a Result<bool>
// would read as its value in `if (r)`. value() on an error and error() on a value are programming
// errors (std::bad_variant_access). Not thread-safe for concurrent mutation, like any value.
template <class T>
class [[nodiscard]] Result;

struct Ok {};
// Success without a value, or an Error.
using Status = Result<Ok>;

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

  // The error; precondition !ok(). The rvalue form moves it out: `return std::move(r).error();`.
  const Error& error() const& { return std::get<1>(v_); }
  Error error() && { return std::get<1>(std::move(v_)); }
  // OkStatus() when ok(), else the error as a Status.
  Status status() const&;
  Status status() &&;

 private:
  std::variant<T, Error> v_;
};

inline Status OkStatus() { return Ok{}; }

template <class T>
Status Result<T>::status() const& {
  if (ok()) return OkStatus();
  return error();
}
template <class T>
Status Result<T>::status() && {
  if (ok()) return OkStatus();
  return std::move(*this).error();
}

namespace internal {
// The error of an expression for BEIAN_RETURN_IF_ERROR / BEIAN_ASSIGN_OR_RETURN.
template <class R>
Error MoveError(R& r) {
  return std::move(r).error();
}
}  // namespace internal

}  // namespace beian

#define BEIAN_RESULT_CONCAT_INNER_(a, b) a##b
#define BEIAN_RESULT_CONCAT_(a, b) BEIAN_RESULT_CONCAT_INNER_(a, b)

// Evaluates `expr` (a Status or any Result<T>); when it is an error, returns that error from the
// enclosing function, whose return type must be a Status or Result<U>.
#define BEIAN_RETURN_IF_ERROR(expr)                                                    \
  do {                                                                                 \
    auto beian_status_or_ = (expr);                                                    \
    if (!beian_status_or_.ok()) return ::beian::internal::MoveError(beian_status_or_); \
  } while (false)

// Evaluates `expr` (a Result<T>); when it is an error, returns that error from the enclosing
// function; otherwise moves the value into `lhs`, which may be a declaration (`auto x`,
// `Product p`) or an existing variable. `lhs` must not contain an unparenthesised comma.
#define BEIAN_ASSIGN_OR_RETURN(lhs, expr) \
  BEIAN_ASSIGN_OR_RETURN_IMPL_(BEIAN_RESULT_CONCAT_(beian_result_, __LINE__), lhs, expr)
#define BEIAN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)       \
  auto tmp = (expr);                                       \
  if (!tmp.ok()) return ::beian::internal::MoveError(tmp); \
  lhs = std::move(tmp).value()
