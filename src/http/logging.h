#pragma once
// Logging of the server: spdlog's default logger writes to a buffered stderr without a flush per
// line (flushed every second, at warnings and errors, and by ShutdownLogging).
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace beian::http {

// Idempotent. Thread-safe after the first call returned.
void InitLogging();
// Flushes and stops the background logging thread.
void ShutdownLogging();

// Text from a request (its target, method, …) formatted for a log line: every byte outside
// printable ASCII (0x21–0x7E) is written as %XX, so a line never carries raw non-UTF-8 bytes,
// control characters or spaces. Formatting allocates nothing.
struct LogSafe {
  std::string_view text;
};

// Appends `text` to `out` with every byte outside printable ASCII (space included) as %XX: what
// LogSafe formats to (for lines built without a format string).
void AppendLogSafe(std::string& out, std::string_view text);

}  // namespace beian::http

template <>
struct fmt::formatter<beian::http::LogSafe> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const beian::http::LogSafe& s, FormatContext& ctx) const -> decltype(ctx.out()) {
    std::string escaped;
    beian::http::AppendLogSafe(escaped, s.text);
    return std::copy(escaped.begin(), escaped.end(), ctx.out());
  }
};
