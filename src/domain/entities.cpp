#include "domain/entities.h"

namespace beian {
namespace {

bool IsLowerAlnum(char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z'); }
bool IsBase62(char ch) { return IsLowerAlnum(ch) || (ch >= 'A' && ch <= 'Z'); }

template <class Pred>
bool IdOf(std::string_view id, std::string_view prefix, std::size_t size, Pred ok) {
  if (id.size() != size || !id.starts_with(prefix)) return false;
  for (std::size_t i = prefix.size(); i < id.size(); ++i) {
    if (!ok(id[i])) return false;
  }
  return true;
}

}  // namespace

bool IsValidFilingId(std::string_view id) { return IdOf(id, "f-", 22, IsLowerAlnum); }
bool IsValidTokenId(std::string_view id) { return IdOf(id, "tok_", 20, IsBase62); }

std::string_view RoleName(Role r) { return r == Role::kOperator ? "operator" : "customer"; }

std::optional<Role> ParseRole(std::string_view s) {
  if (s == "customer") return Role::kCustomer;
  if (s == "operator") return Role::kOperator;
  return std::nullopt;
}

}  // namespace beian
