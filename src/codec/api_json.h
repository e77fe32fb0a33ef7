#pragma once
// JSON codecs of the HTTP API objects other than products (interface.md "Objects"): service
// numbers, filings, events, the overview and accounts. Times are RFC 3339 in CST. Pure functions,
// thread-safe.
#include <string>

#include "domain/entities.h"
#include "domain/result.h"
#include "domain/text.h"
#include "domain/views.h"
#include "domain/webhook.h"

namespace beian {

// {"code", "product_id", "account_id", "kind", "state", "usable", "issued_at", "domain",
//  "filing_id", "granted_to"}; domain and filing_id are null when unset.
std::string NumberToJson(const NumberView& n);
// {"id", "account_id", "domain", "service_number", "product_id", "state", "reason",
//  "created_at", "updated_at"}; service_number is null for a filing made with host credentials,
// reason is "" unless rejected.
std::string FilingToJson(const Filing& f);
// {"seq", "at", "actor", "type", "account_id", "subject", "data"}; data is the stored JSON object.
std::string EventToJson(const Event& e);
// EventToJson plus "account2" (the second account, "" for none): an archived event in full.
std::string EventToArchiveJson(const Event& e);
// {"products_by_kind": {kind: n}, "numbers_by_state": {state: n},
//  "account_quotas": [{"kind", "scope", "limit", "used", "remaining"}],
//  "advice": [{"code", "message", "remedy"}]}
std::string OverviewToJson(const Overview& o, Lang lang);
// The "used by" view of a filing for the owner of the number it was made with (who is not the
// filer): {"id", "account_id" (the filer), "domain", "service_number", "product_id", "state",
// "created_at", "updated_at", "access": "number_owner"}; no reject reason.
std::string FilingUsedByJson(const Filing& f);
// {"id", "role", "roles", "status", "name"} (and "created_at" when known); roles is [] for
// customers.
std::string AccountToJson(const Account& a);

// Parses the body of PUT /v1/accounts/{id}: {"role"?: "customer"|"operator", "roles"?: [...],
// "name"?, "status"?: "active"|"disabled"}. Unknown fields, wrong types and unknown values are
// kInvalidRequest with field errors.
Result<AccountChange> ParseAccountJson(std::string_view json, std::string_view id);

// {"id", "account_id", "name", "scopes", "creator", "created_at", "expires_at", "last_used_at",
//  "revoked_at"} (times null when unset); with "token" (the secret) for a new token.
std::string TokenToJson(const TokenRecord& t);
// A listed token with "effective_scopes": its scopes that its account may still use (`allowed`).
std::string TokenToJson(const TokenRecord& t, ScopeSet allowed);
std::string NewTokenToJson(const NewToken& t);
// Webhooks (docs/interface.md). The webhook object (no secret); with "secret" for a new one.
std::string WebhookToJson(const WebhookView& w);
std::string NewWebhookToJson(const NewWebhook& w);
// POST /v1/webhooks/{id}/rotate-secret: {"secret", "previous_secret_expires_at"}.
std::string RotatedSecretToJson(const NewWebhook& w);
std::string WebhookAttemptToJson(const WebhookAttempt& a);
// Bodies of POST (url required) and PATCH /v1/webhooks: {url?, event_types?, description?,
// state?: "active"|"disabled"}.
Result<WebhookInput> ParseWebhookJson(std::string_view json, bool create);
// Body of POST /v1/webhooks/{id}/replay: {"event_ids": [seq, …]} or {"since", "until"}.
Result<WebhookReplay> ParseWebhookReplayJson(std::string_view json);
// Body of POST /v1/tokens: {"name"?, "scopes"?: [...], "expires_in"?: seconds}.
Result<TokenRequest> ParseTokenRequestJson(std::string_view json);
// Body of POST /v1/tokens/{id}/rotate: {"grace_seconds"?} (default 0); empty body allowed.
Result<int64_t> ParseRotateJson(std::string_view json);
// Body of POST /v1/service-numbers/{code}/grants: {"account_id"}; returns the account id.
Result<std::string> ParseGrantJson(std::string_view json);
// Body of POST /v1/filings: {"domain", "service_number"} or {"domain", "vhost": {"product_id",
// "username", "password"}}, exactly one of the two.
Result<FilingRequest> ParseFilingRequestJson(std::string_view json);
// Body of POST /v1/filings/{id}/reject: {"reason"?}; an empty body means no reason.
Result<std::string> ParseRejectJson(std::string_view json);
// Body of POST /v1/service-numbers: {"items": [{"product_id", "count"?}]} with 1–20 items, each
// count 1–20 (default 1), at most kMaxBatchNumbers in all, no product named twice. Field errors
// name e.g. "items[2].count".
Result<std::vector<ApplyItem>> ParseBatchApplyJson(std::string_view json);
// Body of POST /v1/eligibility: exactly one of {"product_ids": [id…]} and {"products": [product
// object…]} (ParseProductJson's format), 1–kMaxEligibilityProducts entries.
struct EligibilityRequest {
  std::vector<std::string> product_ids;
  std::vector<ProductInput> products;
};
Result<EligibilityRequest> ParseEligibilityJson(std::string_view json);
// {"items": [{"product_id", "can_apply", "reasons", "hints", …}]}: each item's eligibility as
// EligibilityToJson writes it, with its product id.
std::string EligibilityItemsToJson(const std::vector<EligibilityItem>& items, Lang lang);
// Body of POST /v1/filings/review: {"action": "approve"|"reject", "filing_ids": [1–100 ids, no
// repeats], "reason"?} (a reason with approve is refused).
struct BulkReviewRequest {
  FilingAction action = FilingAction::kApprove;
  std::vector<std::string> filing_ids;
  std::string reason;
};
Result<BulkReviewRequest> ParseBulkReviewJson(std::string_view json);
// {"code", "grants": [{"account_id", "granted_at"}], "used_by": [{"filing_id", "domain",
// "account_id", "state", "submitted_at"}]}.
std::string NumberGrantsToJson(const NumberGrants& g);

}  // namespace beian
