#!/usr/bin/env bash
# make bench: the failover test (tests/failover, as make failover) on a local Patroni cluster;
# reports the unavailability window after the primary PostgreSQL and a beian node are killed.
#   bench/failover.bench.sh BUILD_DIR
set -euo pipefail
BUILD=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
report=$(mktemp)
trap 'rm -f "$report"' EXIT
BEIAN_BIN=$BUILD/beian FAILOVER_REPORT=$report node --test --test-concurrency=1 --test-timeout="${TEST_TIMEOUT_MS:-1200000}" tests/failover/
python3 - "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"SUMMARY|primary killed: unavailable (goal < 15000 ms)|{r['primary_unavailable_ms']} ms")
print(f"SUMMARY|beian node killed: unavailable|{r['node_unavailable_ms']} ms")
errs = ", ".join(f"{k}: {v}" for k, v in sorted(r['client_errors'].items())) or "none"
print(f"SUMMARY|client errors (each retried)|{errs}")
PY
