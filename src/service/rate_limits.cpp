// Service::ChargeWrite: the write rate limits (token buckets in the store).
#include <algorithm>

#include "service/internal.h"

namespace beian {

Result<WriteCharge> Service::ChargeWrite(const Principal& actor, std::string_view /*token*/,
                                         WriteKind kind) {
  struct Bucket {
    std::string_view name;
    std::string key;
    RateLimit limit;
  };
  std::vector<Bucket> buckets;
  if (kind == WriteKind::kImport) {
    buckets.push_back({"import", "i:" + actor.account_id, policy_.imports});
  } else {
    buckets.push_back({"account", "a:" + actor.account_id, policy_.account_writes});
    // The credential's own bucket, keyed on its id (tokens: "tok_…"; sessions likewise).
    if (!actor.credential_id.empty()) {
      buckets.push_back({"token", "t:" + actor.credential_id, policy_.token_writes});
    }
  }
  const Time now = Now();
  MaybePurge(now);
  return store_.Write([&](Tx& tx) -> Result<WriteCharge> {
    WriteCharge out;
    out.allowed = true;
    std::vector<BucketTake> takes;
    for (const Bucket& b : buckets) {
      const BucketState full{int64_t{b.limit.burst} * 1000, now};
      BucketTake t = TakeToken(b.limit, tx.LockBucket(b.key, full), now);
      if (!t.allowed) {
        out.allowed = false;
        out.retry_after = std::max(out.retry_after, t.retry_in);
      }
      takes.push_back(t);
    }
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      BucketTake& t = takes[i];
      if (out.allowed) {
        tx.PutBucket(buckets[i].key, t.next);
      } else if (t.allowed) {
        ++t.remaining;  // not taken after all
      }
      out.buckets.push_back(
          RateLimitStatus{buckets[i].name, buckets[i].limit, t.remaining, t.full_in});
    }
    return out;
  });
}

}  // namespace beian
