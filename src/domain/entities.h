#pragma once
// The entities of beian other than products (product.h): accounts, API tokens, service numbers,
// filings and audit events, as plain values. Every layer uses these types; none of them knows how
// they are stored or encoded. Thread-compatible values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/access.h"
#include "domain/lifecycle.h"
#include "domain/product.h"
#include "domain/time.h"

namespace beian {

// A filing id: "f-" + 20 characters of 0-9 and a-z (as the service makes them).
bool IsValidFilingId(std::string_view id);
// An API token's public id: "tok_" + 16 base62 characters.
bool IsValidTokenId(std::string_view id);

enum class Role { kCustomer, kOperator };
std::string_view RoleName(Role r);  // "customer" / "operator"
std::optional<Role> ParseRole(std::string_view s);

struct Account {
  std::string id;
  Role role = Role::kCustomer;
  std::string name;
  Time created_at{};
  RoleSet roles = 0;      // operator roles (domain/access.h); 0 for customers
  bool disabled = false;  // a disabled account's credentials are refused
};

// An API token's row. The secret itself is never stored: `hash` is its keyed hash.
struct TokenRecord {
  std::string id;  // "tok_" + 16 base62 characters; public
  std::string account_id;
  std::string name;
  ScopeSet scopes = 0;
  std::string creator;  // account id of whoever created it ("system" for the CLI)
  Time created_at{};
  std::optional<Time> expires_at;
  std::optional<Time> last_used_at;
  std::optional<Time> revoked_at;  // also set in the future for a rotated token's grace period
};

struct ServiceNumber {
  std::string code;  // canonical display form
  std::string product_id;
  std::string account_id;  // the product's owner when issued
  Kind kind = Kind::kEcs;
  std::string quota_scope;  // "p:<product_id>" or "a:<account_id>:<kind>"
  NumberState state = NumberState::kAvailable;
  Time issued_at{};
  std::optional<std::string> domain;     // set while in review and once filed
  std::optional<std::string> filing_id;  // the filing that holds or used it
  std::vector<std::string> granted_to;   // accounts allowed to use it
};

struct Filing {
  std::string id;                             // "f-" + 20 lower-case base32 symbols
  std::string account_id;                     // who filed (owner or grantee)
  std::string owner_id;                       // the product's owner
  std::string domain;                         // A-labels
  std::optional<std::string> service_number;  // absent when filed with vhost credentials
  std::string product_id;
  FilingState state = FilingState::kInReview;
  std::string reason;  // reject reason
  Time created_at{};   // when it was submitted
  Time updated_at{};
  // Operators' view of a filing in review: the ids of the other accounts' filings of the same
  // domain in review (by id). Not stored; nullopt when not computed (customers never get it).
  std::optional<std::vector<std::string>> conflicts;
};

struct Event {
  int64_t seq = 0;  // assigned by the store
  Time at{};
  std::string actor;       // account id, or "system"
  std::string type;        // e.g. "product.created", "number.issued", "filing.approved"
  std::string account_id;  // the customer account the event concerns ("" for none)
  std::string subject;     // id of the changed object
  std::string data_json;   // a JSON object with details
  std::string account2{};  // a second account it concerns ("" for none; never = account_id)
};

struct IdempotencyRecord {
  std::string account_id;
  std::string key;
  std::string request_hash;
  std::string result;  // the number code or filing id it produced
  Time created_at{};
};

struct Stats {
  std::vector<std::pair<std::string, int64_t>> numbers_by_state;  // state name → count
  std::vector<std::pair<std::string, int64_t>> filings_by_state;
  int64_t numbers_issued = 0;
};

// A console sign-in waiting for the OpenID issuer's answer (keyed by the hash of its state).
struct OidcLogin {
  std::string state_hash;
  std::string code_verifier;  // PKCE
  std::string nonce;
  Time created_at{};
};

// A console session (keyed by the keyed hash of its cookie's secret) with its account as it is now.
struct WebSession {
  std::string id_hash;
  Account account;
  RoleSet claimed_roles = kAllOperatorRoles;  // operator roles the issuer granted at sign-in
  std::string csrf_token;
  Time created_at{};
  Time last_seen_at{};
  Time expires_at{};  // absolute end
  std::optional<Time> revoked_at;
};

}  // namespace beian
