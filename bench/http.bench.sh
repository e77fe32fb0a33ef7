#!/usr/bin/env bash
# HTTP benchmark: GET /v1/products/{id} served by `beian serve` (SQLite, bearer token) against the
# same body served as a static file by nginx; then applies for numbers over HTTP (POST
# /v1/products/{id}/service-numbers, durable commits) round-robin over 64 products. The same GET
# also with the other credentials the server accepts (the cost of token checks, issue 9):
# `legacy`, a pre-schema-3 `bn_…` token (unkeyed BLAKE2b row, as migration 4 keeps them), and
# `jwt`, a gateway JWT (RS256) verified against the JWKS of a test issuer on 127.0.0.1
# (tests/http/lib/test_issuer.js). All on 127.0.0.1 only, each loaded by wrk for $BENCH_SECONDS
# (default 10) with 32 connections on 2 threads (the GET runs: see below), against one `beian serve`.
# The GET runs keep wrk and the server apart: wrk on the last CPU this script may use, nginx and
# beian on the others (taskset), each (wrk too) with one worker / I/O thread per CPU it was given. On a
# small machine a server sharing its cores with the load generator measures the scheduler: p99
# ratios of 0.2-2.9x between runs of the same two binaries. After a 2 s warm-up of each (not
# counted), nginx and beian are loaded in turn, BENCH_GET_ROUNDS times (default twice
# BENCH_ROUNDS) of BENCH_GET_SECONDS (default half of BENCH_SECONDS), the order reversed every other
# round; the medians are reported, and each round's p99 ratio. The applies run BENCH_ROUNDS
# times, one round after another on one server (each round adds its numbers to the database), and
# the medians are reported with every round's figures: on this ext4 disk one 10 s run of the same
# binary gave p99 anywhere from 8.7 to 14.9 ms within an hour. The apply runs use every CPU for
# beian, as before (on one core it was 10% slower). BENCH_PIN=0 pins nothing. The database is
# in a new directory under $TMPDIR (default /tmp). The target apply_tmpfs runs the applies again
# on a copy of it in /dev/shm, made before them, and prints the disk/tmpfs ratio: how much of
# their latency is the disk's.
#   bench/http.bench.sh BUILD_DIR     BENCH_TARGETS="nginx beian legacy jwt apply apply_tmpfs" (default)
#                                     or some of them
# Prints requests/s, p50 and p99 latency of each (the applies also p99.9 and max: whether their tail
# is the spread of the whole distribution or rare stalls), the GET ratios beian/nginx, and SUMMARY
# lines for bench/run.sh. Everything it starts is stopped and its temporary files removed on exit.
# beian's log (a line per request: ~100 MB over the GET runs) goes to tmpfs (/dev/shm) when there
# is one, as a deployment sends it to journald or another disk than the database's: on the
# database's ext4 file system the applies' fdatasyncs waited behind its writeback (apply p99
# 13-89 ms, max 90-200 ms, against 9-10 ms with the log on tmpfs, same binary).
set -euo pipefail

BUILD=$(cd "${1:?usage: bench/http.bench.sh BUILD_DIR}" && pwd)
BEIAN="$BUILD/beian"
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
GET_ROUNDS=${BENCH_GET_ROUNDS:-$((2 * ROUNDS))}
GET_SECONDS=${BENCH_GET_SECONDS:-$(((SECONDS_PER_RUN + 1) / 2))}
TARGETS=${BENCH_TARGETS:-nginx beian legacy jwt apply apply_tmpfs}
CONNECTIONS=32
THREADS=2
PRODUCT_ID=bench-ecs-1
PATH_UNDER_TEST="/v1/products/$PRODUCT_ID"

work=$(mktemp -d "${TMPDIR:-/tmp}/beian-http-bench.XXXXXX")
chmod 755 "$work"  # nginx workers may run as nobody and must read the static file
logs=$(mktemp -d /dev/shm/beian-http-bench.XXXXXX 2>/dev/null) || logs=$work
db="sqlite:$work/bench.db"  # what serve_beian serves (apply_tmpfs: a copy in $logs)
beian_pid=""
nginx_pid=""
issuer_pid=""

