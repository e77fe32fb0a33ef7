#!/usr/bin/env bash
# Runs the libFuzzer targets of BUILD (default build-fuzz) for SECONDS each (default 300), one
# after the other: first every saved crash of fuzz/regressions/<target>/ is replayed (it must pass
# now), then the target fuzzes from its seed corpus fuzz/corpus/<target>/ (new inputs go to
# BUILD/corpus/<target>/, which later runs reuse). Prints executions and coverage per target and
# writes them to BUILD/fuzz-summary.txt. Exits 1 on any crash, leak, timeout or broken invariant;
# the input is saved under BUILD/artifacts/<target>/: add it to fuzz/regressions/<target>/ with
# the fix. Usage: scripts/fuzz.sh [BUILD] [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
seconds=${2:-300}
shift $(($# < 2 ? $# : 2))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/*_fuzz.cpp; do targets+=("$(basename "$f" _fuzz.cpp)"); done
fi

summary="$build/fuzz-summary.txt"
printf '%-16s %8s %12s %10s %8s %8s\n' target seconds executions exec/s cov ft >"$summary"
failed=0
for t in "${targets[@]}"; do
  bin="$build/fuzz/${t}_fuzz"
  [ -x "$bin" ] || { echo "fuzz: $bin is missing (make fuzz-build)" >&2; exit 1; }
  # Regressions: each saved input runs once and must not crash any more.
  regs=(fuzz/regressions/"$t"/*)
  if [ -e "${regs[0]}" ]; then
    echo "fuzz: $t: replaying ${#regs[@]} regression input(s)"
    if ! "$bin" -runs=1 "${regs[@]}" >"$build/$t.regressions.log" 2>&1; then
      tail -40 "$build/$t.regressions.log" >&2
      echo "fuzz: $t: a regression input fails again (log: $build/$t.regressions.log)" >&2
      failed=1
      continue
    fi
  fi
  work="$build/corpus/$t"
  artifacts="$build/artifacts/$t/"
  mkdir -p "$work" "$artifacts"
  opts=(-max_total_time="$seconds" -print_final_stats=1 -timeout=30 -rss_limit_mb=4096
        -max_len=8192 -artifact_prefix="$artifacts")
  [ -f "fuzz/dict/$t.dict" ] && opts+=(-dict="fuzz/dict/$t.dict")
  echo "fuzz: $t: ${seconds}s"
  log="$build/$t.log"
  if ! "$bin" "${opts[@]}" "$work" "fuzz/corpus/$t" >"$log" 2>&1; then
    tail -60 "$log" >&2
    echo "fuzz: $t: FAILED; input saved in $artifacts (log: $log)" >&2
    echo "fuzz: keep it as fuzz/regressions/$t/<name> and fix the bug" >&2
    failed=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-16s %8s %12s %10s %8s %8s\n' "$t" "$seconds" "${execs:--}" "${rate:--}" "${cov:--}" \
    "${ft:--}" >>"$summary"
done
cat "$summary"
exit $failed
