#pragma once
// The policy: per-kind rules (rules.md "Product kinds") and limits, defaults overridable by TOML.
#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/product.h"
#include "domain/rate_limit.h"
#include "domain/result.h"

namespace beian {

enum class QuotaScope { kProduct, kAccount };
enum class IssueMode { kOnRequest, kAutomatic, kNever };
std::string_view QuotaScopeName(QuotaScope s);  // "product" / "account"
std::string_view IssueModeName(IssueMode m);    // "on_request" / "automatic" / "never"

struct KindPolicy {
  int min_months = 3;            // minimum remaining subscription to apply
  bool needs_public_ip = false;  // to apply and to use a number
  int quota = 5;                 // numbers per quota scope, ever
  QuotaScope scope = QuotaScope::kProduct;
  IssueMode issue = IssueMode::kOnRequest;
  bool accepts_vhost_credentials = false;  // a filing may use the host's username and password
};

struct Policy {
  std::map<Kind, KindPolicy> kinds;               // every Kind has an entry
  std::vector<std::string> non_mainland_regions;  // beyond "cn-hongkong" and non-"cn-" ids
  int sn_lookup_limit = 10;                       // SN_NOT_FOUND answers per account per window
  std::chrono::seconds sn_lookup_window{15 * 60};
  int vhost_password_limit = 5;  // wrong host passwords per product per window
  std::chrono::seconds vhost_password_window{15 * 60};
  int token_max_lifetime_days = 0;  // API tokens: longest expires_in; 0 = tokens may never expire
  // Write rate limits (token buckets, shared by every server on the store): every request that
  // may write takes one token from its account's bucket and one from its token's; operators'
  // imports take from their account's import bucket instead.
  RateLimit account_writes{240, 120};
  RateLimit token_writes{120, 60};
  RateLimit imports{30, 10};
  // Notices (domain/notices.h): warn `notice_days` before a product's remaining term falls below
  // its kind's minimum; a filing in review longer than `review_days` is overdue.
  int notice_days = 30;
  int review_days = 20;
  // The audit trail: events older than this many days are archived to NDJSON files and then
  // deleted (Service::ArchiveExpiredEvents); 0 keeps them forever. Never 1-6: retention must
  // outlast the webhook retry window (a day) with room to spare.
  int audit_retention_days = 0;

  const KindPolicy& For(Kind k) const { return kinds.at(k); }
  // True for "cn-*" region ids except "cn-hongkong" and the listed non-mainland ids.
  bool IsMainland(std::string_view region) const;
};

// The defaults of rules.md, exactly.
Policy DefaultPolicy();

// Reads a TOML policy file and merges it over the defaults. Keys:
//   non_mainland_regions = ["cn-macau"]
//   [limits] sn_lookup_limit, sn_lookup_window_seconds, vhost_password_limit,
//            vhost_password_window_seconds, token_max_lifetime_days (0–3650, 0 = no maximum),
//            account_write_burst, account_writes_per_minute, token_write_burst,
//            token_writes_per_minute, import_burst, imports_per_minute,
//            notice_days (0–365), review_days (1–365)
//   [kinds.<kind>] min_months, needs_public_ip, quota, scope ("product"|"account"),
//                  issue ("on_request"|"automatic"|"never"), accepts_vhost_credentials
//   [audit] retention_days (0 = keep forever, else 7–36500)
// Errors (kInvalidPolicy) name the file, the key and the reason; unknown keys are errors.
Result<Policy> LoadPolicyFile(const std::string& path);
// Same, from TOML text; `origin` is used in error messages in place of a file name.
Result<Policy> ParsePolicy(std::string_view toml_text, std::string_view origin);

// The policy as TOML text, in the format LoadPolicyFile reads (round-trips).
std::string PolicyToToml(const Policy& p);

}  // namespace beian
