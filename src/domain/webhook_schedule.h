#pragma once
// Webhook retry schedules (pure). A schedule lists the delay before each attempt, counted from the
// previous attempt: the default is 0s, 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 24h (10 attempts).
#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace beian {

using RetrySchedule = std::vector<std::chrono::seconds>;

RetrySchedule DefaultRetrySchedule();

// Parses "0s,5s,5m,2h" (units s, m, h, d; at least one entry, at most 50, each ≤ 7 days; the
// first entry is the delay of the first attempt). kInvalidRequest with a message otherwise.
Result<RetrySchedule> ParseRetrySchedule(std::string_view text);

// The delay before attempt number `attempt` (1-based; attempt 1 is the first send), with jitter:
// the scheduled delay d becomes a value in [d, d + d/10] chosen by `unit_random` in [0, 1).
// nullopt when the schedule has no such attempt (the message has failed for good). A Retry-After
// from the receiver, when given and longer, replaces the scheduled delay (capped at 24 h).
std::optional<std::chrono::seconds> RetryDelay(const RetrySchedule& schedule, int attempt,
                                               double unit_random,
                                               std::optional<std::chrono::seconds> retry_after);

}  // namespace beian
