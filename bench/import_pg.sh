#!/usr/bin/env bash
# Times `beian import` of N new products (the line format of bench/scale.sh's import; one account
# per 10 products, created by the import) into a fresh, migrated PostgreSQL database, for each
# binary given, alternating, so that binaries are compared in one run on one server.
#   scripts/with_pg.sh bench/import_pg.sh "10000 100000" BIN [BIN...]
set -euo pipefail
: "${BEIAN_TEST_PG_ADMIN_URL:?run under scripts/with_pg.sh}"
SIZES=${1:?usage: bench/import_pg.sh SIZES BIN [BIN...]}
shift
work=$(mktemp -d /tmp/beian-import.XXXXXX)
trap 'rm -rf "$work"' EXIT
base=${BEIAN_TEST_PG_ADMIN_URL%/*}
for n in $SIZES; do
  awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "{\"id\":\"q%09d\",\"account_id\":\"cu%08d\",\"kind\":\"ecs\",\"name\":\"host-%d\",\"billing\":\"subscription\",\"region\":\"cn-hangzhou\",\"public_ips\":[\"10.%d.%d.%d\"],\"expires_at\":\"2030-01-01T00:00:00Z\",\"status\":\"running\"}\n", i, i % (n / 10), i, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' >"$work/import.ndjson"
  for bin in "$@"; do
    db_name=beian_import_$n
    psql "$BEIAN_TEST_PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db_name" -c "CREATE DATABASE $db_name" >/dev/null
    "$bin" --db "$base/$db_name" migrate >/dev/null
    t0=$(date +%s.%N)
    "$bin" --db "$base/$db_name" import "$work/import.ndjson" >"$work/out.json"
    t1=$(date +%s.%N)
    python3 - "$n" "$t0" "$t1" "$bin" "$work/out.json" <<'PY'
import sys, json
n, t0, t1, b = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
out = open(sys.argv[5]).read().strip()
s = t1 - t0
print(f"IMPORT|{b}|{n}|{s:.1f} s|{1000*s/n:.3f} ms/product|{n/s:.0f} products/s|{out[:160]}")
PY
    psql "$BEIAN_TEST_PG_ADMIN_URL" -qc "DROP DATABASE $db_name" >/dev/null
  done
done
