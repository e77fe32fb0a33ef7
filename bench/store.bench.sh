#!/usr/bin/env bash
# Store benchmarks with same-run baselines (bench/store_bench.cpp explains the apply figures):
#   1. apply throughput with durable commits, SQLite and PostgreSQL, on $BENCH_THREADS threads
#      (default 8) for $BENCH_SECONDS (default 3) each, $BENCH_REPETITIONS (default 3) times;
#   2. baselines: SQLite one INSERT per committed transaction (WAL, synchronous=FULL, same
#      threads); PostgreSQL `pgbench -N` (simple update) with as many clients, same server;
#   3. `beian import` of $BENCH_IMPORT_LINES (default 1000000) generated products into SQLite.
#   bench/store.bench.sh BUILD_DIR
# Every throughput figure is the median of its repetitions (the machine may be shared).
# Prints each figure, the apply/baseline ratios (goal >= 50%) and SUMMARY lines for bench/run.sh.
# PostgreSQL is a throw-away server (scripts/with_pg.sh); temporary files are removed on exit.
set -euo pipefail

BUILD=$(cd "${1:?usage: bench/store.bench.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
THREADS=${BENCH_THREADS:-8}
SECONDS_PER_RUN=${BENCH_SECONDS:-3}
REPETITIONS=${BENCH_REPETITIONS:-3}
IMPORT_LINES=${BENCH_IMPORT_LINES:-1000000}

work=$(mktemp -d /tmp/beian-store-bench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

[[ -x "$BUILD/beian_bench" ]] || { echo "store.bench: $BUILD/beian_bench is missing" >&2; exit 1; }

# Runs inside with_pg.sh: apply benchmarks (both backends), then pgbench on the same server.
cat >"$work/inner.sh" <<'EOF'
set -euo pipefail
work=$1 build=$2 threads=$3 seconds=$4 reps=$5
BEIAN_STORE_BENCH_DIR="$work" BEIAN_STORE_BENCH_PG_URL="$BEIAN_TEST_PG_URL" \
  BEIAN_STORE_BENCH_THREADS="$threads" BEIAN_STORE_BENCH_SECONDS="$seconds" \
  "$build/beian_bench" --benchmark_filter='^BM_Store' --benchmark_color=false \
  --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_out="$work/gbench.json" --benchmark_out_format=json
[[ $BEIAN_TEST_PG_URL =~ ^postgresql://([^@]+)@([^:]+):([0-9]+)/ ]]
conn=(-U "${BASH_REMATCH[1]}" -h "${BASH_REMATCH[2]}" -p "${BASH_REMATCH[3]}")
"$BEIAN_TEST_PG_BINDIR/createdb" "${conn[@]}" pgbench
"$BEIAN_TEST_PG_BINDIR/pgbench" "${conn[@]}" -q -i -s 10 pgbench >/dev/null 2>&1
for ((i = 0; i < reps; i++)); do
  "$BEIAN_TEST_PG_BINDIR/pgbench" "${conn[@]}" -N -c "$threads" -j "$threads" -T "$seconds" -n \
    pgbench 2>&1 | tee -a "$work/pgbench.txt" | grep -E '^tps'
done
EOF
scripts/with_pg.sh bash "$work/inner.sh" "$work" "$BUILD" "$THREADS" "$SECONDS_PER_RUN" "$REPETITIONS"

python3 - "$work/gbench.json" "$work/pgbench.txt" "$THREADS" <<'EOF'
import json, re, statistics, sys
runs = {}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("aggregate_name", "median") == "median" and "items_per_second" in b:
        parts = b.get("run_name", b["name"]).split("/")
        runs[parts[0] + "/" + parts[1]] = b["items_per_second"]
def rate(name):
    return runs.get(name)
tps = [float(t) for t in re.findall(r"^tps = ([0-9.]+)", open(sys.argv[2]).read(), re.M)]
pg_tps = statistics.median(tps) if tps else None
threads = sys.argv[3]
rows = [("sqlite apply/s", rate("BM_StoreApply/sqlite")),
        ("sqlite raw commits/s", rate("BM_StoreRawCommit/sqlite")),
        ("postgres apply/s", rate("BM_StoreApply/postgres")),
        ("postgres pgbench -N tps", pg_tps)]
print(f"\nstore throughput, {threads} threads/clients, durable commits")
for label, v in rows:
    print(f"  {label:26s} {'n/a' if v is None else f'{v:10.0f}'}")
    if v is not None:
        print(f"SUMMARY|{label} ({threads} thr)|{v:.0f}")
for label, a, b in [("sqlite apply/raw", rows[0][1], rows[1][1]),
                    ("postgres apply/pgbench", rows[2][1], rows[3][1])]:
    if a and b:
        print(f"  {label:26s} {100 * a / b:9.0f}%  (goal >= 50%)")
        print(f"SUMMARY|{label}|{100 * a / b:.0f}%")
EOF

# Import: generated ecs products (one account per 100 products), into a fresh SQLite database.
db="$work/import.db"
"$BUILD/beian" --db "sqlite:$db" migrate >/dev/null
python3 - "$IMPORT_LINES" >"$work/products.ndjson" <<'EOF'
import sys
n = int(sys.argv[1])
out = sys.stdout
for i in range(n):
    out.write('{"id":"i-%08d","account_id":"acct-%06d","kind":"ecs","name":"web-%d",'
              '"billing":"subscription","region":"cn-hangzhou","public_ips":["47.96.%d.%d"],'
              '"expires_at":"2031-11-27T00:00:00+08:00","status":"running"}\n'
              % (i, i // 100, i, (i >> 8) & 255, i & 255))
EOF
start=$(date +%s.%N)
"$BUILD/beian" --db "sqlite:$db" import "$work/products.ndjson" </dev/null 2>/dev/null
end=$(date +%s.%N)
python3 - "$IMPORT_LINES" "$start" "$end" <<'EOF'
import sys
n, s, e = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"\nimport of {n} products into SQLite: {e - s:.1f} s, {n / (e - s):.0f} lines/s")
print(f"SUMMARY|sqlite import {n} lines (s)|{e - s:.1f}")
print(f"SUMMARY|sqlite import lines/s|{n / (e - s):.0f}")
EOF
