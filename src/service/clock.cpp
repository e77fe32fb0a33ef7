#include <chrono>

#include "service/service.h"

namespace beian {

Clock SystemClock() {
  return [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
}

Principal SystemPrincipal() { return Principal{"system", Role::kOperator}; }

}  // namespace beian
