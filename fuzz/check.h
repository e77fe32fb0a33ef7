#pragma once
// Invariant checks of the fuzz targets.
#include <cstdio>
#include <cstdlib>

namespace beian::fuzz {

// Aborts with `what` when `cond` is false: a broken invariant is a finding like a crash.
inline void Check(bool cond, const char* what) {
  if (cond) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace beian::fuzz
