#pragma once
// The use cases of beian (rules.md), combining the pure domain rules with the Store. Every method
// is thread-safe, runs its writes in one store transaction together with their audit events, and
// returns expected refusals as Error values with the codes of interface.md.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/access.h"
#include "domain/eligibility.h"
#include "domain/entities.h"
#include "domain/notices.h"
#include "domain/policy.h"
#include "domain/result.h"
#include "domain/search_stats.h"
#include "domain/views.h"
#include "domain/webhook.h"
#include "domain/webhook_schedule.h"

namespace beian {

class Store;
class Tx;
class WebhookTransport;
namespace svc {
class ProductCache;
}

// How DeliverWebhooks works (serve's --webhook-* options).
struct WebhookOptions {
  RetrySchedule schedule = DefaultRetrySchedule();
  std::chrono::milliseconds timeout{15000};  // of one HTTP attempt
  // This worker's name in leases: unique per worker thread and process.
  std::string owner;
  // Milliseconds since the Unix epoch; the system clock when empty (tests set it).
  std::function<int64_t()> now_ms;
  // How long DeliverWebhooks asks to wait when nothing was due (new events are found by polling).
  std::chrono::milliseconds poll{25};
  // How long a worker that is not the scout waits (WebhookScout), and how long after a failed read.
  std::chrono::milliseconds idle_poll{1000};
  // Called when a due webhook was claimed, before it is delivered (the worker stops scouting and
  // wakes the others). May be empty.
  std::function<void()> on_due;
};

// Delivery outcomes counted by this process (beian_webhook_deliveries_total).
enum class WebhookOutcome { kDelivered, kFailed, kRefused, kTimeout, kConnect };
inline constexpr int kWebhookOutcomeCount = 5;
std::string_view WebhookOutcomeName(WebhookOutcome o);

// The delivery queue (beian_webhook_queue_depth, beian_webhook_oldest_pending_seconds).
struct WebhookQueue {
  int64_t pending = 0;
  std::optional<int64_t> oldest_queued_ms;
};

// The CLI's principal: an operator that needs no token.
Principal SystemPrincipal();
// The 403 FORBIDDEN refusals that say what the caller lacks, in zh-CN and en: an operator role
// (worded for customers and for operators without it), or being a customer account.
Error NeedsRole(const Principal& actor, OperatorRole role);
Error CustomerOnly();
// 401 UNAUTHENTICATED for any credential (token, console session, JWT) of a disabled account.
Error AccountDisabled();

// Called now and then during an import with lines and bytes read so far.
using ImportProgress = std::function<void(int64_t lines, int64_t bytes)>;

using Clock = std::function<Time()>;
Clock SystemClock();

class Service {
 public:
  Service(Store& store, Policy policy, Clock clock = SystemClock());
  ~Service();

  const Policy& policy() const { return policy_; }
  // How the store takes concurrent writes, for sizing thread pools: kOneWriter (SQLite: one writer
  // at a time, in group commits) or kManyWriters (PostgreSQL).
  enum class WriteConcurrency { kOneWriter, kManyWriters };
  WriteConcurrency write_concurrency() const;
  // Ok when the store takes a write now; else why not (Store::CheckWritable: read-only, full, no
  // primary, corrupt), for readiness probes. Thread-safe; at most one probe per second reaches
  // the store.
  Status CheckWritable();
  Time Now() const { return clock_(); }

  // The key of token hashes (BEIAN_TOKEN_PEPPER; see docs/architecture.md). Set before serving;
  // every process sharing a store must use the same pepper. Not thread-safe against Authenticate.
  void SetTokenPepper(std::string pepper) { token_pepper_ = std::move(pepper); }

  // Bearer token → principal. kUnauthenticated for a malformed (no store look-up), unknown,
  // expired or revoked token or a disabled account; the detail says which.
  Result<Principal> Authenticate(std::string_view token);
  // Records the use of a token (last_used_at), at most once a minute per token. Best effort.
  void TouchToken(const std::string& token_id);
  // The store's credential generation: it changes whenever a credential may have lost power
  // (revocation, rotation, disabled account, role change). Cheap (one-row read).
  Result<int64_t> CredentialGeneration();
  // Bumped by this process after each such change it committed (for its own caches).
  uint64_t LocalCredentialEpoch() const { return local_epoch_.load(std::memory_order_acquire); }

