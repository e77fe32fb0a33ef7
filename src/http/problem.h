#pragma once
// problem+json responses (RFC 9457) for Error values: {"type", "title", "status", "code",
// "detail"} plus "reasons" (eligibility reasons), "errors" (field errors) and
// "applied_through_line" (a batch cut short by a fault) when present.
#include <string_view>

#include "domain/result.h"
#include "http/api_types.h"

namespace beian::http {

// The response for `error`, in `lang`, with the status of its code (HttpStatusOf). A 500 or 503
// never carries the error's cause (database text, SQL, hosts): the client gets a standard detail,
// or the error's own detail when its producer kept the internal text apart in `cause` and wrote
// advice for the client; the cause goes to ApiResponse::fault for the log (api.cpp adds the
// request id). A 503 carries Retry-After.
ApiResponse ProblemResponse(const Error& error, Lang lang);
// Seconds a client should wait before retrying after a 503.
inline constexpr int kRetryAfterSeconds = 5;
// Shorthand for MakeError(code) / MakeError(code, detail).
ApiResponse ProblemResponse(ErrorCode code, Lang lang);
ApiResponse ProblemResponse(ErrorCode code, Text detail, Lang lang);

}  // namespace beian::http
