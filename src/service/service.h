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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/product_json.h"
#include "domain/access.h"
#include "domain/eligibility.h"
#include "domain/policy.h"
#include "store/store.h"

namespace beian {

// Who is calling, as established by a credential (an API token, or a console session / JWT mapped
// by sso). Services decide with IsOperator/HasRole; routes with HasScope.
struct Principal {
  std::string account_id;  // "system" for the CLI
  Role role = Role::kCustomer;
  RoleSet roles = kAllOperatorRoles;  // operator roles; ignored for customers
  // The scopes the credential was created with (kAllScopes: not narrowed). Effective scopes are
  // these intersected with what the account may hold now (AllowedScopes).
  ScopeSet scopes = kAllScopes;
  std::string credential_id{};       // token id ("tok_…"), session id, or "" (CLI)
  std::optional<Time> expires_at{};  // when the credential stops working, if it expires

  bool IsOperator() const { return role == Role::kOperator; }
  bool HasRole(OperatorRole r) const { return IsOperator() && (roles & RoleBit(r)) != 0; }
  ScopeSet EffectiveScopes() const { return scopes & AllowedScopes(IsOperator(), roles); }
  bool HasScope(Scope s) const { return (EffectiveScopes() & ScopeBit(s)) != 0; }
};
// The CLI's principal: an operator that needs no token.
Principal SystemPrincipal();
// The 403 FORBIDDEN refusals that say what the caller lacks, in zh-CN and en: an operator role
// (worded for customers and for operators without it), or being a customer account.
Error NeedsRole(const Principal& actor, OperatorRole role);
Error CustomerOnly();

struct PageRequest {
  int limit = 100;         // 1–500
  std::string page_token;  // opaque; "" for the first page
};
template <class T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // "" when there is no next page
};

struct ProductView {
  Product product;
  Eligibility eligibility;
};
struct NumberView {
  ServiceNumber number;
  bool usable = false;  // available and its product passes the usability rules now
};

struct ProductQuery {
  std::optional<std::string> account_id;  // operator only; customers always see their own
  std::optional<Kind> kind;
  std::optional<bool> can_apply;
  PageRequest page;
};
struct NumberQuery {
  std::optional<NumberState> state;
  std::optional<std::string> product_id;
  PageRequest page;
};
struct FilingQuery {
  std::optional<FilingState> state;
  PageRequest page;
};

struct UpsertOutcome {
  bool created = false;
  ProductView view;
  std::optional<ServiceNumber> issued;  // a marketplace_site number issued by this upsert
};

struct ImportLineError {
  int64_t line = 0;
  std::string code;
  std::string detail;  // in English
  Text detail_text;    // the same in zh-CN and en
};
struct ImportReport {
  int64_t created = 0;
  int64_t updated = 0;
  std::vector<ImportLineError> failed;
};
// Called now and then during an import with lines and bytes read so far.
using ImportProgress = std::function<void(int64_t lines, int64_t bytes)>;

struct VhostCredentials {
  std::string product_id;
  std::string username;
  std::string password;
};
struct FilingRequest {
  std::string domain;
  std::optional<std::string> service_number;  // exactly one of service_number and vhost
  std::optional<VhostCredentials> vhost;
};

struct KindQuota {
  Kind kind;
  Quota quota;
};
struct Overview {
  std::vector<std::pair<Kind, int64_t>> products_by_kind;
  std::vector<std::pair<NumberState, int64_t>> numbers_by_state;
  std::vector<KindQuota> account_quotas;  // quotas counted per account (web_hosting)
  std::vector<AdviceCode> advice;
};

struct EventPage {
  std::vector<Event> items;
  int64_t next_after = 0;
};

// Write rate limits (issue 14): which budget a request that may write draws from.
enum class WriteKind {
  kWrite,   // any write: the account's bucket and the token's bucket
  kImport,  // an operator's import (POST /v1/imports): the account's import bucket only
};
// One bucket's state after a charge, for the RateLimit and RateLimit-Policy headers.
struct RateLimitStatus {
  std::string_view name;  // "account", "token", "import"
  RateLimit limit;
  int remaining = 0;
  std::chrono::seconds full_in{0};
};
struct WriteCharge {
  bool allowed = false;
  std::chrono::seconds retry_after{0};  // when refused
  std::vector<RateLimitStatus> buckets;
};

