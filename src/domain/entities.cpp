#include "domain/entities.h"

namespace beian {

std::string_view RoleName(Role r) { return r == Role::kOperator ? "operator" : "customer"; }

std::optional<Role> ParseRole(std::string_view s) {
  if (s == "customer") return Role::kCustomer;
  if (s == "operator") return Role::kOperator;
  return std::nullopt;
}

}  // namespace beian
