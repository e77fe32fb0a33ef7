#pragma once
// Typed operations inside one transaction, over a Conn, each running the named statements of the
// connection's dialect (statements.h). Every invariant of
// rules.md is kept by using these inside Store::Write: the quota row lock (LockQuota) serialises
// issues per quota scope, GetNumber(…, true) serialises filings per number.
// All methods throw StoreError on database failure (caught by Store). On PostgreSQL a unique
// violation (e.g. a second active filing for a domain inserted concurrently) is retryable: Store
// re-runs the transaction, which then sees the other row.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.h"
#include "domain/lifecycle.h"
#include "domain/product.h"
#include "domain/rate_limit.h"
#include "domain/views.h"
#include "domain/webhook.h"
#include "store/db.h"

namespace beian {

namespace store_internal {
struct Statements;
}  // namespace store_internal

struct ProductFilter {
  std::optional<std::string> account_id;
  std::optional<Kind> kind;
  std::string after_id;  // keyset paging: ids > after_id, ordered by id
  int limit = 100;
  bool include_released = false;
};

struct NumberFilter {
  std::optional<std::string> visible_to;  // owner or grantee; nullopt = all (operator)
  std::optional<NumberState> state;
  std::optional<std::string> product_id;
  std::string after_code;  // ordered by code
  int limit = 100;
};

struct FilingFilter {
  std::optional<std::string> visible_to;  // filer or product owner; nullopt = all
  std::optional<FilingState> state;
  std::optional<std::string> account_id;  // the filer
  std::optional<Kind> kind;               // of the filing's product
  std::optional<Time> submitted_before;   // created_at < this
  // kById: ordered by id, after after_id. Otherwise by (created_at, id), ascending or descending,
  // after (after_created_at, after_id) when after_id is set; only without visible_to.
  FilingOrder order = FilingOrder::kById;
  Time after_created_at{};
  std::string after_id;
  int limit = 100;
};

class Tx {
 public:
  explicit Tx(Conn& conn);  // runs the statements of conn.dialect()
  Conn& conn() { return conn_; }

  // Store::Write rolls back a transaction whose function returns an error. After this call it
  // commits what was written anyway: for a refusal that must leave a trace (a failed guess that
  // counts toward an attempt limit). Call it only before returning that refusal.
  void KeepWritesIfRefused() { keep_writes_if_refused_ = true; }
  bool keeps_writes_if_refused() const { return keep_writes_if_refused_; }

  // Accounts and tokens.
  // `lock` (PostgreSQL; SQLite's write transactions exclude each other anyway) keeps the row from
  // changing until the transaction ends: kShare for a product write that relies on the owner
  // being a customer, kUpdate for an account change that relies on what the account owns.
  enum class RowLock { kNone, kShare, kUpdate };
  std::optional<Account> GetAccount(std::string_view id, RowLock lock = RowLock::kNone);
  bool UpsertAccount(const Account& a);  // true when created; keeps created_at on update
  // The accounts of `ids` that exist, by id, each held as GetAccount(id, RowLock::kShare) holds
  // it; one statement.
  std::vector<Account> GetAccountsForShare(const std::vector<std::string>& ids);
  // UpsertAccount for each account (distinct ids), in one statement.
  void UpsertAccounts(const std::vector<Account>& accounts);
  // Accounts ordered by id, after `after_id`, at most `limit`.
  std::vector<Account> ListAccounts(std::string_view after_id, int limit);
  // Active operators holding the admin role, other than `except_id`.
  int64_t CountOtherActiveAdmins(std::string_view except_id);
  int64_t CountProductsOf(std::string_view account_id);  // released ones included

