#include "domain/policy.h"

#include <algorithm>
#include <sstream>

namespace beian {

std::string_view QuotaScopeName(QuotaScope s) {
  return s == QuotaScope::kAccount ? "account" : "product";
}

std::string_view IssueModeName(IssueMode m) {
  switch (m) {
    case IssueMode::kAutomatic:
      return "automatic";
    case IssueMode::kNever:
      return "never";
    case IssueMode::kOnRequest:
      break;
  }
  return "on_request";
}

bool Policy::IsMainland(std::string_view region) const {
  if (!region.starts_with("cn-") || region == "cn-hongkong") return false;
  return std::find(non_mainland_regions.begin(), non_mainland_regions.end(), region) ==
         non_mainland_regions.end();
}

Policy DefaultPolicy() {
  using enum Kind;
  constexpr auto kProduct = QuotaScope::kProduct;
  constexpr auto kOnRequest = IssueMode::kOnRequest;
  Policy p;
  // min_months, needs_public_ip, quota, scope, issue, accepts_vhost_credentials (rules.md table).
  p.kinds[kEcs] = {3, true, 5, kProduct, kOnRequest, false};
  p.kinds[kSwas] = {3, true, 5, kProduct, kOnRequest, false};
  p.kinds[kVhost] = {3, false, 5, kProduct, kOnRequest, true};
  p.kinds[kSharedHost] = {3, false, 5, kProduct, kOnRequest, false};
  p.kinds[kWebHosting] = {6, false, 5, QuotaScope::kAccount, kOnRequest, false};
  p.kinds[kMarketplaceSite] = {12, false, 1, kProduct, IssueMode::kAutomatic, false};
  p.kinds[kNatGateway] = {1, true, 2, kProduct, kOnRequest, false};
  p.kinds[kEns] = {3, true, 5, kProduct, kOnRequest, false};
  p.kinds[kCxtShop] = {0, false, 0, kProduct, IssueMode::kNever, false};
  return p;
}

std::string PolicyToToml(const Policy& p) {
  std::ostringstream out;
  out << "# beian policy in force: the defaults of docs/rules.md merged with the policy file.\n";
  out << "non_mainland_regions = [";
  for (std::size_t i = 0; i < p.non_mainland_regions.size(); ++i) {
    // Region ids are checked to be [A-Za-z0-9._-]+ on load, so no escaping is needed.
    out << (i == 0 ? "" : ", ") << '"' << p.non_mainland_regions[i] << '"';
  }
  out << "]\n\n[limits]\n";
  out << "sn_lookup_limit = " << p.sn_lookup_limit << "\n";
  out << "sn_lookup_window_seconds = " << p.sn_lookup_window.count() << "\n";
  out << "vhost_password_limit = " << p.vhost_password_limit << "\n";
  out << "vhost_password_window_seconds = " << p.vhost_password_window.count() << "\n";
  out << "token_max_lifetime_days = " << p.token_max_lifetime_days << "\n";
  out << "account_write_burst = " << p.account_writes.burst << "\n";
  out << "account_writes_per_minute = " << p.account_writes.per_minute << "\n";
  out << "token_write_burst = " << p.token_writes.burst << "\n";
  out << "token_writes_per_minute = " << p.token_writes.per_minute << "\n";
  out << "import_burst = " << p.imports.burst << "\n";
  out << "imports_per_minute = " << p.imports.per_minute << "\n";
  out << "notice_days = " << p.notice_days << "\n";
  out << "review_days = " << p.review_days << "\n";
  out << "\n[audit]\nretention_days = " << p.audit_retention_days << "\n";
  for (Kind k : kAllKinds) {
    const KindPolicy& kp = p.For(k);
    out << "\n[kinds." << KindName(k) << "]\n";
    out << "min_months = " << kp.min_months << "\n";
    out << "needs_public_ip = " << (kp.needs_public_ip ? "true" : "false") << "\n";
    out << "quota = " << kp.quota << "\n";
    out << "scope = \"" << QuotaScopeName(kp.scope) << "\"\n";
    out << "issue = \"" << IssueModeName(kp.issue) << "\"\n";
    out << "accepts_vhost_credentials = " << (kp.accepts_vhost_credentials ? "true" : "false")
        << "\n";
  }
  return out.str();
}

}  // namespace beian
