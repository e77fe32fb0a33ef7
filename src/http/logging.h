#pragma once
// Logging of the server: spdlog's default logger; each thread gathers its formatted lines in a
// buffer of its own (no lock shared between request threads, no write(2) per line), written to
// stderr every second, when a warning or error is logged, when it reaches 16 KiB, when the thread
// ends and by ShutdownLogging. Lines of different threads may therefore reach the log up to a
// second out of order (each carries its time); a warning comes after every line logged before it.
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
