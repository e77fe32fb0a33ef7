#pragma once
// Who may do what: API scopes (what a credential may do) and operator roles (what an operator
// account may do). Pure values; no I/O.
//
// A credential's effective scopes are the scopes it was created with, intersected with the scopes
// its account may hold now (AllowedScopes): demoting an account narrows its tokens at once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace beian {

enum class Scope : uint8_t {
  kProductsRead,    // products:read
  kNumbersRead,     // numbers:read
  kNumbersApply,    // numbers:apply   (customers)
  kNumbersGrant,    // numbers:grant   (customers)
  kFilingsRead,     // filings:read
  kFilingsWrite,    // filings:write   (customers: submit, withdraw, cancel)
  kEventsRead,      // events:read
  kInventoryWrite,  // inventory:write (operators with the inventory role)
  kFilingsReview,   // filings:review  (operators with the reviewer role)
  kAccountsAdmin,   // accounts:admin  (operators with the admin role)
};
inline constexpr int kScopeCount = 10;

// A set of scopes as a bit mask (bit i = Scope i).
using ScopeSet = uint32_t;
inline constexpr ScopeSet kAllScopes = (1u << kScopeCount) - 1;
constexpr ScopeSet ScopeBit(Scope s) { return 1u << static_cast<unsigned>(s); }

std::string_view ScopeName(Scope s);  // "products:read", …
std::optional<Scope> ParseScope(std::string_view name);
// Names in Scope order, e.g. {"numbers:read", "filings:read"}.
std::vector<std::string> ScopeNames(ScopeSet set);
// "a b c" (space-separated, as stored) ↔ set; unknown names make ParseScopeList fail.
std::string ScopeListText(ScopeSet set);
std::optional<ScopeSet> ParseScopeList(std::string_view text);

// Operator roles. "role": "operator" without roles means all three.
enum class OperatorRole : uint8_t { kAdmin, kReviewer, kInventory };
using RoleSet = uint32_t;
inline constexpr RoleSet kAllOperatorRoles = 0b111;
constexpr RoleSet RoleBit(OperatorRole r) { return 1u << static_cast<unsigned>(r); }
std::string_view OperatorRoleName(OperatorRole r);  // "admin", "reviewer", "inventory"
std::optional<OperatorRole> ParseOperatorRole(std::string_view name);
std::vector<std::string> OperatorRoleNames(RoleSet set);
std::string RoleListText(RoleSet set);  // "admin reviewer" (as stored)
std::optional<RoleSet> ParseRoleList(std::string_view text);

// The scopes an account may hold: customers the seven customer scopes; operators the four read
// scopes plus the write scope of each role they hold.
ScopeSet AllowedScopes(bool is_operator, RoleSet roles);
inline constexpr ScopeSet kCustomerScopes =
    ScopeBit(Scope::kProductsRead) | ScopeBit(Scope::kNumbersRead) |
    ScopeBit(Scope::kNumbersApply) | ScopeBit(Scope::kNumbersGrant) |
    ScopeBit(Scope::kFilingsRead) | ScopeBit(Scope::kFilingsWrite) | ScopeBit(Scope::kEventsRead);

}  // namespace beian
