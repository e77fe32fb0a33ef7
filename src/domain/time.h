#pragma once
// Time values: whole seconds since the Unix epoch (UTC). No function here reads the clock.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace beian {

using Time = std::chrono::sys_seconds;

// China Standard Time offset (UTC+08:00, no daylight saving).
inline constexpr std::chrono::seconds kCstOffset{8 * 3600};

// Adds `months` calendar months on the CST calendar: the local date moves by `months`, the local
// time of day is kept, and a day that does not exist in the target month becomes that month's last
// day (2026-11-30 + 3 months = 2027-02-28). `months` may be zero or negative.
Time AddMonthsCst(Time t, int months);

// Parses an RFC 3339 date-time ("2027-11-27T00:00:00+08:00", "…Z", fractional seconds are
// truncated). Returns nullopt on any malformed input or out-of-range field.
std::optional<Time> ParseRfc3339(std::string_view text);

// Formats as RFC 3339 in CST, e.g. "2027-02-27T10:00:00+08:00".
std::string FormatRfc3339Cst(Time t);

// Formats as RFC 3339 in UTC, e.g. "2027-02-27T02:00:00Z".
std::string FormatRfc3339Utc(Time t);

// The CST calendar date of t as "YYYY-MM-DD".
std::string FormatDateCst(Time t);

}  // namespace beian
