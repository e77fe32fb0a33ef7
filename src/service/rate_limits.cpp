// Service::ChargeWrites: the write rate limits (token buckets in the store), taken inside the
// request's own write transaction when it has one.
#include <algorithm>

#include "service/internal.h"

namespace beian {
namespace svc {

PendingCharge*& PendingCharge::Current() {
  thread_local PendingCharge* current = nullptr;
  return current;
}

std::vector<ChargeBucket> ChargeBucketsOf(const Policy& policy, const Principal& actor,
                                          WriteKind kind) {
  std::vector<ChargeBucket> buckets;
  if (kind == WriteKind::kImport) {
    buckets.push_back({"import", "i:" + actor.account_id, policy.imports});
  } else {
    buckets.push_back({"account", "a:" + actor.account_id, policy.account_writes});
    // The credential's own bucket, keyed on its id (tokens: "tok_…"; sessions likewise).
    if (!actor.credential_id.empty()) {
      buckets.push_back({"token", "t:" + actor.credential_id, policy.token_writes});
    }
  }
  return buckets;
}

WriteCharge TakeCharge(Tx& tx, const std::vector<ChargeBucket>& buckets, Time now) {
  WriteCharge out;
  out.allowed = true;
  std::vector<BucketTake> takes;
  for (const ChargeBucket& b : buckets) {
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
}

Error RateLimited(const WriteCharge& charge) {
  Error e = MakeError(ErrorCode::kRateLimited);
  e.retry_after = charge.retry_after;
  return e;
}

}  // namespace svc

Result<WriteCharge> Service::ChargeWrites(const Principal& actor, WriteKind kind,
                                          const std::function<void()>& body) {
  svc::PendingCharge pending;
  pending.buckets = svc::ChargeBucketsOf(policy_, actor, kind);
  MaybePurge(Now());
  {
    svc::PendingCharge*& slot = svc::PendingCharge::Current();
    slot = &pending;
    struct Reset {
      svc::PendingCharge*& slot;
      ~Reset() { slot = nullptr; }
    } reset{slot};
    body();
  }
  if (pending.state != svc::PendingCharge::State::kPending) return pending.charge;
  // No write of the request committed: the charge is taken on its own.
  return store_.Write(
      [&](Tx& tx) -> Result<WriteCharge> { return svc::TakeCharge(tx, pending.buckets, Now()); });
}

}  // namespace beian
