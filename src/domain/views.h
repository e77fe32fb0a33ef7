#pragma once
// What the use cases take and return beyond the entities (entities.h): the caller (Principal),
// pages, the views of products and numbers with what the rules say about them now, queries,
// filing and token requests, the overview, import reports and write-rate charges. Plain values
// shared by the service, the codecs, the HTTP layer and the CLI. Thread-compatible.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/access.h"
#include "domain/eligibility.h"
#include "domain/entities.h"
#include "domain/policy.h"
#include "domain/product.h"
#include "domain/reason.h"
#include "domain/result.h"
#include "domain/text.h"

namespace beian {

// A product as an operator sends it: the password is plain text here and hashed by the service.
struct ProductInput {
  Product product;
  std::optional<std::string> vhost_password;
};

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

// Batch apply (POST /v1/service-numbers): `count` numbers for each product, at most
// kMaxBatchNumbers in all; a product named twice is refused (not merged).
inline constexpr int kMaxBatchNumbers = 20;
struct ApplyItem {
  std::string product_id;
  int count = 1;
};

// Bulk eligibility (POST /v1/eligibility): stored products by id, or products not yet imported.
inline constexpr std::size_t kMaxEligibilityProducts = 500;
struct EligibilityItem {
  std::string product_id;
  Eligibility eligibility;  // a product the caller cannot see: PRODUCT_NOT_FOUND alone
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
// kById: by filing id (the default). kOldestFirst / kNewestFirst: by submission time, then id
// (the review queue); operators only.
enum class FilingOrder { kById, kOldestFirst, kNewestFirst };

struct FilingQuery {
  std::optional<FilingState> state;
  std::optional<std::string> account_id;  // the filer
  std::optional<Kind> kind;               // the kind of the filing's product
  std::optional<Time> submitted_before;   // created_at < this
  FilingOrder order =
      FilingOrder::kById;  // page tokens are of PageList::kFilingsByAge unless kById
  PageRequest page;
};

// Bulk review (POST /v1/filings/review): at most kMaxBulkReview filings, each in its own
// transaction; one result per id, in the order asked.
inline constexpr std::size_t kMaxBulkReview = 100;
struct ReviewOutcome {
  std::string filing_id;
  std::optional<Filing> filing;  // set when the action was done
  std::optional<Error> error;    // else why not
};

// Who may use a number and what was filed with it (GET /v1/service-numbers/{code}/grants).
struct GrantRecord {
  std::string account_id;
  Time granted_at{};
};
struct NumberGrants {
  std::string code;
  std::vector<GrantRecord> grants;  // a grantee sees only its own
  std::vector<Filing> used_by;      // filings made with the number; a grantee sees only its own
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
// Refused lines an import lists at most (a 1 MiB body of `{}` lines once made a 22 MB answer).
inline constexpr std::size_t kImportFailuresListed = 1000;
struct ImportReport {
  int64_t created = 0;
  int64_t updated = 0;
  std::vector<ImportLineError> failed;  // the first kImportFailuresListed refused lines, by line
  int64_t failed_count = 0;             // every refused line
};

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

// A filtered read of the audit trail (GET /v1/events, `beian events export`, archiving). Every
// filter is optional; all given ones must hold.
struct EventQuery {
  int64_t after = 0;   // oldest first: seq > after
  int64_t before = 0;  // newest first: seq < before (0: from the newest)
  bool newest_first = false;
  int limit = 100;
  std::optional<std::string> account;  // account_id or account2 is this account
  std::vector<std::string> types;      // any of these; "filing.*" is a prefix
  std::optional<std::string> subject;  // the changed object's id
  std::optional<Time> since;           // at >= since
  std::optional<Time> until;           // at < until
};

// What one archiving run did (Service::ArchiveEventsBefore).
struct ArchiveReport {
  int64_t events = 0;              // archived and deleted
  std::vector<std::string> files;  // the files written, in order
  bool busy = false;               // another process held the archive lease: nothing done
};

struct EventPage {
  std::vector<Event> items;
  int64_t next_after = 0;  // oldest first: the `after` of the next page
  // Newest first: the `before` of the next page, 0 when this page is the last.
  int64_t next_before = 0;
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

// What a queued apply did (Service::TryApplyQueued): committed the number and the charge taken
// with it, or (charge.allowed false) nothing, refused by the write rate limits.
struct QueuedApply {
  NumberView view;  // when charge.allowed
  WriteCharge charge;
};

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

// Console sign-in with OpenID Connect (Service::BeginSsoLogin, TakeSsoLogin): the state, PKCE code
// verifier and nonce of one sign-in.
struct SsoLogin {
  std::string state;
  std::string code_verifier;
  std::string nonce;
};
// A new console session (Service::StartSession): its cookie secret (stored only as a keyed hash)
// and CSRF token.
struct NewSession {
  std::string secret;
  std::string csrf_token;
  Time expires_at{};
};
// A live console session (Service::AuthenticateSession).
struct SessionAuth {
  Principal principal;
  std::string csrf_token;
  Time expires_at{};
};

}  // namespace beian
