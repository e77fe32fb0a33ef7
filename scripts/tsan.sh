#!/usr/bin/env bash
# Usage: scripts/tsan.sh [--quick] [BUILD]
#
# Runs tests against a ThreadSanitizer build (BUILD, default build-tsan, configured with
# -DBEIAN_TSAN=ON) with a throw-away PostgreSQL: the ctest binaries of BUILD, then the CLI and
# HTTP black-box tests with BEIAN_BIN=BUILD/beian, so the servers they start run under TSan too.
#
#   (default)  every ctest test and every test of tests/cli/ and tests/http/ (make tsan).
#   --quick    the bounded subset of make test (make tsan-test): the ctest tests QUICK_CTEST and
#              the HTTP suites QUICK_NODE below, i.e. the store and HTTP code that runs threads.
#
# Every TSan report of any process (test binaries and the servers the node tests start) is
# written under BUILD/tsan-reports/; the run fails when a test fails or when any report was
# written. Suppressions: scripts/tsan.supp (third-party false positives only, each justified).
set -euo pipefail
cd "$(dirname "$0")/.."
self="$PWD/scripts/tsan.sh"

args=("$@")
quick=0
if [ "${1:-}" = "--quick" ]; then
  quick=1
  shift
fi
build=${1:-build-tsan}

# The --quick subset (keep README.md, "Make targets", and the Makefile comment in step).
# ctest: store_test (every store and service test on SQLite and PostgreSQL: group commit, the
# pool, concurrent writers in threads and processes), store_unit_test (the WAL VFS) and
# http_unit_test (the auth cache and its watcher thread, metrics, the fault log, the in-process
# API), cli_unit_test (the job runner's threads). Left out: domain_test, codec_test and service_unit_test (single-threaded pure code).
QUICK_CTEST='^(store_test|store_unit_test|http_unit_test|cli_unit_test)$'
# node: the HTTP suites that drive the server concurrently (both back-ends each).
QUICK_NODE=(basics race revocation attempts ratelimits fairness limits)

# Everything below runs with a throw-away PostgreSQL (BEIAN_TEST_PG_URL; stopped when it ends).
[ -n "${BEIAN_TEST_PG_URL:-}" ] || exec scripts/with_pg.sh "$self" "${args[@]}"

# Some kernels randomise mmap more than the TSan runtime of GCC 12 allows (vm.mmap_rnd_bits
# above 28): every instrumented process then dies at start with "unexpected memory mapping".
# Re-run the whole script without address randomisation (inherited by every child, including the
# servers the node tests start); as root without setarch's personality, lower the sysctl instead
# and restore it on exit.
probe=$(mktemp)
trap 'rm -f "$probe"' EXIT
if ! "$build/beian" --help >/dev/null 2>"$probe"; then
  if grep -q "unexpected memory mapping" "$probe"; then
    if [ -z "${BEIAN_TSAN_NO_ASLR:-}" ] && setarch "$(uname -m)" -R true 2>/dev/null; then
      echo "tsan: the TSan runtime cannot map its shadow memory; re-running with setarch -R" >&2
      rm -f "$probe"
      BEIAN_TSAN_NO_ASLR=1 exec setarch "$(uname -m)" -R "$self" "${args[@]}"
    elif [ "$(id -u)" -eq 0 ]; then
      old_bits=$(cat /proc/sys/vm/mmap_rnd_bits)
      echo "tsan: lowering vm.mmap_rnd_bits from $old_bits to 28 for this run" >&2
      sysctl -qw vm.mmap_rnd_bits=28
      trap 'rm -f "$probe"; sysctl -qw vm.mmap_rnd_bits='"$old_bits" EXIT
    fi
  fi
  if ! "$build/beian" --help >/dev/null 2>"$probe"; then
    cat "$probe" >&2
    echo "tsan: $build/beian does not start under ThreadSanitizer (above)" >&2
    exit 1
  fi
fi

reports="$PWD/$build/tsan-reports"
rm -rf "$reports"
mkdir -p "$reports"
export TSAN_OPTIONS="log_path=$reports/tsan second_deadlock_stack=1 history_size=4 \
suppressions=$PWD/scripts/tsan.supp ${TSAN_OPTIONS:-}"
export BEIAN_BIN="$build/beian"
# Latency bounds of the HTTP tests (fairness: p99 < 50 ms) are performance claims that make
# http-test checks; TSan makes the server several times slower, so they are widened here.
export BEIAN_TEST_LATENCY_SCALE=10

if [ $quick -eq 1 ]; then
  ctest_args=(-R "$QUICK_CTEST")
  node_files=()
  for t in "${QUICK_NODE[@]}"; do node_files+=("tests/http/$t.test.js"); done
else
  ctest_args=()
  node_files=(tests/cli/ tests/http/)
fi

rc=0
ctest --test-dir "$build" --output-on-failure "${ctest_args[@]}" || rc=$?
node --test --test-concurrency=1 --test-timeout="${TEST_TIMEOUT_MS:-1200000}" "${node_files[@]}" || rc=$?
if compgen -G "$reports/tsan*" >/dev/null; then
  for f in "$reports"/tsan*; do echo "== $f"; head -80 "$f"; done >&2
  echo "tsan: ThreadSanitizer reported races (above; all in $reports)" >&2
  rc=1
fi
[ $rc -eq 0 ] && echo "tsan: clean"
exit $rc