  void InsertToken(std::string_view token_hash, const TokenRecord& t);
  struct TokenAuth {
    TokenRecord token;
    Account account;
  };
  std::optional<TokenAuth> TokenByHash(std::string_view token_hash);
  std::optional<TokenRecord> GetToken(std::string_view id);
  // Tokens of one account (all accounts when nullopt), newest first, at most `limit`.
  std::vector<TokenRecord> ListTokens(const std::optional<std::string>& account_id, int limit);
  // Sets revoked_at to `at` unless the token is revoked at or before `at` already.
  void RevokeToken(std::string_view id, Time at);
  // Sets last_used_at to `at` when it is unset or older than `not_after`.
  void TouchToken(std::string_view id, Time at, Time not_after);
  // The credential generation (see 004_tokens_roles.sql). Bump takes the generation row's lock
  // until the transaction ends, which also serialises the changes that bump it.
  int64_t CredentialGeneration();
  void BumpCredentialGeneration();

  // Console sign-in (tx_sessions.cpp). TakeOidcLogin deletes the login it returns.
  void InsertOidcLogin(const OidcLogin& l);
  std::optional<OidcLogin> TakeOidcLogin(std::string_view state_hash);
  void PurgeOidcLogins(Time before);
  void InsertWebSession(const WebSession& s);
  std::optional<WebSession> GetWebSession(std::string_view id_hash);
  void TouchWebSession(std::string_view id_hash, Time at);
  // Sets revoked_at unless already set; false when no live session had this hash.
  bool RevokeWebSession(std::string_view id_hash, Time at);
  void PurgeWebSessions(Time before);  // removes sessions that ended before `before`

  // Products.
  std::optional<Product> GetProduct(std::string_view id);
  // The products with these ids, in one query; ids without a product are left out.
  std::vector<Product> GetProducts(const std::vector<std::string>& ids);
  bool UpsertProduct(const Product& p);  // true when created; keeps created_at on update
  // UpsertProduct for each product (distinct ids) in at most two statements (a batch of imports);
  // element i is true when products[i] was created.
  std::vector<bool> UpsertProducts(const std::vector<Product>& products);
  std::vector<Product> ListProducts(const ProductFilter& f);
  // Products of the account that are not released, per kind (ordered by kind name).
  std::vector<std::pair<Kind, int64_t>> CountProductsByKind(std::string_view account_id);

  // Quota scopes. LockQuota creates the scope row if needed, locks it until the transaction ends
  // (PostgreSQL: FOR UPDATE; SQLite: the write transaction already excludes other writers) and
  // returns how many numbers were ever issued in it. PeekQuota reads without locking.
  int LockQuota(std::string_view scope_key);
  int PeekQuota(std::string_view scope_key);
  // PeekQuota for many scopes in one query: key -> uses; a scope never used is left out.
  std::map<std::string, int> PeekQuotas(const std::vector<std::string>& scope_keys);
  void AddQuotaUse(std::string_view scope_key);  // +1; call only after LockQuota

  // Service numbers.
  // Inserts n and its grants; false, writing nothing, when a number with n.code exists (also one
  // that a concurrent transaction is inserting: this waits for it on PostgreSQL).
  [[nodiscard]] bool TryInsertNumber(const ServiceNumber& n);
  // As TryInsertNumber, but a taken code throws StoreError (the transaction fails).
  void InsertNumber(const ServiceNumber& n);
  std::optional<ServiceNumber> GetNumber(std::string_view code, bool for_update = false);
  void UpdateNumber(const ServiceNumber& n);  // state, domain, filing_id
  std::vector<ServiceNumber> ListNumbers(const NumberFilter& f);
  void InsertGrant(std::string_view code, std::string_view account_id, Time at);
  // The grants of a number, by account id.
  std::vector<GrantRecord> ListGrants(std::string_view code);
  // Removes one grant; false when there was none.
  bool DeleteGrant(std::string_view code, std::string_view account_id);
  // Numbers the account owns (grants not included), per state (ordered by state name).
  std::vector<std::pair<NumberState, int64_t>> CountNumbersByState(std::string_view account_id);

