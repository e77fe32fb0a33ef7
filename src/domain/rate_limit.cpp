#include "domain/rate_limit.h"

#include <algorithm>

namespace beian {
namespace {

constexpr int64_t kMilli = 1000;

// Seconds until `milli` has grown to `target` at `per_minute` tokens a minute (rounded up).
std::chrono::seconds Until(int64_t milli, int64_t target, int per_minute) {
  if (milli >= target) return std::chrono::seconds{0};
  const int64_t missing = target - milli;                // thousandths of a token
  const int64_t per_minute_milli = per_minute * kMilli;  // thousandths gained per 60 s
  return std::chrono::seconds{(missing * 60 + per_minute_milli - 1) / per_minute_milli};
}

}  // namespace

int64_t RateLimit::WindowSeconds() const {
  return std::max<int64_t>(1, (int64_t{burst} * 60 + per_minute - 1) / std::max(1, per_minute));
}

BucketTake TakeToken(const RateLimit& limit, std::optional<BucketState> state, Time now) {
  const int64_t cap = int64_t{limit.burst} * kMilli;
  int64_t level = cap;
  if (state) {
    const int64_t elapsed = std::max<int64_t>(0, (now - state->at).count());
    const int64_t gained = elapsed * limit.per_minute * kMilli / 60;
    level = std::min(cap, std::max<int64_t>(0, state->milli) + gained);
  }
  BucketTake t;
  if (level >= kMilli) {
    level -= kMilli;
    t.allowed = true;
    t.next = BucketState{level, now};
  } else {
    t.retry_in = std::max(std::chrono::seconds{1}, Until(level, kMilli, limit.per_minute));
    if (state) t.next = *state;
  }
  t.remaining = static_cast<int>(level / kMilli);
  t.full_in = Until(level, cap, limit.per_minute);
  return t;
}

}  // namespace beian
