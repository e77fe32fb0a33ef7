// Fuzz target: website domains (domain/domain_name.h). Invariants: a refusal says why; an accepted
// name is lower-case ASCII of at most 253 octets with at least two labels of 1–63 octets, and
// normalising it again gives itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/domain_name.h"
#include "fuzz/check.h"

using namespace beian;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  Result<std::string> r = NormalizeDomain(in);
  if (!r.ok()) {
    fuzz::Check(!r.error().detail.en.empty(), "a refused domain says why");
    return 0;
  }
  const std::string& d = r.value();
  fuzz::Check(!d.empty() && d.size() <= 253, "1–253 octets");
  fuzz::Check(d.find('.') != std::string::npos, "at least two labels");
  std::size_t label = 0;
  for (char c : d) {
    fuzz::Check(static_cast<unsigned char>(c) < 0x80 && !(c >= 'A' && c <= 'Z'),
                "lower-case ASCII");
    label = c == '.' ? 0 : label + 1;
    fuzz::Check(label <= 63, "labels of at most 63 octets");
  }
  Result<std::string> again = NormalizeDomain(d);
  fuzz::Check(again.ok() && again.value() == d, "normalisation is idempotent");
  return 0;
}
