#pragma once
// Helpers shared by the use cases in src/service; not part of the service's public interface.
#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codec/product_json.h"
#include "domain/eligibility.h"
#include "domain/entities.h"
#include "domain/idempotency_key.h"
#include "domain/page_token.h"
#include "domain/policy.h"
#include "domain/product.h"
#include "domain/result.h"
#include "service/service.h"
#include "store/store.h"
#include "store/tx.h"

namespace beian::svc {

// Standard refusals: each 403 says what the caller lacks.
Error Forbidden();
using beian::CustomerOnly;            // service.h
using beian::NeedsRole;               // service.h
Error NeedsScopes(ScopeSet missing);  // kInsufficientScope
Error NotFound();
using beian::AccountDisabled;  // service.h
// kInvalidRequest with one field error; `detail` is also the error's detail.
Error InvalidField(std::string field, Text detail);
// Ok for an empty Idempotency-Key (none) or one that domain's CheckIdempotencyKey accepts.
Status CheckOptionalIdempotencyKey(std::string_view key);

// The quota scope key of a product: "p:<product_id>", or "a:<account_id>:<kind>" for kinds whose
// quota is counted per account. Empty for kinds that never get numbers.
std::string QuotaScopeKey(const Policy& policy, const Product& p);
bool IsReleased(const Product& p);
// The account id an event about `a` belongs to: its id for a customer, "" for operators.
std::string CustomerOf(const Account& a);

// A JSON object of string fields, e.g. {"kind":"ecs"}; values are escaped.
std::string JsonObject(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);
// One audit event written by `actor` at `at`, not yet appended (import batches append many at
// once).
Event MakeEvent(const Principal& actor, Time at, std::string type, std::string account_id,
                std::string subject, std::string data_json = "{}");
// Appends one audit event written by `actor` at `at`.
void AppendEvent(Tx& tx, const Principal& actor, Time at, std::string type, std::string account_id,
                 std::string subject, std::string data_json = "{}");
// The same for an event that concerns a second account too (a filing's filer and the number's
// owner, a grantee); `account2` equal to `account_id` is dropped.
void AppendEvent(Tx& tx, const Principal& actor, Time at, std::string type, std::string account_id,
                 std::string subject, std::string data_json, std::string account2);

// Appends "number.state_changed" for `n` (already in its new state) moved from `from`.
// `filer` (the filing's account) also sees the event.
void AppendNumberStateEvent(Tx& tx, const Principal& actor, Time at, const ServiceNumber& n,
                            NumberState from, const std::string& filing_id,
                            const std::string& filer);

// Brute-force limits. In a write transaction: locks the attempts on `subject`; when fewer than
// `limit` were recorded since now - window, records one at `now` (committed with the transaction,
// also when the caller goes on to return a refusal: see Tx::KeepWritesIfRefused) and returns Ok,
// else kTooManyAttempts with retry_after set to when the oldest counted attempt leaves the window.
// Counting and recording in one transaction keeps the limit exact under any concurrency (threads,
// processes, machines).
Status ReserveAttempt(Tx& tx, std::string_view subject, int limit, std::chrono::seconds window,
                      Time now);

// Secrets. Thread-safe.
// An API token: "beian_" + 43 random base62 characters (≥ 256 bits) + 6 base62 characters of the
// CRC-32 of everything before them, so that a mistyped or invented token is refused without a
// store look-up.
std::string NewApiToken();
enum class TokenShape { kBad, kCurrent, kLegacy };  // kLegacy: "bn_" + base64url(32 bytes)
TokenShape CheckTokenShape(std::string_view token);
// The stored form of a current token: hex(HMAC-SHA-256(pepper, token)).
std::string ApiTokenHash(std::string_view token, std::string_view pepper);
std::string LegacyTokenHash(std::string_view token);  // hex(BLAKE2b-256(token)), schema 1–2
std::string NewTokenId();                             // "tok_" + 16 random base62 characters
std::string NewFilingId();  // "f-" + 20 lower-case Crockford base32 symbols
// Argon2id string for a host password (see secrets.cpp for the cost); kInternal when out of memory.
Result<std::string> HashHostPassword(std::string_view password);
bool VerifyHostPassword(std::string_view hash, std::string_view password);

// Paging (tokens: domain/page_token.h). The key after which `list` continues: "" for an empty
// token (the first page), kInvalidRequest for a token DecodePageToken refuses.
Result<std::string> PageStart(PageList list, std::string_view token);
Status CheckLimit(int limit);  // 1–500

// Views.
// Views of many rows read their quotas / products in one query each.
// A product's view now, given the numbers its quota scope has used.
ProductView ProductViewOf(const Policy& policy, Time now, Product p, int used);
// The numbers counted against `p`'s quota scope now (0 when the policy sets no quota for it).
int QuotaUsed(Tx& tx, const Policy& policy, const Product& p);
ProductView MakeProductView(Tx& tx, const Policy& policy, Time now, Product p);
std::vector<ProductView> MakeProductViews(Tx& tx, const Policy& policy, Time now,
                                          std::vector<Product> products);
NumberView MakeNumberView(Tx& tx, const Policy& policy, Time now, ServiceNumber n);
std::vector<NumberView> MakeNumberViews(Tx& tx, const Policy& policy, Time now,
                                        std::vector<ServiceNumber> numbers);
bool CanUseNumber(const Principal& actor, const ServiceNumber& n);  // owner or grantee
bool CanSeeNumber(const Principal& actor, const ServiceNumber& n);  // also operators
bool CanSeeFiling(const Principal& actor, const Filing& f);         // filer, owner, operators
bool CanSeeProduct(const Principal& actor, const Product& p);       // owner (not released), ops

// Usability of a number's product now; a missing product counts as released.
std::vector<Reason> NumberUsabilityFailures(Tx& tx, const Policy& policy, Time now,
                                            const ServiceNumber& n);

// Product validation and writes shared by UpsertProduct and Import. The product's timestamps are
// set here; the password is hashed before the transaction (it is slow).
struct PreparedProduct {
  Product product;
  std::optional<std::string> password_hash;
};
Result<PreparedProduct> PrepareProduct(ProductInput input);
struct UpsertDone {
  bool created = false;
  bool changed = false;
  Product product;
  std::optional<ServiceNumber> issued;
};
// Writes one prepared product with its events; refuses (writing nothing) an operator owner or a
// change of owner. Issues the automatic number when due.
Result<UpsertDone> UpsertInTx(Tx& tx, const Policy& policy, const Principal& actor, Time now,
                              const PreparedProduct& in);
// The refusals of a product write whose owner is an operator, or differs from the stored one's
// (kInvalidRequest on account_id); shared by UpsertInTx and ImportBatchInTx.
Error OperatorOwnerRefused();
Error OwnerChangeRefused();

// Whether two products hold the same data (timestamps aside).
bool SameData(const Product& a, const Product& b);
// The data of a product.created / product.updated event.
std::string ProductEventData(const Product& p);
// Whether `p` is of a kind whose number is issued automatically and not released (the only
// products MaybeAutoIssue may issue on).
bool MayAutoIssue(const Policy& policy, const Product& p);
// Issues the automatic number (marketplace_site) when the product is eligible now.
std::optional<ServiceNumber> MaybeAutoIssue(Tx& tx, const Policy& policy, const Principal& actor,
                                            Time now, const Product& p);

// One line of an import and what it did.
struct ImportRow {
  int64_t line = 0;
  PreparedProduct product;
};
struct ImportBatchDone {
  int64_t created = 0;
  int64_t updated = 0;                             // unchanged products count as updated
  std::vector<std::pair<int64_t, Error>> refused;  // line, why (the line wrote nothing)
};
// Writes the rows in order with the result and events UpsertInTx would give for each in turn,
// but set-wise: accounts, products and events are read and written a batch at a time (a few
// statements per batch, not per row). Rows of automatically issued kinds still issue one by one.
ImportBatchDone ImportBatchInTx(Tx& tx, const Policy& policy, const Principal& actor, Time now,
                                const std::vector<ImportRow>& rows);

// Issues one new number on `p` in scope `scope` (already locked with LockQuota) with its event.
ServiceNumber IssueNumber(Tx& tx, const Principal& actor, Time now, const Product& p,
                          const std::string& scope);

// Write rate limits (rate_limits.cpp).
struct ChargeBucket {
  std::string_view name;  // "account", "token", "import"
  std::string key;        // the bucket row's key
  RateLimit limit;
};
// The buckets a request of `actor` of this kind draws from.
std::vector<ChargeBucket> ChargeBucketsOf(const Policy& policy, const Principal& actor,
                                          WriteKind kind);
// In a write transaction: locks each bucket row (in the order given) and, only when every one has
// a token, takes one from each. The result says which, and what is left.
WriteCharge TakeCharge(Tx& tx, const std::vector<ChargeBucket>& buckets, Time now);
// kRateLimited with the charge's retry_after.
Error RateLimited(const WriteCharge& charge);

// The charge of the request that runs on this thread (Service::ChargeWrites), until it is taken
// (committed with a write) or refused.
struct PendingCharge {
  enum class State { kPending, kTaken, kRefused };
  std::vector<ChargeBucket> buckets;
  State state = State::kPending;
  WriteCharge charge;  // once taken or refused
  // This thread's pending charge: nullptr outside ChargeWrites.
  static PendingCharge*& Current();
};

}  // namespace beian::svc