  // An identity the OpenID issuer vouched for (sso.cpp: a console sign-in or a gateway JWT) → the
  // principal of the account it names, with credential id `credential_id`. Its operator roles are
  // the account's stored roles intersected with `claimed_roles` (the roles claim, when one is
  // configured; nullopt: not narrowed); an operator left with none is kForbidden. Unknown or
  // disabled account: kUnauthenticated (the same answer as for a token of a disabled account).
  Result<Principal> AuthenticateAccount(std::string_view account_id,
                                        std::optional<RoleSet> claimed_roles,
                                        std::string credential_id);

  // Console sign-in with OpenID Connect (sso.cpp). BeginSsoLogin makes and stores a fresh state,
  // PKCE code verifier and nonce; TakeSsoLogin returns them once for `state` (kUnauthenticated when
  // unknown, used or older than 10 minutes).
  Result<SsoLogin> BeginSsoLogin();
  Result<SsoLogin> TakeSsoLogin(std::string_view state);
  // A new console session of `who` (audited as auth.signed_in): its cookie secret (stored only as a
  // keyed hash) and CSRF token. `claimed_roles`: the operator roles the issuer granted at sign-in
  // (nullopt: no roles claim configured); every request intersects them with the account's roles
  // as they are then.
  Result<NewSession> StartSession(const Principal& who, std::optional<RoleSet> claimed_roles,
                                  std::chrono::seconds lifetime);
  // The session of cookie secret `secret`, read from the store on every call (so a sign-out, a
  // disabled account or a role change applies to the next request on every server):
  // kUnauthenticated when unknown, signed out, past its absolute end, unused for longer than
  // `idle`, or its account is disabled; kForbidden when an operator has no role left. Records use
  // at most once a minute.
  Result<SessionAuth> AuthenticateSession(std::string_view secret, std::chrono::seconds idle);
  // Signs the session out (audited as auth.signed_out); kUnauthenticated when it was not live.
  Status EndSession(std::string_view secret);
  // The signed-in account itself (any role). kNotFound if it was removed meanwhile.
  Result<Account> Me(const Principal& actor);
  // Admin only. Returns the account and whether it was created. kLastAdmin when it would leave
  // no active admin; kOperatorOwnsProducts when an account owning products would become an
  // operator.
  Result<std::pair<Account, bool>> PutAccount(const Principal& actor, const AccountChange& change);
  // Admin only: accounts ordered by id.
  Result<Page<Account>> ListAccounts(const Principal& actor, const PageRequest& page);
  // Admin only (the old POST /v1/accounts/{id}/tokens and `beian token issue`): a token for any
  // account with every scope it may hold. kNotFound: no such account.
  Result<std::string> IssueToken(const Principal& actor, std::string_view account_id);

  // A token for the caller's own account with at most the caller's scopes (kInsufficientScope
  // names the others). expires_in beyond the policy maximum is kInvalidRequest.
  Result<NewToken> CreateToken(const Principal& actor, const TokenRequest& req);
  // The caller's tokens; accounts:admin: one account's (`account_id`) or everyone's. With
  // `allowed`, also the scopes each listed token's account may hold now (AllowedScopes; a disabled
  // account: none), read in the same transaction: a token's effective scopes are its scopes &
  // these.
  Result<std::vector<TokenRecord>> ListTokens(const Principal& actor,
                                              const std::optional<std::string>& account_id,
                                              std::map<std::string, ScopeSet>* allowed = nullptr);
  // Own tokens, or any for admins; another account's token is kNotFound.
  Status RevokeToken(const Principal& actor, std::string_view token_id);
  // A new token like the old one; the old one stops working after `grace` (0–86400 s).
  Result<NewToken> RotateToken(const Principal& actor, std::string_view token_id,
                               std::chrono::seconds grace);
  // Appends an authentication event in its own transaction (for the HTTP layer and sso).
  Status RecordAuthEvent(const AuthEvent& e);

  // Operator only. Creates the owning customer account when it does not exist yet. Hashes the
  // vhost password. Issues the marketplace_site number when the product is eligible and has none.
  Result<UpsertOutcome> UpsertProduct(const Principal& actor, ProductInput input);
  // Operator only. One product object per line; bad lines are reported and skipped.
  Result<ImportReport> Import(const Principal& actor, std::istream& ndjson,
                              const ImportProgress& progress = {});
  // Operator only. Marks the product released.
  Status ReleaseProduct(const Principal& actor, std::string_view product_id);
  // Owner or operator; others get kNotFound.
  Result<ProductView> GetProduct(const Principal& actor, std::string_view product_id);
  Result<Page<ProductView>> ListProducts(const Principal& actor, const ProductQuery& q);