stop() {  # stop PID [seconds]: SIGTERM, then SIGKILL after the grace period
  local pid=$1 grace=${2:-5}
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$beian_pid"
  stop "$nginx_pid"
  stop "$issuer_pid"
  rm -rf "$work" "$logs"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "http.bench: $*" >&2; exit 1; }

# CPUs: wrk alone on the last one this script may use, the servers on the rest (when there are at
# least two and BENCH_PIN is not 0); SERVER_ON / WRK_ON prefix the commands.
read -r -a cpus < <(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)))')
SERVER_ON=()
WRK_ON=()
server_workers=${#cpus[@]}  # nginx's workers: one per CPU it has, as beian's I/O threads
GET_THREADS=$THREADS        # wrk's threads in the GET runs: one per CPU it has when pinned
if [[ ${BENCH_PIN:-1} != 0 && ${#cpus[@]} -ge 2 ]] && command -v taskset >/dev/null; then
  server_cpus=$(IFS=,; echo "${cpus[*]:0:${#cpus[@]}-1}")
  SERVER_ON=(taskset -c "$server_cpus")
  WRK_ON=(taskset -c "${cpus[-1]}")
  # nginx 1.22's `worker_processes auto` counts the machine's CPUs, not its affinity mask.
  server_workers=$((${#cpus[@]} - 1))
  # Two wrk threads on its one CPU took turns in scheduler slices: wrk ran at 0.95-0.97 of that CPU
  # and the p99 measured its own threads (p90 0.74 ms, p99 4.3 ms in one beian run). With one:
  # p99 0.64-0.66 ms against 0.72-1.56 ms in three alternating pairs.
  GET_THREADS=1
  echo "cpus: servers on $server_cpus, wrk on ${cpus[-1]} (GET runs)"
fi

free_port() {
  node -e 'const s = require("net").createServer();
           s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Waits until `pattern` appears in `file` (up to 20 s) while `pid` lives.
wait_for_line() {
  local file=$1 pattern=$2 pid=$3
  for ((i = 0; i < 200; i++)); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# --- the product body: from beian when it is benchmarked, else a stand-in of similar size -------
start_beian() {
  [[ -x "$BEIAN" ]] || die "$BEIAN not built"
  local expires
  expires=$(date -u -d '+1 year' +%Y-%m-%dT%H:%M:%SZ)
  for ((i = 1; i <= 64; i++)); do  # bench-ecs-1 for GET; all of them for apply
    printf '{"id":"bench-ecs-%d","account_id":"alice","kind":"ecs","name":"bench",%s}\n' "$i" \
      "\"billing\":\"subscription\",\"region\":\"cn-hangzhou\",\"public_ips\":[\"47.96.1.$i\"],\"expires_at\":\"$expires\",\"status\":\"running\""
  done >"$work/products.ndjson"
  # Applies must not run out of quota during the run: 64 products x 10,000 numbers.
  # and the write rate limits must not refuse them: the figure is the store's write path.
  printf '[limits]\naccount_write_burst = 1000000\naccount_writes_per_minute = 1000000\ntoken_write_burst = 1000000\ntoken_writes_per_minute = 1000000\n\n[kinds.ecs]\nquota = 10000\n' >"$work/policy.toml"
  "$BEIAN" --db "$db" migrate >/dev/null || die "beian migrate failed"
  "$BEIAN" --db "$db" account add alice --role customer >/dev/null || die "account add failed"
  token=$("$BEIAN" --db "$db" token issue alice | tail -n 1 | tr -d '[:space:]')
  [[ -n "$token" ]] || die "token issue printed no token"
  "$BEIAN" --db "$db" import "$work/products.ndjson" >/dev/null || die "import failed"
  local sso_args=()
  if want legacy; then  # a token made before schema 3: bn_ + 43 base64url characters
    legacy_token=$(python3 -c 'import secrets; print("bn_" + secrets.token_urlsafe(32))')
    local legacy_hash
    legacy_hash=$(python3 -c 'import hashlib, sys; print(hashlib.blake2b(sys.argv[1].encode(), digest_size=32).hexdigest())' "$legacy_token")
    sqlite3 "$work/bench.db" "INSERT INTO tokens (hash, account_id, created_at, id, name, scopes, creator) VALUES ('$legacy_hash', 'alice', strftime('%s','now'), 'tok_legacybench0000', 'legacy', 'products:read numbers:read numbers:apply numbers:grant filings:read filings:write events:read inventory:write filings:review accounts:admin', 'system')" ||
      die "cannot insert the legacy token"
  fi
  if want jwt; then  # a test issuer (JWKS over HTTP on 127.0.0.1) and one RS256 JWT for alice
    node -e 'const { newKey, sign, startIssuer } = require(process.argv[1]);
      const key = newKey("RS256");
      startIssuer([key]).then((iss) => {
        const now = Math.floor(Date.now() / 1000);
        console.log(iss.url);
        console.log(sign(key, { iss: iss.url, aud: "beian-bench", sub: "alice", iat: now, exp: now + 3600 }));
      });' "$(cd "$(dirname "$0")/.." && pwd)/tests/http/lib/test_issuer.js" >"$work/issuer.out" &
    issuer_pid=$!
    for ((i = 0; i < 100; i++)); do [[ $(wc -l 2>/dev/null <"$work/issuer.out") -ge 2 ]] && break; sleep 0.1; done
    issuer_url=$(sed -n 1p "$work/issuer.out")
    jwt=$(sed -n 2p "$work/issuer.out")
    [[ -n "$jwt" ]] || die "the test issuer did not start"
    sso_args=(--oidc-issuer "$issuer_url" --jwt-audience beian-bench)
  fi
  serve_args=(serve --listen 127.0.0.1:0 --policy "$work/policy.toml" "${sso_args[@]}")
  serve_beian "${SERVER_ON[@]}"
  local status
  status=$(curl -s -o "$work/body.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    --max-time 5 "$beian_url$PATH_UNDER_TEST") || die "GET $PATH_UNDER_TEST failed"
  [[ $status == 200 ]] || die "GET $PATH_UNDER_TEST answered $status: $(head -c 300 "$work/body.json")"
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" >"$work/auth.lua"
  local name cred
  for name in legacy jwt; do
    want "$name" || continue
    if [[ $name == legacy ]]; then cred=$legacy_token; else cred=$jwt; fi
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $cred" \
      --max-time 5 "$beian_url$PATH_UNDER_TEST") || die "GET $PATH_UNDER_TEST ($name) failed"
    [[ $status == 200 ]] || die "GET $PATH_UNDER_TEST with the $name credential answered $status"
    printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$cred" >"$work/auth-$name.lua"
  done
  cat >"$work/apply.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  local path = "/v1/products/bench-ecs-" .. (n % 64 + 1) .. "/service-numbers"
  return wrk.format("POST", path, {["Authorization"] = "Bearer $token"}, "")
end
-- The far tail, to tell a spread of the whole distribution from rare stalls.
done = function(summary, latency, requests)
  io.write(string.format("Tail: p99.9 %.3f ms, max %.3f ms\n",
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
LUA
}

# serve_beian [PREFIX...]: (re)starts `beian serve` (under PREFIX, e.g. taskset) on the bench database
# and sets beian_url.
serve_beian() {
  stop "$beian_pid"
  : >"$work/beian.out"
  "$@" "$BEIAN" --db "$db" "${serve_args[@]}" >"$work/beian.out" 2>>"$logs/beian.err" &
  beian_pid=$!
  wait_for_line "$work/beian.out" 'listening on http://' "$beian_pid" ||
    die "beian serve did not start: $(tail -n 5 "$logs/beian.err")"
  beian_url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/beian.out" | head -n 1)
  [[ -n "$beian_url" ]] || die "beian serve is not listening on 127.0.0.1"
}

stand_in_body() {
  node -e 'const p = {id: process.argv[1], account_id: "alice", kind: "ecs", name: "bench",
    billing: "subscription", region: "cn-hangzhou", public_ips: ["47.96.1.2"],
    expires_at: "2027-11-27T00:00:00+08:00", status: "running",
    eligibility: {can_apply: true, reasons: [], hints: [],
                  quota: {scope: "product", limit: 5, used: 0, remaining: 5}}};
    process.stdout.write(JSON.stringify(p));' "$PRODUCT_ID" >"$work/body.json"
}

start_nginx() {
  local ngx="$work/nginx" port
  mkdir -p "$ngx/www$(dirname "$PATH_UNDER_TEST")" "$ngx/tmp"
  cp "$work/body.json" "$ngx/www$PATH_UNDER_TEST"
  chmod -R a+rX "$ngx/www"
  for attempt in 1 2 3; do
    port=$(free_port)
    cat >"$ngx/nginx.conf" <<CONF
daemon off;
worker_processes $server_workers;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $ngx/tmp/body;
  proxy_temp_path $ngx/tmp/proxy;
  fastcgi_temp_path $ngx/tmp/fastcgi;
  uwsgi_temp_path $ngx/tmp/uwsgi;
  scgi_temp_path $ngx/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $ngx/www;
    default_type application/json;
  }
}
CONF
    "${SERVER_ON[@]}" nginx -p "$ngx" -e "$ngx/error.log" -c "$ngx/nginx.conf" >"$ngx/stdout" 2>&1 &
    nginx_pid=$!
    nginx_url="http://127.0.0.1:$port"
    for ((i = 0; i < 50; i++)); do
      if curl -sf -o /dev/null --max-time 2 "$nginx_url$PATH_UNDER_TEST"; then return 0; fi
      kill -0 "$nginx_pid" 2>/dev/null || break
      sleep 0.1
    done
    stop "$nginx_pid"
    nginx_pid=""
  done
  die "nginx did not start: $(tail -n 5 "$ngx/error.log" 2>/dev/null)"
}

# Converts a wrk latency ("812.00us", "1.20ms", "2.01s") to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

# run_wrk NAME URL [LUA]: loads URL and sets rps_NAME, p50_NAME, p99_NAME (ms), and p999_NAME and
# max_NAME when the script prints its "Tail:" line (apply.lua). wrk runs under the array WRK
# (empty: anywhere).
WRK=()
run_wrk() {
  local name=$1 url=$2 script=${3:-} out="$work/wrk-$1.txt" args=()
  [[ -n "$script" ]] && args=(-s "$script")
  echo "wrk: $name $url ($THREADS threads, $CONNECTIONS connections, ${SECONDS_PER_RUN}s)"
  timeout $((SECONDS_PER_RUN + 30)) "${WRK[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" \
    --timeout 5s --latency "${args[@]}" "$url" >"$out" || die "wrk against $name failed"
  sed 's/^/  /' "$out"
  if grep -q 'Non-2xx or 3xx responses' "$out"; then
    die "$name answered errors under load: $(grep 'Non-2xx' "$out")"
  fi
  printf -v "rps_$name" '%s' "$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  printf -v "p50_$name" '%s' "$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
  printf -v "p99_$name" '%s' "$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
  printf -v "p999_$name" '%s' "$(awk '$1 == "Tail:" { print $3 }' "$out")"
  printf -v "max_$name" '%s' "$(awk '$1 == "Tail:" { print $6 }' "$out")"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

want() { [[ " $TARGETS " == *" $1 "* ]]; }

if want beian || want apply || want apply_tmpfs || want legacy || want jwt; then
  start_beian
else
  stand_in_body
fi
echo "body: $(wc -c <"$work/body.json") bytes"
if want nginx; then start_nginx; fi

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
  if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

WRK=("${WRK_ON[@]}")
# get_round NAME ROUND [SECONDS]: one GET run of nginx or beian.
get_round() {
  local url=$nginx_url lua=()
  [[ $1 == beian ]] && url=$beian_url lua=("$work/auth.lua")
  THREADS=$GET_THREADS SECONDS_PER_RUN=${3:-$GET_SECONDS} \
    run_wrk "$1_r$2" "$url$PATH_UNDER_TEST" "${lua[@]}"
}
# A short run of each first, not counted: on this VM the first seconds of load after an idle
# spell were the slowest for both servers (p99 2.3-3.7 ms, then 1.0-1.3 ms).
for t in nginx beian; do want "$t" && get_round "$t" warmup 2; done
# nginx and beian in turn, GET_ROUNDS times, the order reversed every other round (nginx, beian,
# beian, nginx, ...): the machine's slow minutes, and any drift over the run, fall on both.
for ((round = 1; round <= GET_ROUNDS; round++)); do
  order=(nginx beian)
  ((round % 2 == 0)) && order=(beian nginx)
  for t in "${order[@]}"; do want "$t" && get_round "$t" "$round"; done
done
# rounds NAME [N]: sets rps_NAME, p50_NAME, p99_NAME (and p999_NAME, max_NAME when every run has
# them) to the medians of the runs NAME_r1 .. NAME_rN (N: ROUNDS), and all_rps_NAME, all_p99_NAME, ... to every
# round's figure. A figure some round lacks is left unset, never a median of fewer rounds.
rounds() {
  local v i r all n=${2:-$ROUNDS}
  for v in rps p50 p99 p999 max; do
    all=()
    for ((i = 1; i <= n; i++)); do r="${v}_$1_r$i"; [[ -n "${!r:-}" ]] && all+=("${!r}"); done
    [[ ${#all[@]} -eq n ]] || continue
    printf -v "${v}_$1" '%s' "$(median "${all[@]}")"
    printf -v "all_${v}_$1" '%s' "${all[*]}"
  done
}
for t in nginx beian; do
  want "$t" && rounds "$t" "$GET_ROUNDS"
done
# run_rounds NAME URL LUA: run_wrk NAME_r1 .. NAME_rROUNDS one after another, then rounds NAME.
run_rounds() {
  local round
  for ((round = 1; round <= ROUNDS; round++)); do run_wrk "$1_r$round" "$2" "$3"; done
  rounds "$1"
}
want legacy && THREADS=$GET_THREADS run_wrk legacy "$beian_url$PATH_UNDER_TEST" "$work/auth-legacy.lua"
want jwt && THREADS=$GET_THREADS run_wrk jwt "$beian_url$PATH_UNDER_TEST" "$work/auth-jwt.lua"
WRK=()
tmpfs_db=""
if want apply_tmpfs; then  # the same database, copied before the applies, next to the logs
  # The log grows to about 120 MiB during the run (SqliteCheckpointer): skip on a small /dev/shm.
  shm_free_kib=$(df --output=avail -k "$logs" | tail -n 1 | tr -d ' ')
  if [[ $logs == "$work" || $shm_free_kib -lt 1048576 ]]; then
    echo "apply_tmpfs: no /dev/shm with 1 GiB free, skipped"
  else
    tmpfs_db="$logs/apply-tmpfs.db"
    "$BEIAN" --db "$db" backup "$tmpfs_db" >/dev/null || die "beian backup failed"
  fi
fi
if want apply; then
  if [[ ${#SERVER_ON[@]} -gt 0 ]]; then serve_beian; fi  # on every CPU again
  run_rounds apply "$beian_url" "$work/apply.lua"
fi
if [[ -n "$tmpfs_db" ]]; then
  db="sqlite:$tmpfs_db"
  serve_beian
  run_rounds apply_tmpfs "$beian_url" "$work/apply.lua"
fi

echo
printf '%-12s %12s %10s %10s\n' target 'requests/s' 'p50 ms' 'p99 ms'
for t in nginx beian legacy jwt; do
  want "$t" || continue
  rps="rps_$t" p50="p50_$t" p99="p99_$t"
  printf '%-12s %12s %10s %10s\n' "$t" "${!rps}" "${!p50}" "${!p99}"
  if [[ $t == nginx || $t == beian ]]; then
    all_rps="all_rps_$t" all_p99="all_p99_$t"
    printf '  %s rounds: requests/s %s; p99 ms %s (medians above)\n' "$t" "${!all_rps}" "${!all_p99}"
  fi
  label=$t
  [[ $t == legacy ]] && label="beian (legacy bn_ token)"
  [[ $t == jwt ]] && label="beian (gateway JWT)"
  echo "SUMMARY|$label GET $PATH_UNDER_TEST|${!rps} req/s, p50 ${!p50} ms, p99 ${!p99} ms"
done
for t in legacy jwt; do
  want beian && want "$t" || continue
  rps="rps_$t"
  echo "SUMMARY|$t/beian_ token ratio|requests/s $(ratio "${!rps}" "$rps_beian")x"
done
if want nginx && want beian; then
  r_rps=$(ratio "$rps_beian" "$rps_nginx")
  r_p50=$(ratio "$p50_beian" "$p50_nginx")
  r_p99=$(ratio "$p99_beian" "$p99_nginx")
  printf '%-12s %11sx %9sx %9sx\n' beian/nginx "$r_rps" "$r_p50" "$r_p99"
  # Each round's pair (run next to each other): beian's p99 over nginx's, and how often it was not
  # worse, so that one slow minute on one side shows as what it is.
  pair_p99=() not_worse=0
  for ((i = 1; i <= GET_ROUNDS; i++)); do
    b="p99_beian_r$i" n="p99_nginx_r$i"
    pair_p99+=("$(ratio "${!b}" "${!n}")")
    awk -v b="${!b}" -v n="${!n}" 'BEGIN { exit !(b <= n) }' && not_worse=$((not_worse + 1))
  done
  printf '  p99 beian/nginx by round: %s; not worse than nginx in %d of %d\n' \
    "${pair_p99[*]}" "$not_worse" "$GET_ROUNDS"
  echo "SUMMARY|beian/nginx ratio|requests/s ${r_rps}x, p50 ${r_p50}x, p99 ${r_p99}x (medians of $GET_ROUNDS rounds; p99 not worse than nginx's in $not_worse of $GET_ROUNDS rounds: ${pair_p99[*]})"
fi
# report_apply NAME LABEL: the row, every round's figures and the SUMMARY line of an apply target.
report_apply() {
  local n=$1 label=$2 rps="rps_$1" p50="p50_$1" p99="p99_$1" p999="p999_$1"
  local all_rps="all_rps_$1" all_p99="all_p99_$1" all_p999="all_p999_$1" all_max="all_max_$1"
  printf '%-12s %12s %10s %10s\n' "$n" "${!rps}" "${!p50}" "${!p99}"
  printf '  %s rounds: requests/s %s; p99 ms %s; p99.9 ms %s; max ms %s (medians above)\n' \
    "$n" "${!all_rps}" "${!all_p99}" "${!all_p999}" "${!all_max}"
  echo "SUMMARY|$label|${!rps} req/s, p50 ${!p50} ms, p99 ${!p99} ms, p99.9 ${!p999} ms (medians; rounds: p99 ${!all_p99// /, } ms)"
}
want apply && report_apply apply "beian POST /v1/products/{id}/service-numbers"
if [[ -n "$tmpfs_db" ]]; then
  report_apply apply_tmpfs "beian POST /v1/products/{id}/service-numbers, database on tmpfs"
  if want apply; then
    echo "SUMMARY|apply disk/tmpfs ratio|requests/s $(ratio "$rps_apply" "$rps_apply_tmpfs")x, p99 $(ratio "$p99_apply" "$p99_apply_tmpfs")x"
  fi
fi
