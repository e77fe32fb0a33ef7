#include "domain/webhook_schedule.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace beian {
namespace {

using std::chrono::seconds;

constexpr std::size_t kMaxEntries = 50;
constexpr seconds kMaxEntry{7 * 24 * 3600};
constexpr seconds kMaxRetryAfter{24 * 3600};

Error Invalid(const std::string& zh, const std::string& en) {
  return MakeError(ErrorCode::kInvalidRequest,
                   Text{"重试计划无效：" + zh, "invalid retry schedule: " + en});
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One entry such as "5m": digits then one unit letter.
Result<seconds> ParseEntry(std::string_view entry) {
  const std::string quoted = "\"" + std::string(entry) + "\"";
  if (entry.size() < 2) {
    return Invalid(quoted + " 应为数字加单位 s、m、h 或 d",
                   quoted + " must be a number with a unit s, m, h or d");
  }
  int64_t unit = 0;
  switch (entry.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return Invalid(quoted + " 的单位应为 s、m、h 或 d", quoted + " needs a unit s, m, h or d");
  }
  const std::string_view digits = entry.substr(0, entry.size() - 1);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || end != digits.data() + digits.size() || n < 0) {
    return Invalid(quoted + " 应为数字加单位 s、m、h 或 d",
                   quoted + " must be a number with a unit s, m, h or d");
  }
  if (n > kMaxEntry.count() / unit) {
    return Invalid(quoted + " 超过 7 天", quoted + " is longer than 7 days");
  }
  return seconds{n * unit};
}

}  // namespace

RetrySchedule DefaultRetrySchedule() {
  using namespace std::chrono_literals;
  return {0s, 5s, 5min, 30min, 2h, 5h, 10h, 14h, 20h, 24h};
}

Result<RetrySchedule> ParseRetrySchedule(std::string_view text) {
  RetrySchedule out;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view entry = Trim(text.substr(0, comma));
    if (entry.empty()) return Invalid("含空项", "has an empty entry");
    if (out.size() == kMaxEntries) {
      return Invalid("最多 50 项", "has more than 50 entries");
    }
    BEIAN_ASSIGN_OR_RETURN(seconds delay, ParseEntry(entry));
    out.push_back(delay);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::optional<seconds> RetryDelay(const RetrySchedule& schedule, int attempt, double unit_random,
                                  std::optional<seconds> retry_after) {
  if (attempt < 1 || static_cast<std::size_t>(attempt) > schedule.size()) return std::nullopt;
  const seconds d = schedule[static_cast<std::size_t>(attempt) - 1];
  const double r = std::isfinite(unit_random) ? std::clamp(unit_random, 0.0, 1.0) : 0.0;
  auto jitter = static_cast<int64_t>(std::floor(static_cast<double>(d.count()) / 10.0 * r));
  jitter = std::min<int64_t>(jitter, d.count() / 10);  // r == 1.0 stays inside [d, d + d/10]
  seconds delay = d + seconds{jitter};
  if (retry_after && *retry_after > seconds{0}) {
    delay = std::max(delay, std::min(*retry_after, kMaxRetryAfter));
  }
  return delay;
}

}  // namespace beian
