#pragma once
// Logging of the server: spdlog's default logger writes to a buffered stderr without a flush per
// line (flushed every second, at warnings and errors, and by ShutdownLogging).

namespace beian::http {

// Idempotent. Thread-safe after the first call returned.
void InitLogging();
// Flushes and stops the background logging thread.
void ShutdownLogging();

}  // namespace beian::http
