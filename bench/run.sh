#!/usr/bin/env bash
# Runs every benchmark against an already built tree and prints a summary table.
#   bench/run.sh BUILD_DIR      (make bench: BUILD_DIR=build, after make build)
# 1. $BUILD/beian_bench (Google Benchmark: every bench/*_bench.cpp);
# 2. every executable bench/*.bench.sh, in name order, given BUILD_DIR as its only argument;
# 3. a summary table. A script contributes rows by printing lines "SUMMARY|<label>|<figure>".
# Exit status: 0 when every part ran, 1 otherwise (the other parts still run).
set -uo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: bench/run.sh BUILD_DIR" >&2
  exit 2
fi
if [[ ! -d "$1" ]]; then
  echo "bench/run.sh: build directory '$1' does not exist (run make build first)" >&2
  exit 1
fi
BUILD=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."

rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
failed=0

row() { printf '%s|%s|%s\n' "$1" "$2" "$3" >>"$rows"; }
section() { printf '\n===== %s =====\n' "$1"; }

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null)
row build "CMAKE_BUILD_TYPE" "${build_type:-unknown}"
if [[ $build_type != Release && $build_type != RelWithDebInfo ]]; then
  echo "bench/run.sh: warning: $BUILD is a '${build_type:-unknown}' build; figures are not representative"
fi

section "beian_bench (Google Benchmark)"
if [[ -x "$BUILD/beian_bench" ]]; then
  out=$(mktemp)
  "$BUILD/beian_bench" --benchmark_color=false 2>&1 | tee "$out"
  status=${PIPESTATUS[0]}
  # Figure lines: "BM_Name[/args]   <time> <unit>   <cpu> <unit>   <iterations> [counters]".
  awk '$1 ~ /^BM_/ && $3 ~ /^(ns|us|ms|s)$/ { print "beian_bench|" $1 "|" $2 " " $3 }' "$out" >>"$rows"
  rm -f "$out"
  if [[ $status -ne 0 ]]; then
    row beian_bench "(run)" "FAILED, exit $status"
    failed=1
  fi
else
  echo "$BUILD/beian_bench is missing (configure with -DBEIAN_BENCH=ON and build)"
  row beian_bench "(run)" "MISSING"
  failed=1
fi

for script in bench/*.bench.sh; do
  [[ -e "$script" ]] || continue
  name=$(basename "$script" .bench.sh)
  if [[ ! -x "$script" ]]; then
    row "$name" "(run)" "SKIPPED, not executable"
    continue
  fi
  section "$script"
  out=$(mktemp)
  "$script" "$BUILD" 2>&1 | tee "$out" | grep -v '^SUMMARY|'
  status=${PIPESTATUS[0]}
  grep '^SUMMARY|' "$out" | while IFS='|' read -r _ label figure; do
    row "$name" "$label" "$figure"
  done
  rm -f "$out"
  if [[ $status -ne 0 ]]; then
    row "$name" "(run)" "FAILED, exit $status"
    failed=1
  fi
done

section "summary"
awk -F'|' '
  { src[NR] = $1; label[NR] = $2; fig[NR] = $3
    if (length($1) > w1) w1 = length($1); if (length($2) > w2) w2 = length($2) }
  END {
    if (w1 < 6) w1 = 6; if (w2 < 6) w2 = 6
    printf "%-" w1 "s  %-" w2 "s  %s\n", "source", "figure", "value"
    for (i = 1; i <= NR; i++) printf "%-" w1 "s  %-" w2 "s  %s\n", src[i], label[i], fig[i]
  }' "$rows"
exit $failed
