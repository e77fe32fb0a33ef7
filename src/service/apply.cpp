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

Result<NumberView> Service::Apply(const Principal& actor, std::string_view product_id,
                                  std::string_view idempotency_key) {
  if (actor.IsOperator()) return svc::CustomerOnly();
  BEIAN_RETURN_IF_ERROR(svc::CheckOptionalIdempotencyKey(idempotency_key));
  const Time now = Now();
  const std::string request_hash = "apply:" + std::string(product_id);
  auto result = WriteTx([&](Tx& tx) -> Result<NumberView> {
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
  });
  MaybePurge(now);
  return result;
}

}  // namespace beian
