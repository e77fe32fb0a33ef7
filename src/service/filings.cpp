// SubmitFiling: the checks of rules.md "Using a number in a filing", first failure wins.
#include "domain/domain_name.h"
#include "domain/lifecycle.h"
#include "domain/service_number.h"
#include "service/internal.h"

namespace beian {
namespace {

Error VhostInvalid() { return MakeError(ErrorCode::kVhostCredentialsInvalid); }

Error NotUsable(std::vector<Reason> reasons) {
  Error e = MakeError(ErrorCode::kProductNotEligible);
  e.reasons = std::move(reasons);
  return e;
}

// Replays an earlier filing made with the same key, or refuses a different request with it.
std::optional<Result<Filing>> Replay(Tx& tx, const Principal& actor, std::string_view key,
                                     const std::string& request_hash) {
  if (key.empty()) return std::nullopt;
  std::optional<IdempotencyRecord> rec = tx.GetIdempotency(actor.account_id, key);
  if (!rec) return std::nullopt;
  if (rec->request_hash != request_hash) return MakeError(ErrorCode::kIdempotencyKeyReused);
  std::optional<Filing> f = tx.GetFiling(rec->result);
  if (!f) return MakeError(ErrorCode::kInternal);
  return *f;
}

// The domain rules of lifecycle.h for a new filing by `account`: refused while the account has a
// filing of the domain in review or approved, or while any account's filing of it is approved.
// The answer never says whose filing holds the domain, nor that another account has one in
// review (those do not block).
std::optional<Error> DomainTaken(Tx& tx, const std::string& domain, const std::string& account) {
  if (tx.ActiveFilingForDomain(domain, account)) {
    return MakeError(
        ErrorCode::kDomainInUse,
        Text{"本账号已有该域名的备案申请（审核中或已通过）",
             "this account already has a filing of this domain in review or approved"});
  }
  if (tx.ApprovedFilingForDomain(domain)) {
    return MakeError(ErrorCode::kDomainInUse,
                     Text{"该域名已备案，不能再次提交备案申请", "the domain is already filed"});
  }
  return std::nullopt;
}

Filing NewFiling(const Principal& actor, Time now, std::string domain, const std::string& owner,
                 const std::string& product_id) {
  Filing f;
  f.id = svc::NewFilingId();
  f.account_id = actor.account_id;
  f.owner_id = owner;
  f.domain = std::move(domain);
  f.product_id = product_id;
  f.state = FilingState::kInReview;
  f.created_at = now;
  f.updated_at = now;
  return f;
}

// Writes the filing, its event and its idempotency record.
void RecordFiling(Tx& tx, const Principal& actor, Time now, const Filing& f, std::string_view key,
                  const std::string& request_hash) {
  tx.InsertFiling(f);
  svc::AppendEvent(tx, actor, now, "filing.submitted", f.account_id, f.id,
                   svc::JsonObject({{"domain", f.domain},
                                    {"service_number", f.service_number.value_or("")},
                                    {"product_id", f.product_id},
                                    {"filer", f.account_id}}),
                   f.owner_id);
  if (!key.empty()) {
    tx.PutIdempotency(
        IdempotencyRecord{actor.account_id, std::string(key), request_hash, f.id, now});
  }
}

}  // namespace

Result<Filing> Service::SubmitFiling(const Principal& actor, const FilingRequest& req,
                                     std::string_view idempotency_key) {
  if (actor.IsOperator()) return svc::CustomerOnly();
  BEIAN_RETURN_IF_ERROR(svc::CheckOptionalIdempotencyKey(idempotency_key));
  BEIAN_ASSIGN_OR_RETURN(std::string domain, NormalizeDomain(req.domain));
  if (req.service_number.has_value() == req.vhost.has_value()) {
    return svc::InvalidField("service_number",
                             Text{"须且只能提供 service_number 或 vhost 之一",
                                  "give exactly one of service_number and vhost"});
  }
  if (req.vhost) return SubmitVhostFiling(actor, domain, *req.vhost, idempotency_key);
  std::optional<std::string> code = ParseServiceNumber(*req.service_number);
  if (!code) return MakeError(ErrorCode::kSnMalformed);
  const Time now = Now();
  const std::string request_hash = "filing:" + domain + ":" + *code;
  const std::string subject = "sn:" + actor.account_id;
  MaybePurge(now);
  return WriteTx([&](Tx& tx) -> Result<Filing> {
    // Locks the number row: racing filings for one number run one after another.
    std::optional<ServiceNumber> n = tx.GetNumber(*code, true);
    if (auto replay = Replay(tx, actor, idempotency_key, request_hash)) return *replay;
    if (!n || !svc::CanUseNumber(actor, *n)) {
      // A miss counts (committed together with the refusal); a usable number is never refused
      // for the misses before it.
      BEIAN_RETURN_IF_ERROR(
          svc::ReserveAttempt(tx, subject, policy_.sn_lookup_limit, policy_.sn_lookup_window, now));
      return MakeError(ErrorCode::kSnNotFound);
    }
    BEIAN_ASSIGN_OR_RETURN(LifecycleStep step,
                           ApplyFilingAction(std::nullopt, n->state, FilingAction::kSubmit));
    std::vector<Reason> failures = svc::NumberUsabilityFailures(tx, policy_, now, *n);
    if (!failures.empty()) return NotUsable(std::move(failures));
    if (auto taken = DomainTaken(tx, domain, actor.account_id)) return *taken;
    Filing f = NewFiling(actor, now, domain, n->account_id, n->product_id);
    f.service_number = n->code;
    f.state = step.filing;
    n->state = step.number;
    n->domain = f.domain;
    n->filing_id = f.id;
    RecordFiling(tx, actor, now, f, idempotency_key, request_hash);
    tx.UpdateNumber(*n);
    svc::AppendNumberStateEvent(tx, actor, now, *n, NumberState::kAvailable, f.id, f.account_id);
    return f;
  });
}

Result<Filing> Service::SubmitVhostFiling(const Principal& actor, const std::string& domain,
                                          const VhostCredentials& cred, std::string_view key) {
  const Time now = Now();
  const std::string subject = "pw:" + cred.product_id;
  const std::string request_hash = "filing:" + domain + ":vhost:" + cred.product_id;
  // Reserve the guess in one write transaction (ownership first: another account's product is
  // answered like a missing one, never 429), then verify outside any transaction (Argon2id takes
  // milliseconds): at most vhost_password_limit passwords are verified per window, whatever the
  // concurrency.
  struct Stored {
    std::string username;
    std::string hash;
  };
  auto stored = WriteTx([&](Tx& tx) -> Result<Stored> {
    std::optional<Product> p = tx.GetProduct(cred.product_id);
    if (!p || p->account_id != actor.account_id || svc::IsReleased(*p) ||
        !policy_.For(p->kind).accepts_vhost_credentials) {
      return VhostInvalid();
    }
    BEIAN_RETURN_IF_ERROR(svc::ReserveAttempt(tx, subject, policy_.vhost_password_limit,
                                              policy_.vhost_password_window, now));
    return Stored{p->vhost_username, p->vhost_password_hash};
  });
  if (!stored.ok()) return std::move(stored).error();
  // A wrong username counts as a guess too; its reserved attempt stays.
  if (stored->username != cred.username || !svc::VerifyHostPassword(stored->hash, cred.password)) {
    return VhostInvalid();
  }
  const std::string* hash = &stored->hash;
  return WriteTx([&](Tx& tx) -> Result<Filing> {
    // The right password is not a guess: its attempt is given back, whatever the outcome below.
    // Kept on a refusal too (nothing else below is written before one), or five refusals of a
    // right password (DOMAIN_IN_USE, say) would lock the owner out.
    tx.RemoveAttempt(subject, now);
    tx.KeepWritesIfRefused();
    if (auto replay = Replay(tx, actor, key, request_hash)) return *replay;
    std::optional<Product> p = tx.GetProduct(cred.product_id);
    if (!p || p->account_id != actor.account_id || p->vhost_password_hash != *hash) {
      return VhostInvalid();  // changed since it was verified
    }
    std::vector<Reason> failures = UsabilityFailures(*p, policy_, now);
    if (!failures.empty()) return NotUsable(std::move(failures));
    if (auto taken = DomainTaken(tx, domain, actor.account_id)) return *taken;
    Filing f = NewFiling(actor, now, domain, p->account_id, p->id);
    RecordFiling(tx, actor, now, f, key, request_hash);
    return f;
  });
}

}  // namespace beian
