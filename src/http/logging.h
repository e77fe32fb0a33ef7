#pragma once
// Logging of the server: spdlog's default logger writes to a buffered stderr without a flush per
// line (flushed every second, at warnings and errors, and by ShutdownLogging).
#include <fmt/format.h>

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

// Appends `text` to `out` as LogSafe formats it (for lines built without a format string).
void AppendLogSafe(std::string& out, std::string_view text);

}  // namespace beian::http

template <>
struct fmt::formatter<beian::http::LogSafe> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const beian::http::LogSafe& s, FormatContext& ctx) const -> decltype(ctx.out()) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    auto out = ctx.out();
    for (char c : s.text) {
      const auto b = static_cast<unsigned char>(c);
      if (b > 0x20 && b < 0x7f) {
        *out++ = c;
      } else {
        *out++ = '%';
        *out++ = kHex[b >> 4];
        *out++ = kHex[b & 0xf];
      }
    }
    return out;
  }
};
