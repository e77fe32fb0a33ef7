#pragma once
// Logging of the server: spdlog's default logger becomes an asynchronous logger writing to stderr
// without a flush per line (flushed every second, at errors, and by ShutdownLogging).

namespace beian::http {

// Idempotent. Thread-safe after the first call returned.
void InitLogging();
// Flushes and stops the background logging thread.
void ShutdownLogging();

}  // namespace beian::http
