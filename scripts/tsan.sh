#!/usr/bin/env bash
# Runs the ctest binaries of BUILD (default build-tsan, built with -DBEIAN_TSAN=ON) and the CLI and
# HTTP black-box tests against BUILD/beian under ThreadSanitizer, with a throw-away PostgreSQL.
# Every TSan report of any process (test binaries and the servers the node tests start) is written
# under BUILD/tsan-reports/; the run fails when a test fails or when any report was written.
# Suppressions: scripts/tsan.supp (third-party false positives only, each justified there).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-tsan}
reports="$PWD/$build/tsan-reports"
rm -rf "$reports"
mkdir -p "$reports"
export TSAN_OPTIONS="log_path=$reports/tsan second_deadlock_stack=1 history_size=4 \
suppressions=$PWD/scripts/tsan.supp ${TSAN_OPTIONS:-}"
export BEIAN_BIN="$build/beian"
rc=0
scripts/with_pg.sh bash -c "ctest --test-dir '$build' --output-on-failure && \
  node --test --test-concurrency=1 tests/cli/ tests/http/" || rc=$?
if compgen -G "$reports/tsan*" >/dev/null; then
  for f in "$reports"/tsan*; do echo "== $f"; head -80 "$f"; done >&2
  echo "tsan: ThreadSanitizer reported races (above; all in $reports)" >&2
  rc=1
fi
[ $rc -eq 0 ] && echo "tsan: clean"
exit $rc