using Clock = std::function<Time()>;
Clock SystemClock();

// PUT /v1/accounts/{id}: the fields given; the others keep their values (a new account needs
// `role`). `roles` without `role` means an operator; "role": "operator" without roles means all
// three roles.
struct AccountChange {
  std::string id;
  std::optional<Role> role;
  std::optional<RoleSet> roles;
  std::optional<std::string> name;
  std::optional<bool> disabled;
};

struct TokenRequest {
  std::string name;                                // 0–100 bytes
  std::optional<ScopeSet> scopes;                  // nullopt: every scope the caller has
  std::optional<std::chrono::seconds> expires_in;  // nullopt: the policy maximum, if any
};
struct NewToken {
  TokenRecord record;
  std::string secret;  // shown once; only its keyed hash is stored
};

// An authentication-related audit event (sign-in, sign-out, denied requests); see RecordAuthEvent.
struct AuthEvent {
  std::string type;        // "auth.denied", "session.signed_in", "session.signed_out", …
  std::string actor;       // the credential's account, or "anonymous"
  std::string account_id;  // the customer account it concerns ("" for none)
  std::string subject;     // e.g. the credential id
  std::string data_json = "{}";
};

class Service {
 public:
  Service(Store& store, Policy policy, Clock clock = SystemClock());

  const Policy& policy() const { return policy_; }
  Store& store() { return store_; }
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
  // The caller's tokens; accounts:admin: one account's (`account_id`) or everyone's.
  Result<std::vector<TokenRecord>> ListTokens(const Principal& actor,
                                              const std::optional<std::string>& account_id);
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
  // Owner, grantee or operator; kSnMalformed for text that cannot be a number, kSnNotFound else.
  Result<NumberView> GetNumber(const Principal& actor, std::string_view code_text);
  Result<Page<NumberView>> ListNumbers(const Principal& actor, const NumberQuery& q);
  // Owner only; kInvalidState unless the number is available.
  Result<NumberView> Grant(const Principal& actor, std::string_view code_text,
                           std::string_view grantee);

  // Owner or grantee of the number (or the vhost's owner). Checks of rules.md, first failure wins.
  Result<Filing> SubmitFiling(const Principal& actor, const FilingRequest& req,
                              std::string_view idempotency_key = {});
  Result<Filing> GetFiling(const Principal& actor, std::string_view filing_id);
  Result<Page<Filing>> ListFilings(const Principal& actor, const FilingQuery& q);
  Result<Filing> Approve(const Principal& actor, std::string_view filing_id);  // operator
  Result<Filing> Reject(const Principal& actor, std::string_view filing_id,
                        std::string_view reason);                               // operator
  Result<Filing> Withdraw(const Principal& actor, std::string_view filing_id);  // filer
  Result<Filing> Cancel(const Principal& actor, std::string_view filing_id);    // filer, operator

  // Takes one token from each bucket of the request (WriteKind), in one transaction and only when
  // every bucket has one: exact across threads, processes and servers on one store. The
  // credential's bucket is keyed on actor.credential_id (`token` is not used).
  // Thread-safe.
  Result<WriteCharge> ChargeWrite(const Principal& actor, std::string_view token, WriteKind kind);

  Result<Overview> GetOverview(const Principal& actor);
  Result<EventPage> ListEvents(const Principal& actor, int64_t after, int limit);
  Result<Stats> GetStats();

 private:
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
  void CredentialsChanged() { local_epoch_.fetch_add(1, std::memory_order_acq_rel); }

  Store& store_;
  Policy policy_;
  Clock clock_;
  std::string token_pepper_;
  std::atomic<uint64_t> purge_counter_{0};
  std::atomic<uint64_t> local_epoch_{0};
};

}  // namespace beian
