#include "domain/result.h"

#include <array>

#include "domain/messages.h"

namespace beian {
namespace {

struct CodeInfo {
  std::string_view name;
  int status;
};

// Indexed by ErrorCode; keep in the enum's order.
constexpr std::array<CodeInfo, 29> kCodes{{
    {"INVALID_REQUEST", 400},
    {"UNAUTHENTICATED", 401},
    {"FORBIDDEN", 403},
    {"NOT_FOUND", 404},
    {"METHOD_NOT_ALLOWED", 405},
    {"PAYLOAD_TOO_LARGE", 413},
    {"TOO_MANY_ATTEMPTS", 429},
    {"RATE_LIMITED", 429},
    {"NOT_ELIGIBLE", 409},
    {"IDEMPOTENCY_KEY_REUSED", 422},
    {"INVALID_DOMAIN", 400},
    {"SN_MALFORMED", 400},
    {"SN_NOT_FOUND", 404},
    {"SN_VOIDED", 409},
    {"SN_ALREADY_FILED", 409},
    {"SN_IN_REVIEW", 409},
    {"PRODUCT_NOT_ELIGIBLE", 409},
    {"VHOST_CREDENTIALS_INVALID", 403},
    {"INVALID_STATE", 409},
    {"DOMAIN_IN_USE", 409},
    {"DOMAIN_ALREADY_FILED", 409},
    {"INSUFFICIENT_SCOPE", 403},
    {"LAST_ADMIN", 409},
    {"OPERATOR_OWNS_PRODUCTS", 409},
    {"INVALID_POLICY", 400},
    {"SCHEMA_TOO_NEW", 500},
    {"NOT_IMPLEMENTED", 501},
    {"UNAVAILABLE", 503},
    {"INTERNAL", 500},
}};
static_assert(kCodes.size() == static_cast<std::size_t>(ErrorCode::kInternal) + 1);

}  // namespace

std::string_view ErrorCodeName(ErrorCode c) { return kCodes[static_cast<std::size_t>(c)].name; }

int HttpStatusOf(ErrorCode c) { return kCodes[static_cast<std::size_t>(c)].status; }

Error MakeError(ErrorCode code) { return MakeError(code, ErrorTitle(code)); }

Error MakeError(ErrorCode code, Text detail) {
  Error e;
  e.code = code;
  e.detail = std::move(detail);
  return e;
}

}  // namespace beian
