#include "domain/access.h"

#include <array>

namespace beian {
namespace {

constexpr std::array<std::string_view, kScopeCount> kScopeNames = {
    "products:read", "numbers:read", "numbers:apply",   "numbers:grant",  "filings:read",
    "filings:write", "events:read",  "inventory:write", "filings:review", "accounts:admin"};
constexpr std::array<std::string_view, 3> kRoleNames = {"admin", "reviewer", "inventory"};

// Splits on spaces and commas, skipping empty parts.
template <class F>
bool ForEachWord(std::string_view text, F&& fn) {
  while (!text.empty()) {
    const std::size_t end = std::min(text.find_first_of(" ,"), text.size());
    if (end > 0 && !fn(text.substr(0, end))) return false;
    text.remove_prefix(end == text.size() ? end : end + 1);
  }
  return true;
}

}  // namespace

std::string_view ScopeName(Scope s) { return kScopeNames[static_cast<std::size_t>(s)]; }

std::optional<Scope> ParseScope(std::string_view name) {
  for (std::size_t i = 0; i < kScopeNames.size(); ++i) {
    if (kScopeNames[i] == name) return static_cast<Scope>(i);
  }
  return std::nullopt;
}

std::vector<std::string> ScopeNames(ScopeSet set) {
  std::vector<std::string> out;
  for (int i = 0; i < kScopeCount; ++i) {
    if (set & (1u << i)) out.emplace_back(kScopeNames[static_cast<std::size_t>(i)]);
  }
  return out;
}

std::string ScopeListText(ScopeSet set) {
  std::string out;
  for (const std::string& n : ScopeNames(set)) out += (out.empty() ? "" : " ") + n;
  return out;
}

std::optional<ScopeSet> ParseScopeList(std::string_view text) {
  ScopeSet set = 0;
  const bool ok = ForEachWord(text, [&](std::string_view w) {
    std::optional<Scope> s = ParseScope(w);
    if (s) set |= ScopeBit(*s);
    return s.has_value();
  });
  if (!ok) return std::nullopt;
  return set;
}

std::string_view OperatorRoleName(OperatorRole r) {
  return kRoleNames[static_cast<std::size_t>(r)];
}

std::optional<OperatorRole> ParseOperatorRole(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<OperatorRole>(i);
  }
  return std::nullopt;
}

std::vector<std::string> OperatorRoleNames(RoleSet set) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (set & (1u << i)) out.emplace_back(kRoleNames[i]);
  }
  return out;
}

std::string RoleListText(RoleSet set) {
  std::string out;
  for (const std::string& n : OperatorRoleNames(set)) out += (out.empty() ? "" : " ") + n;
  return out;
}

std::optional<RoleSet> ParseRoleList(std::string_view text) {
  RoleSet set = 0;
  const bool ok = ForEachWord(text, [&](std::string_view w) {
    std::optional<OperatorRole> r = ParseOperatorRole(w);
    if (r) set |= RoleBit(*r);
    return r.has_value();
  });
  if (!ok) return std::nullopt;
  return set;
}

ScopeSet AllowedScopes(bool is_operator, RoleSet roles) {
  if (!is_operator) return kCustomerScopes;
  ScopeSet s = ScopeBit(Scope::kProductsRead) | ScopeBit(Scope::kNumbersRead) |
               ScopeBit(Scope::kFilingsRead) | ScopeBit(Scope::kEventsRead);
  if (roles & RoleBit(OperatorRole::kAdmin)) s |= ScopeBit(Scope::kAccountsAdmin);
  if (roles & RoleBit(OperatorRole::kReviewer)) s |= ScopeBit(Scope::kFilingsReview);
  if (roles & RoleBit(OperatorRole::kInventory)) s |= ScopeBit(Scope::kInventoryWrite);
  return s;
}

}  // namespace beian
