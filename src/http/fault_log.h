#pragma once
// The server log's record of faults behind 500 and 503 answers (database unreachable, read-only,
// full disk, corrupt, internal errors): one line per fault with the request id and the cause, so an
// operator can tell a full disk from PostgreSQL being down. Rate-limited per fault class (the text
// of the cause before its first ':'), so an outage under load cannot flood the log: a class logs
// up to kBurst lines at once, then one line per second; the next line it logs says how many were
// left out. Thread-safe.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace beian::http {

class FaultLog {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr double kBurst = 5;

  // The line to log for this fault now, or "" when the rate limit drops it. "corrupt", "internal"
  // and "other" faults are errors, the others (they may pass) warnings: `*error` says which.
  std::string Line(std::string_view request_id, std::string_view cause, Clock::time_point now,
                   bool* error);
  // Line() at Clock::now(), written to the default spdlog logger.
  void Report(std::string_view request_id, std::string_view cause);

 private:
  struct Bucket {
    double tokens = kBurst;
    Clock::time_point at{};
    uint64_t dropped = 0;
  };
  std::mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_;  // by fault class
};

}  // namespace beian::http
