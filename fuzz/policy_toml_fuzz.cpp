// Fuzz target: the policy TOML (domain/policy.h ParsePolicy). Invariants: a refusal says why; an
// accepted policy has an entry for every kind and round-trips through PolicyToToml exactly.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/policy.h"
#include "fuzz/check.h"

using namespace beian;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  Result<Policy> r = ParsePolicy(in, "fuzz.toml");
  if (!r.ok()) {
    fuzz::Check(!r.error().detail.en.empty(), "a refused policy says why");
    return 0;
  }
  fuzz::Check(r.value().kinds.size() == DefaultPolicy().kinds.size(), "every kind has an entry");
  const std::string text = PolicyToToml(r.value());
  Result<Policy> again = ParsePolicy(text, "round-trip");
  fuzz::Check(again.ok(), "PolicyToToml output is accepted");
  fuzz::Check(PolicyToToml(again.value()) == text, "PolicyToToml round-trips");
  return 0;
}
