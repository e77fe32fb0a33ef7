// Fuzz target: an NDJSON import (Service::Import, as `beian import` and POST /v1/imports run it)
// into a real SQLite store. Invariants: the import never fails as a whole on bad lines, every
// refused line is reported once with a code, and created + updated + failed never exceeds the
// number of lines.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>

#include "fuzz/world.h"

using namespace beian;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::World& w = fuzz::GetWorld();
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  Result<ImportReport> r = w.svc->Import(w.ops, in);
  fuzz::Check(r.ok(), "an import of any text succeeds (bad lines are reported, not fatal)");
  const ImportReport& rep = r.value();
  int64_t lines = 0;
  for (char c : text) lines += c == '\n';
  if (!text.empty() && text.back() != '\n') ++lines;
  fuzz::Check(rep.created + rep.updated + rep.failed_count <= lines, "no more outcomes than lines");
  fuzz::Check(static_cast<int64_t>(rep.failed.size()) ==
                  std::min<int64_t>(rep.failed_count, kImportFailuresListed),
              "the first refused lines are listed, up to the cap");
  std::set<int64_t> seen;
  for (const ImportLineError& e : rep.failed) {
    fuzz::Check(e.line >= 1 && e.line <= lines, "a failed line number is a line of the input");
    fuzz::Check(seen.insert(e.line).second, "a line is reported at most once");
    fuzz::Check(!e.code.empty() && !e.detail.empty(), "a failed line has a code and detail");
  }
  return 0;
}