  // Filings.
  void InsertFiling(const Filing& f);
  std::optional<Filing> GetFiling(std::string_view id, bool for_update = false);
  void UpdateFiling(const Filing& f);  // state, reason, updated_at
  std::vector<Filing> ListFilings(const FilingFilter& f);
  // The filing of this domain by `account_id` that is in review or approved, if any (at most one:
  // the partial unique index filings_active_domain_account, 007_domain_per_account.sql).
  std::optional<Filing> ActiveFilingForDomain(std::string_view domain, std::string_view account_id);
  // The approved filing of this domain, if any (at most one: filings_approved_domain).
  std::optional<Filing> ApprovedFilingForDomain(std::string_view domain);
  // The filings of this domain in review, of any account, ordered by id.
  std::vector<Filing> FilingsInReviewForDomain(std::string_view domain);
  // The filings made with this number (any state), ordered by id.
  std::vector<Filing> FilingsOfNumber(std::string_view code);

  // Idempotency keys (kept 24 h: PurgeIdempotency removes older ones).
  std::optional<IdempotencyRecord> GetIdempotency(std::string_view account_id,
                                                  std::string_view key);
  void PutIdempotency(const IdempotencyRecord& r);
  void PurgeIdempotency(Time before);

  // Attempt counters behind TOO_MANY_ATTEMPTS; `subject` is e.g. "sn:<account>" or "pw:<product>".
  // LockAttempts serialises the transactions that count and record attempts on `subject` until
  // this one ends (PostgreSQL: a transaction-scoped advisory lock; SQLite: the write transaction
  // already excludes other writers). Call it first in a write transaction so that CountAttempts
  // stays true until the attempt is recorded and committed.
  void LockAttempts(std::string_view subject);
  int CountAttempts(std::string_view subject, Time since);
  // The time of the (n+1)-th oldest attempt since `since` (n from 0), if there are that many.
  std::optional<Time> NthAttempt(std::string_view subject, Time since, int n);
  void RecordAttempt(std::string_view subject, Time at);
  // Removes one attempt recorded at `at` (a reserved attempt that turned out not to be a guess).
  void RemoveAttempt(std::string_view subject, Time at);
  void PurgeAttempts(Time before);  // removes attempts older than `before` (all subjects)

  // Token buckets of the write rate limits (domain/rate_limit.h). LockBucket creates bucket `key`
  // as `if_new` when it does not exist, locks its row until the transaction ends (PostgreSQL:
  // FOR UPDATE, waiting for a concurrent creator; SQLite: the write transaction excludes other
  // writers) and returns it. PutBucket updates a locked bucket.
  BucketState LockBucket(std::string_view key, const BucketState& if_new);
  void PutBucket(std::string_view key, const BucketState& state);
  void PurgeBuckets(Time before);  // removes buckets last changed before `before`

  // The audit trail. AppendEvent assigns seq. ListEvents returns events with seq > after, oldest
  // first, only those of `account_id` when given, and never one whose seq could still be
  // preceded by a not-yet-committed event. Seqs increase but are not dense (PostgreSQL: seq is
  // (transaction id << 20) + n, so a transaction may append at most 2^20 events). An event appended
  // by the calling transaction is not listed by it on PostgreSQL.
  void AppendEvent(const Event& e);
  // AppendEvent for each event, in order, in one statement.
  void AppendEvents(const std::vector<Event>& events);
  std::vector<Event> ListEvents(int64_t after, int limit, std::optional<std::string> account_id);
  // Events with seq < before, newest first, only those of `account_id` when given (for reading
  // the trail backwards; unlike ListEvents, a later page may miss an event committed meanwhile
  // with a smaller seq).
  std::vector<Event> ListEventsBefore(int64_t before, int limit,
                                      std::optional<std::string> account_id);
  // Events matching `q` (tx_events.cpp): oldest first with the guarantee of ListEvents, or newest
  // first as ListEventsBefore; each filter drives an index (010_events_filters.sql).
  std::vector<Event> FindEvents(const EventQuery& q);
  // Archiving (Service::ArchiveEventsBefore). TryLockEventArchive takes the archive lease for this
  // transaction (PostgreSQL: an advisory transaction lock; false when another holds it; SQLite:
  // writers exclude each other already). DeleteArchivedEvents deletes the events with
  // first <= seq <= last and at < cutoff and returns how many it deleted.
  bool TryLockEventArchive();
  int64_t DeleteArchivedEvents(int64_t first, int64_t last, Time cutoff);