namespace beian {

template <class F>
auto Service::WriteTx(F&& fn) -> decltype(fn(std::declval<Tx&>())) {
  using R = decltype(fn(std::declval<Tx&>()));
  using State = svc::PendingCharge::State;
  svc::PendingCharge* pending = svc::PendingCharge::Current();
  if (pending == nullptr || pending->state == State::kTaken) return store_.Write(fn);
  if (pending->state == State::kRefused) return R(svc::RateLimited(pending->charge));
  bool committed_charge = false;  // as of the last attempt (the store may run fn again)
  bool refused = false;
  WriteCharge charge;
  R out = store_.Write([&](Tx& tx) -> R {
    charge = svc::TakeCharge(tx, pending->buckets, Now());
    refused = !charge.allowed;
    committed_charge = false;
    if (refused) return R(svc::RateLimited(charge));
    R r = fn(tx);
    // Committed with the transaction: a value, or a refusal that keeps its writes. (A failed
    // COMMIT is not told apart: that request fails, uncharged.)
    committed_charge = r.ok() || tx.keeps_writes_if_refused();
    return r;
  });
  if (committed_charge) {
    pending->state = State::kTaken;
    pending->charge = std::move(charge);
  } else if (refused && !out.ok()) {
    pending->state = State::kRefused;
    pending->charge = std::move(charge);
  }
  return out;
}

}  // namespace beian
