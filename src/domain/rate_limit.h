#pragma once
// Token buckets for write rate limits: pure arithmetic, time passed in. A bucket holds at most
// `burst` tokens and gains `per_minute` tokens a minute; each write takes one.
#include <chrono>
#include <cstdint>
#include <optional>

#include "domain/time.h"

namespace beian {

struct RateLimit {
  int burst = 1;       // capacity (the policy's quota q)
  int per_minute = 1;  // refill rate
  // Seconds an empty bucket takes to fill (the policy's window w), at least 1.
  int64_t WindowSeconds() const;
};

// A stored bucket: level in thousandths of a token, as of `at`.
struct BucketState {
  int64_t milli = 0;
  Time at{};
};

struct BucketTake {
  bool allowed = false;
  BucketState next;                  // the state to store when allowed (unchanged otherwise)
  int remaining = 0;                 // whole tokens left (after the take when allowed)
  std::chrono::seconds full_in{0};   // until the bucket is full again
  std::chrono::seconds retry_in{0};  // until one token is there (0 when allowed)
};

// Refills `state` (nullopt: a full bucket) up to `now` and takes one token if there is one.
BucketTake TakeToken(const RateLimit& limit, std::optional<BucketState> state, Time now);

}  // namespace beian