  // Owner only. Issues a number within the quota (kNotEligible with reasons otherwise). A
  // non-empty idempotency key replays the earlier result of the same request (kIdempotencyKeyReused
  // for a different request with that key).
  Result<NumberView> Apply(const Principal& actor, std::string_view product_id,
                           std::string_view idempotency_key = {});
  // Apply without waiting for the commit, where the store queues writes (Store::TryWriteQueued):
  // the apply and the write charge (as ChargeWrites(actor, kWrite) would take it) in one queued
  // transaction, kept only when both succeed. Returns false, having done nothing, when the store
  // does not queue, the actor is an operator, the key is malformed or the next write is due to
  // purge expired rows. Otherwise done is called once, on the store's writer thread, and must
  // neither block nor throw: with the committed number and charge; with the refused charge
  // (charge.allowed false, nothing written: the request is answered 429 as ChargeWrites would
  // have it); or with nullopt when nothing was written for another reason (a refusal of the
  // apply, a failure), and the caller then serves the request with ChargeWrites around Apply,
  // which decides and words its answer. Thread-safe.
  bool TryApplyQueued(const Principal& actor, std::string_view product_id,
                      std::string_view idempotency_key,
                      std::function<void(std::optional<QueuedApply>)> done);
  // Customers only. Issues `count` numbers for each item's product, all in one transaction, or
  // none: kNotEligible with Error::items naming each refused item's product and its reasons (a
  // product the caller cannot see: PRODUCT_NOT_FOUND alone). Quotas are exact under concurrency
  // (every quota row of the batch is locked first). kInvalidRequest for an empty batch, more than
  // kMaxBatchNumbers numbers or a product named twice. The idempotency key works as in Apply.
  Result<std::vector<NumberView>> ApplyBatch(const Principal& actor,
                                             const std::vector<ApplyItem>& items,
                                             std::string_view idempotency_key = {});
  // Read-only. The eligibility of the caller's own products (operators too own none, so theirs
  // are all not found), in the order asked; an unknown or another account's product gets
  // PRODUCT_NOT_FOUND alone. 1–kMaxEligibilityProducts ids, else kInvalidRequest.
  Result<std::vector<EligibilityItem>> CheckEligibility(
      const Principal& actor, const std::vector<std::string>& product_ids);
  // The eligibility of products not yet imported, by the rules and policy at the current time
  // with no number issued yet (quota unused); nothing is read or stored.
  Result<std::vector<EligibilityItem>> CheckEligibility(
      const std::vector<ProductInput>& products) const;

  // Owner, grantee or operator; kSnMalformed for text that cannot be a number, kSnNotFound else.
  Result<NumberView> GetNumber(const Principal& actor, std::string_view code_text);
  Result<Page<NumberView>> ListNumbers(const Principal& actor, const NumberQuery& q);
  // Owner only; kInvalidState unless the number is available.
  Result<NumberView> Grant(const Principal& actor, std::string_view code_text,
                           std::string_view grantee);
  // The grants of a number and the filings made with it: all for its owner and operators; a
  // grantee sees only its own grant and its own filings. kSnNotFound for anyone else (a miss
  // counts as a look-up, as in GetNumber).
  Result<NumberGrants> ListGrants(const Principal& actor, std::string_view code_text);
  // Owner only: removes the grant to `grantee` (audited as number.grant_revoked). kSnNotFound for
  // a number the caller cannot see, kForbidden for a grantee, SN_IN_REVIEW / SN_ALREADY_FILED /
  // SN_VOIDED unless the number is available, kNotFound when `grantee` holds no grant of it.
  Result<NumberGrants> RevokeGrant(const Principal& actor, std::string_view code_text,
                                   std::string_view grantee);

  // Owner or grantee of the number (or the vhost's owner). Checks of rules.md, first failure wins.
  Result<Filing> SubmitFiling(const Principal& actor, const FilingRequest& req,
                              std::string_view idempotency_key = {});
  Result<Filing> GetFiling(const Principal& actor, std::string_view filing_id);
  Result<Page<Filing>> ListFilings(const Principal& actor, const FilingQuery& q);
  Result<Filing> Approve(const Principal& actor, std::string_view filing_id);  // operator
  Result<Filing> Reject(const Principal& actor, std::string_view filing_id,
                        std::string_view reason);  // operator
  // Reviewers only (else the 403 of NeedsRole, nothing done). Approves or rejects each filing in a
  // transaction of its own, in the order given; one refusal does not stop the others.
  // kInvalidRequest (nothing done) for 0 or more than kMaxBulkReview ids, a repeated id, an
  // action other than approve/reject, or a blank reject reason.
  Result<std::vector<ReviewOutcome>> ReviewMany(const Principal& actor, FilingAction action,
                                                const std::vector<std::string>& filing_ids,
                                                std::string_view reason);
  Result<Filing> Withdraw(const Principal& actor, std::string_view filing_id);  // filer
  Result<Filing> Cancel(const Principal& actor, std::string_view filing_id);    // filer, operator

