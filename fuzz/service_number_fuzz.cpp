// Fuzz target: service-number codes (domain/service_number.h). Invariants: an accepted code is in
// canonical display form (29 characters, groups of five), canonical forms parse to themselves,
// and changing any one symbol of an accepted code is refused (the check symbol).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/service_number.h"
#include "fuzz/check.h"

using namespace beian;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::optional<std::string> sn = ParseServiceNumber(in);
  if (!sn) return 0;
  fuzz::Check(sn->size() == kSnDisplayLength, "display form has 29 characters");
  for (std::size_t i = 0; i < sn->size(); ++i) {
    fuzz::Check(((*sn)[i] == '-') == (i % 6 == 5), "groups of five joined by '-'");
  }
  fuzz::Check(ParseServiceNumber(*sn) == sn, "the display form parses to itself");
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const std::size_t pos = size > 0 ? data[0] % sn->size() : 0;
  if ((*sn)[pos] == '-') return 0;
  std::string changed = *sn;
  for (char c : kAlphabet) {
    if (c == (*sn)[pos]) continue;
    changed[pos] = c;
    fuzz::Check(!ParseServiceNumber(changed).has_value(), "one changed symbol is refused");
  }
  return 0;
}
