#pragma once
// The Idempotency-Key rule (the one owner; HTTP and the service both call it). Pure, thread-safe.
#include <cstddef>
#include <string_view>

#include "domain/result.h"

namespace beian {

inline constexpr std::size_t kMaxIdempotencyKeyLength = 255;

// Ok for a key of 1 to kMaxIdempotencyKeyLength visible ASCII characters (0x21–0x7E);
// kInvalidRequest with a field error on "Idempotency-Key" otherwise. An empty key is refused: a
// request without a key simply has none (callers decide what "absent" is, never this function).
Status CheckIdempotencyKey(std::string_view key);

}  // namespace beian