  // The write rate limits. A request's charge takes one token from each of its buckets (WriteKind:
  // the account's and the credential's, keyed on actor.credential_id; or the account's import
  // bucket), in one transaction and only when every bucket has one: exact across threads,
  // processes and servers on one store.
  //
  // Runs body() — the use cases of one request, on this thread — with the charge taken inside the
  // first write transaction of those use cases that commits, so an accepted write costs one durable
  // commit, not two. When none commits (a refusal, a request that writes nothing), the charge is
  // taken on its own afterwards. When a transaction finds a bucket empty it rolls back and returns
  // kRateLimited, and so does every later write transaction of body: nothing of the request is
  // written. Returns the charge: allowed == false means the request must be answered 429, whatever
  // body produced. The bucket rows are locked first in every transaction that takes a charge (a
  // fixed order: no deadlock). Thread-safe; not re-entrant (body must not call ChargeWrites).
  Result<WriteCharge> ChargeWrites(const Principal& actor, WriteKind kind,
                                   const std::function<void()>& body);

  Result<Overview> GetOverview(const Principal& actor);
  Result<EventPage> ListEvents(const Principal& actor, int64_t after, int limit);
  // The same events newest first: those with seq < before (0: from the newest). next_before is 0
  // on the last page. kInvalidRequest for a negative `before` or a bad limit.
  Result<EventPage> ListEventsNewestFirst(const Principal& actor, int64_t before, int limit);
  // Events matching `q` (events.cpp), oldest first as ListEvents or newest first as
  // ListEventsNewestFirst. A customer sees only events of its own account (account_id or
  // account2); its q.account naming another account matches nothing. kInvalidRequest names the
  // field of a bad filter (type, object_id, until, after, before, limit).
  Result<EventPage> FindEvents(const Principal& actor, EventQuery q);
  // Every event matching `q` (its limit ignored) as NDJSON lines to `out`, page by page; returns
  // how many it wrote.
  Result<int64_t> ExportEvents(const Principal& actor, EventQuery q, std::ostream& out);
  // Retention: archives every event with at < cutoff to NDJSON files in `dir`
  // (events-<first seq>-<last seq>-<UTC date>.ndjson, written to a temporary file, fsynced and
  // renamed), each batch's events deleted in the transaction that wrote its file. One archiver at
  // a time per store (report.busy when another holds the lease). ArchiveExpiredEvents does it
  // for the policy's audit_retention_days (nothing when 0).
  Result<ArchiveReport> ArchiveEventsBefore(Time cutoff, const std::string& dir);
  Result<ArchiveReport> ArchiveExpiredEvents(Time now, const std::string& dir);
  Result<Stats> GetStats();

  // Notices (notices.cpp). Emits every notice due at `now` (domain/notices.h) that was not
  // emitted before, each with its audit event of the same type in the same transaction, in
  // batches of kNoticeBatch. Safe in any number of processes at once: each occurrence is
  // inserted once (unique key), and only the transaction that inserted it appends the event.
  Result<NoticeScanReport> ScanNotices(Time now);
  // A customer's own notices; operators: everyone's or one account's (q.account_id). Newest
  // first. kForbidden for a customer naming another account; kInvalidRequest for a bad limit.
  Result<NoticePage> ListNotices(const Principal& actor, const NoticeQuery& q);
  static constexpr int kNoticeBatch = 200;

  // GET /v1/search: what `q` (any text; kInvalidRequest naming "q" unless TrimSearchQuery accepts
  // it) names, by index look-ups only, at most kSearchMaxResults hits: a service number (any
  // spelling ParseServiceNumber accepts) with numbers:read; a product by id or public IP with
  // products:read; a filing by id or domain (NormalizeDomain) with filings:read; an account by id
  // with accounts:admin (admins only). Each hit is one the caller may GET (another account's
  // objects are never found: no hit, not an error). Numbers first, then products, filings,
  // accounts; within a type by id.
  Result<std::vector<SearchHit>> Search(const Principal& actor, std::string_view q);
  // GET /v1/stats (operators only: kForbidden for customers): the dashboard's figures for
  // q.from ≤ t < q.to by q.bucket (kInvalidRequest when from ≥ to or over kStatsMaxBuckets
  // buckets). Quota use and cannot-apply reasons are judged now, over at most
  // kStatsProductSample products not released (the first by id).
  Result<DashboardStats> Dashboard(const Principal& actor, const StatsQuery& q);

