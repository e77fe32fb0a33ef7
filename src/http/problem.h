#pragma once
// problem+json responses (RFC 9457) for Error values: {"type", "title", "status", "code",
// "detail"} plus "reasons" (eligibility reasons) and "errors" (field errors) when present.
#include <string_view>

#include "domain/result.h"
#include "http/api_types.h"

namespace beian::http {

// The response for `error`, in `lang`, with the status of its code (HttpStatusOf).
ApiResponse ProblemResponse(const Error& error, Lang lang);
// Shorthand for MakeError(code) / MakeError(code, detail).
ApiResponse ProblemResponse(ErrorCode code, Lang lang);
ApiResponse ProblemResponse(ErrorCode code, Text detail, Lang lang);

}  // namespace beian::http
