#include "service/internal.h"

namespace beian {
namespace {

Error NotEligible(std::vector<Reason> reasons) {
  Error e = MakeError(ErrorCode::kNotEligible);
  e.reasons = std::move(reasons);
  return e;
}

Error KeyReused() { return MakeError(ErrorCode::kIdempotencyKeyReused); }

}  // namespace

Result<NumberView> Service::ApplyIn(Tx& tx, const Principal& actor, std::string_view product_id,
                                    std::string_view idempotency_key,
                                    const std::string& request_hash, Time now) {
  std::optional<Product> p = tx.GetProduct(product_id);
  if (!p || p->account_id != actor.account_id || svc::IsReleased(*p)) return svc::NotFound();
  const std::string scope = svc::QuotaScopeKey(policy_, *p);
  if (scope.empty()) return NotEligible(Evaluate(*p, policy_, now, 0).reasons);
  // The quota row lock serialises every apply in this scope, so a concurrent retry with the
  // same key sees the record that the first one committed.
  const int used = tx.LockQuota(scope);
  if (!idempotency_key.empty()) {
    if (auto rec = tx.GetIdempotency(actor.account_id, idempotency_key)) {
      if (rec->request_hash != request_hash) return KeyReused();
      std::optional<ServiceNumber> n = tx.GetNumber(rec->result);
      if (!n) return MakeError(ErrorCode::kInternal);
      return svc::MakeNumberView(tx, policy_, now, std::move(*n));
    }
  }
  Eligibility e = Evaluate(*p, policy_, now, used);
  if (!e.can_apply) return NotEligible(std::move(e.reasons));
  NumberView view;
  view.number = svc::IssueNumber(tx, actor, now, *p, scope);
  view.usable = UsabilityFailures(*p, policy_, now).empty();
  if (!idempotency_key.empty()) {
    tx.PutIdempotency(IdempotencyRecord{actor.account_id, std::string(idempotency_key),
                                        request_hash, view.number.code, now});
  }
  return view;
}

Result<NumberView> Service::Apply(const Principal& actor, std::string_view product_id,
                                  std::string_view idempotency_key) {
  if (actor.IsOperator()) return svc::CustomerOnly();
  BEIAN_RETURN_IF_ERROR(svc::CheckOptionalIdempotencyKey(idempotency_key));
  const Time now = Now();
  const std::string request_hash = "apply:" + std::string(product_id);
  auto result = WriteTx([&](Tx& tx) -> Result<NumberView> {
    return ApplyIn(tx, actor, product_id, idempotency_key, request_hash, now);
  });
  MaybePurge(now);
  return result;
}

bool Service::TryApplyQueued(const Principal& actor, std::string_view product_id,
                             std::string_view idempotency_key,
                             std::function<void(std::optional<QueuedApply>)> done) {
  if (actor.IsOperator() || !svc::CheckOptionalIdempotencyKey(idempotency_key).ok()) return false;
  if (!CountWriteUnlessPurgeDue()) return false;
  // What the body needs after this call returned, and what it leaves for `done`.
  struct Queued {
    Principal actor;
    std::string product_id;
    std::string key;
    std::string request_hash;
    Time now;
    std::vector<svc::ChargeBucket> buckets;
    std::optional<QueuedApply> out;
    std::function<void(std::optional<QueuedApply>)> done;
  };
  auto q = std::make_shared<Queued>();
  q->actor = actor;
  q->product_id = std::string(product_id);
  q->key = std::string(idempotency_key);
  q->request_hash = "apply:" + q->product_id;
  q->now = Now();
  q->buckets = svc::ChargeBucketsOf(policy_, actor, WriteKind::kWrite);
  q->done = std::move(done);
  return store_.TryWriteQueued(
      [this, q](Tx& tx) {
        WriteCharge charge = svc::TakeCharge(tx, q->buckets, Now());
        if (!charge.allowed) {  // refused by the limits: nothing is written, as in ChargeWrites
          q->out.emplace(QueuedApply{NumberView{}, std::move(charge)});
          return false;
        }
        Result<NumberView> r =
            ApplyIn(tx, q->actor, q->product_id, q->key, q->request_hash, q->now);
        if (!r.ok()) return false;  // refused: answered (and charged) by the blocking path
        q->out.emplace(QueuedApply{std::move(r).value(), std::move(charge)});
        return true;
      },
      [q](bool ran) {
        std::optional<QueuedApply> out;
        if (ran) out = std::move(q->out);
        q->done(std::move(out));
      });
}

}  // namespace beian