  Stats GetStats();

  // Search (008_search_stats.sql): index look-ups, at most `limit` rows each, by id.
  // Products with public IP `ip` (canonical text); with `owner`, only that account's products
  // that are not released.
  std::vector<Product> ProductsByIp(std::string_view ip, const std::optional<std::string>& owner,
                                    int limit);
  // Filings of `domain` (A-labels) in any state; with `visible_to`, only those it filed or owns.
  std::vector<Filing> FilingsByDomain(std::string_view domain,
                                      const std::optional<std::string>& visible_to, int limit);

  // The operators' dashboard. Counts per bucket of `bucket` seconds from `from` (bucket i covers
  // [from + i*bucket, from + (i+1)*bucket)), up to `to` (excluded), as (i, count) for the
  // buckets with any; index range scans (cost grows with the rows in the range).
  std::vector<std::pair<int64_t, int64_t>> NumbersIssuedPerBucket(Time from, Time to,
                                                                  int64_t bucket);
  std::vector<std::pair<int64_t, int64_t>> EventsPerBucket(std::string_view type, Time from,
                                                           Time to, int64_t bucket);
  // The creation time of the (n+1)-th oldest filing in review (n from 0), if there are that many
  // (a walk of n entries of the index filings_state_created).
  std::optional<Time> NthOldestInReview(int64_t n);

  // Webhooks (tx_webhooks.cpp, 009_webhooks.sql). Lists are by id; `account_id` "" = operators'.
  void InsertWebhook(const Webhook& w);
  // `for_update`: the row is locked until the transaction ends (PostgreSQL).
  std::optional<Webhook> GetWebhook(std::string_view id, bool for_update = false);
  std::vector<Webhook> ListWebhooks(std::string_view account_id, std::string_view after_id,
                                    int limit);
  int64_t CountWebhooks(std::string_view account_id);
  void UpdateWebhook(const Webhook& w);  // everything but id, account_id, lease, created_at
  void SetWebhookLease(std::string_view id, std::string_view owner, int64_t until_ms);
  void DeleteWebhook(std::string_view id);  // with its messages and attempts
  // The highest seq that no uncommitted event can precede (0 when there are no events): every
  // event up to it is listed by ListEvents.
  int64_t EventsHighWater();
  // An active webhook whose lease has expired and that has a message due at `now_ms` or events
  // after its cursor (`high_water`), if any. With `claim`, the row is locked until the end
  // (PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent claimers take different webhooks).
  std::optional<std::string> DueWebhook(int64_t now_ms, int64_t high_water, bool claim);
  // Queues event `seq` for the webhook (again: pending with no attempts when it exists).
  void QueueWebhookMessage(const WebhookMessage& m);
  // The pending message to send first (oldest queued, then lowest seq), if any.
  std::optional<WebhookMessage> HeadWebhookMessage(std::string_view webhook_id);
  void UpdateWebhookMessage(const WebhookMessage& m);  // state, attempts, next_attempt_at
  void InsertWebhookAttempt(const WebhookAttempt& a);
  // Attempts with id < before_id, newest first.
  std::vector<WebhookAttempt> ListWebhookAttempts(std::string_view webhook_id, int64_t before_id,
                                                  int limit);
  int64_t CountPendingMessages(std::string_view webhook_id);
  std::optional<WebhookAttempt> LastWebhookAttempt(std::string_view webhook_id);  // at, outcome
  // Pending messages of active webhooks and the oldest one's queued_at.
  std::pair<int64_t, std::optional<int64_t>> WebhookQueueStats();
  std::optional<Event> GetEvent(int64_t seq);
  std::vector<Event> EventsWithSeqs(const std::vector<int64_t>& seqs);
  std::vector<Event> EventsBetween(Time since, Time until, int limit);  // since ≤ at < until

 private:
  Conn& conn_;
  const store_internal::Statements& sql_;
  bool keep_writes_if_refused_ = false;
};

}  // namespace beian