  // Webhooks (webhooks.cpp). Customers manage their own subscriptions (their events); operators
  // with the admin role the operators' (all events; others: the 403 of NeedsRole). Another
  // account's webhook is kNotFound. Each change is audited (webhook.created, .updated, .deleted,
  // .secret_rotated) without the secret. kInvalidState past kMaxWebhooksPerAccount.
  Result<NewWebhook> CreateWebhook(const Principal& actor, const WebhookInput& in);
  // By id, after `page_token` (the last id of the previous page).
  Result<Page<WebhookView>> ListWebhooks(const Principal& actor, const PageRequest& page);
  Result<WebhookView> GetWebhook(const Principal& actor, std::string_view id);
  // `active` true re-enables a disabled webhook and resets its failure clock.
  Result<WebhookView> UpdateWebhook(const Principal& actor, std::string_view id,
                                    const WebhookInput& in);
  Status DeleteWebhook(const Principal& actor, std::string_view id);
  // A new secret; the previous one still signs for 24 h.
  Result<NewWebhook> RotateWebhookSecret(const Principal& actor, std::string_view id);
  // Delivery attempts, newest first.
  Result<Page<WebhookAttempt>> ListWebhookDeliveries(const Principal& actor, std::string_view id,
                                                     const PageRequest& page);
  // Queues the events again (same message ids) that the webhook may see and wants; how many.
  Result<int64_t> ReplayWebhook(const Principal& actor, std::string_view id,
                                const WebhookReplay& replay);
  Result<WebhookQueue> GetWebhookQueue();

  // One run of a delivery worker (webhook_delivery.cpp): claims due webhooks one at a time with
  // a lease (see docs/architecture.md) and sends their due messages in order through
  // `transport`, recording each attempt, until none is due; returns how long to wait before the
  // next run. Never holds a transaction across an HTTP call. Safe in any number of threads and
  // processes. Does not throw.
  std::chrono::milliseconds DeliverWebhooks(WebhookTransport& transport,
                                            const WebhookOptions& options);
  uint64_t WebhookDeliveries(WebhookOutcome o) const {
    return webhook_outcomes_[static_cast<int>(o)].load(std::memory_order_relaxed);
  }

 private:
  // Apply's transaction: the number (or the replayed one), or a refusal.
  Result<NumberView> ApplyIn(Tx& tx, const Principal& actor, std::string_view product_id,
                             std::string_view idempotency_key, const std::string& request_hash,
                             Time now);
  // Counts a write towards the next purge of expired rows (MaybePurge) unless that write is the
  // one due to purge: then false, counting nothing.
  bool CountWriteUnlessPurgeDue();
  Result<Filing> SubmitVhostFiling(const Principal& actor, const std::string& domain,
                                   const VhostCredentials& cred, std::string_view key);
  Result<Filing> ActOnFiling(const Principal& actor, std::string_view filing_id,
                             FilingAction action, std::string_view reason);
  // Every kPurgeEvery calls (from the use cases that write idempotency keys or attempts), deletes
  // idempotency keys older than 24 h and attempts older than the longest attempt window. Best
  // effort: a failed purge is tried again later.
  void MaybePurge(Time now);

  Result<NewToken> InsertNewToken(const Principal& actor, const Account& owner, std::string name,
                                  ScopeSet scopes, std::optional<Time> expires_at,
                                  std::string event_type, std::string event_data);
  Result<Webhook> OwnWebhook(Tx& tx, const Principal& actor, std::string_view id,
                             bool for_update = false);
  Result<WebhookView> WebhookViewOf(Tx& tx, Webhook w);
  // One claimed webhook: sends its due messages while the lease is ours.
  void DeliverClaimed(const std::string& id, WebhookTransport& transport,
                      const WebhookOptions& options);
  void CredentialsChanged() { local_epoch_.fetch_add(1, std::memory_order_acq_rel); }
  // store_.Write for a request's use cases: takes the pending write charge of ChargeWrites (if
  // any, on this thread) at the start of the transaction. Defined in internal.h.
  template <class F>
  auto WriteTx(F&& fn) -> decltype(fn(std::declval<Tx&>()));

  Store& store_;
  Policy policy_;
  Clock clock_;
  std::string token_pepper_;
  std::atomic<uint64_t> purge_counter_{0};
  std::atomic<uint64_t> local_epoch_{0};
  // GetProduct's reads, kept while nothing is committed (Store::CurrentChangeStamp).
  std::unique_ptr<svc::ProductCache> product_cache_;
  std::atomic<uint64_t> webhook_outcomes_[kWebhookOutcomeCount] = {};
};

}  // namespace beian
