#include "http/fault_log.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace beian::http {

std::string FaultLog::Line(std::string_view request_id, std::string_view cause,
                           Clock::time_point now, bool* error) {
  const std::string_view kind = cause.substr(0, std::min(cause.find(':'), cause.size()));
  *error = kind == "corrupt" || kind == "internal" || kind == "other";
  uint64_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    auto it = buckets_.find(kind);
    if (it == buckets_.end()) {
      if (buckets_.size() >= 64) buckets_.clear();  // classes are few; bound the map anyway
      it = buckets_.emplace(std::string(kind), Bucket{kBurst, now, 0}).first;
    }
    Bucket& b = it->second;
    const double refill = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(kBurst, b.tokens + std::max(0.0, refill));
    b.at = now;
    if (b.tokens < 1) {
      ++b.dropped;
      return {};
    }
    b.tokens -= 1;
    dropped = b.dropped;
    b.dropped = 0;
  }
  std::string line = fmt::format("request {} fault {}", request_id, cause);
  if (dropped > 0) line += fmt::format(" ({} more {} faults not logged)", dropped, kind);
  return line;
}

void FaultLog::Report(std::string_view request_id, std::string_view cause) {
  bool error = false;
  const std::string line = Line(request_id, cause, Clock::now(), &error);
  if (line.empty()) return;
  if (error) {
    spdlog::error("{}", line);
  } else {
    spdlog::warn("{}", line);
  }
}

}  // namespace beian::http
