#!/usr/bin/env bash
# A highly available beian on this machine, from the files in deploy/ (loopback addresses only):
# one etcd, three PostgreSQL 15 servers under Patroni (synchronous replication), haproxy routing
# PostgreSQL connections to the current primary and HTTP over three `beian serve` nodes.
#
#   scripts/cluster.sh up DIR            start everything in DIR (new or empty); prints HTTP_URL=…,
#                                        PG_URL=… (also in DIR/cluster.env) once HTTP answers
#   scripts/cluster.sh kill-primary DIR  SIGKILL the primary's PostgreSQL and its Patroni (the loss
#                                        of its machine); prints the name of the killed server
#   scripts/cluster.sh kill-node DIR N   SIGKILL beian node N (1-3)
#   scripts/cluster.sh status DIR        the Patroni members and the beian nodes
#   scripts/cluster.sh down DIR          stop everything started in DIR and leave nothing running
#
# Environment: BEIAN_BIN (default build/beian), CLUSTER_NODES (beian nodes, default 3),
# CLUSTER_PG (PostgreSQL servers, 2 or 3, default 3), CLUSTER_TTL (Patroni leader TTL, default 8 s),
# CLUSTER_POLICY (a policy file every beian node is started with, default none).
# Patroni and PostgreSQL refuse to run as root: as root they run as the user postgres.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOST=127.0.0.1

die() { echo "cluster: $*" >&2; exit 1; }
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 2 ] || usage
cmd=$1
DIR=$2
shift 2

run_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  run_pg=(setpriv --reuid=postgres --regid=postgres --init-groups --reset-env)  # execs: the pid is Patroni's
fi

# Free ports on 127.0.0.1, all distinct.
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

secret() { head -c 18 /dev/urandom | base64 | tr '+/' 'xy'; }

# fill TEMPLATE OUT KEY=VALUE…: replaces each @KEY@ of TEMPLATE.
fill() {
  local template=$1 out=$2
  shift 2
  local text
  text=$(cat "$template")
  for kv in "$@"; do
    local k=${kv%%=*} v=${kv#*=}
    text=${text//@$k@/$v}
  done
  printf '%s\n' "$text" >"$out"
}

# wait_for SECONDS WHAT COMMAND…: runs COMMAND every 0.2 s until it succeeds.
wait_for() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what did not come up in ${limit}s (logs in $DIR/)"
    sleep 0.2
  done
}

# app_database ADMIN_URL PASSWORD: creates the role and database beian unless they exist.
app_database() {
  local q=(psql "$1" -v ON_ERROR_STOP=1 -qAt)
  [ "$("${q[@]}" -c "SELECT count(*) FROM pg_roles WHERE rolname = 'beian'")" = 1 ] ||
    "${q[@]}" -c "CREATE ROLE beian LOGIN PASSWORD '$2'" || return 1
  [ "$("${q[@]}" -c "SELECT count(*) FROM pg_database WHERE datname = 'beian'")" = 1 ] ||
    "${q[@]}" -c "CREATE DATABASE beian OWNER beian" || return 1
}

# start NAME COMMAND…: runs COMMAND in the background in its own session, logging to DIR/NAME.log;
# its pid goes to DIR/NAME.pid.
start() {
  local name=$1
  shift
  setsid "$@" >"$DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}

alive() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

# The postmaster pid of PostgreSQL server N and its children.
pg_pids() {
  local pm
  pm=$(head -1 "$DIR/pg$1/data/postmaster.pid" 2>/dev/null) || return 0
  [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null || return 0
  echo "$pm"
  ps -o pid= --ppid "$pm" || true
}

load_env() {
  [ -f "$DIR/ports.env" ] || die "$DIR holds no cluster (run: $0 up $DIR)"
  # shellcheck disable=SC1091
  . "$DIR/ports.env"
}

primary() {
  local i
  for i in $(seq 1 "$PG_COUNT"); do
    local var="REST_PORT_$i"
    if curl -fsS -o /dev/null --max-time 1 "http://$HOST:${!var}/primary" 2>/dev/null; then
      echo "$i"
      return 0
    fi
  done
  return 1
}

has_sync_standby() {
  [ "$(psql "$1" -qAtc "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")" -ge 1 ]
}

http_ready() { curl -fsS -o /dev/null --max-time 2 "$1/readyz"; }

cmd_up() {
  local bin=${BEIAN_BIN:-$ROOT/build/beian}
  [ -x "$bin" ] || die "no beian binary at $bin (run make build, or set BEIAN_BIN)"
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
  [ -x "$pgbin/postgres" ] || die "PostgreSQL 15 is not installed (run scripts/deps.sh)"
  for tool in etcd patroni haproxy curl psql; do
    command -v $tool >/dev/null || die "$tool is not installed (run scripts/deps.sh)"
  done
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  [ ! -f "$DIR/ports.env" ] || die "$DIR already holds a cluster (run: $0 down $DIR)"
  chmod 755 "$DIR"
  local pg_count=${CLUSTER_PG:-3} nodes=${CLUSTER_NODES:-3} ttl=${CLUSTER_TTL:-8}
  local ports
  read -r -a ports <<<"$(free_ports $((4 + 2 * pg_count + nodes)))"
  {
    echo "PG_COUNT=$pg_count"
    echo "NODE_COUNT=$nodes"
    echo "ETCD_CLIENT=${ports[0]}"
    echo "ETCD_PEER=${ports[1]}"
    echo "PG_FRONT=${ports[2]}"
    echo "HTTP_FRONT=${ports[3]}"
    for i in $(seq 1 "$pg_count"); do
      echo "PG_PORT_$i=${ports[$((2 + 2 * i))]}"
      echo "REST_PORT_$i=${ports[$((3 + 2 * i))]}"
    done
    for i in $(seq 1 "$nodes"); do echo "NODE_PORT_$i=${ports[$((3 + 2 * pg_count + i))]}"; done
  } >"$DIR/ports.env"
  load_env
  umask 077
  local su_pw rep_pw rw_pw app_pw
  su_pw=$(secret) rep_pw=$(secret) rw_pw=$(secret) app_pw=$(secret)

  # etcd
  mkdir -p "$DIR/etcd"
  fill "$ROOT/deploy/etcd/etcd.yml.in" "$DIR/etcd.yml" NAME=e1 DATA_DIR="$DIR/etcd/data" HOST=$HOST \
    CLIENT_PORT="$ETCD_CLIENT" PEER_PORT="$ETCD_PEER" INITIAL_CLUSTER="e1=http://$HOST:$ETCD_PEER"
  start etcd etcd --config-file "$DIR/etcd.yml"
  wait_for 30 etcd curl -fsS "http://$HOST:$ETCD_CLIENT/health"

  # PostgreSQL under Patroni; the first one bootstraps, the others clone it.
  for i in $(seq 1 "$PG_COUNT"); do
    local d="$DIR/pg$i" pgp="PG_PORT_$i" rp="REST_PORT_$i"
    mkdir -p "$d"
    fill "$ROOT/deploy/patroni/patroni.yml.in" "$d/patroni.yml" NAME="pg$i" HOST=$HOST \
      REST_PORT="${!rp}" PG_PORT="${!pgp}" ETCD_HOSTS="$HOST:$ETCD_CLIENT" TTL="$ttl" \
      DATA_DIR="$d/data" BIN_DIR="$pgbin" PGPASS="$d/pgpass" SOCKET_DIR="$d" CIDR="127.0.0.1/32" \
      SUPERUSER_PASSWORD="$su_pw" REPLICATION_PASSWORD="$rep_pw" REWIND_PASSWORD="$rw_pw"
    [ ${#run_pg[@]} -eq 0 ] || chown -R postgres "$d"
    start "patroni$i" "${run_pg[@]}" patroni "$d/patroni.yml"
    if [ "$i" -eq 1 ]; then wait_for 120 "the first PostgreSQL primary" primary; fi
  done

  # The application's role and database, through haproxy (so through the primary).
  local admin="postgresql://postgres:$su_pw@$HOST:$PG_FRONT/postgres"
  fill "$ROOT/deploy/haproxy/haproxy.cfg.in" "$DIR/haproxy.cfg" HOST=$HOST \
    PG_FRONT_PORT="$PG_FRONT" HTTP_FRONT_PORT="$HTTP_FRONT" \
    PG_SERVERS="$(for i in $(seq 1 "$PG_COUNT"); do
      p="PG_PORT_$i" r="REST_PORT_$i"
      echo "    server pg$i $HOST:${!p} check port ${!r}"
    done)" \
    HTTP_SERVERS="$(for i in $(seq 1 "$NODE_COUNT"); do
      p="NODE_PORT_$i"
      echo "    server node$i $HOST:${!p} check"
    done)"
  haproxy -c -q -f "$DIR/haproxy.cfg" || die "haproxy rejects $DIR/haproxy.cfg"
  start haproxy haproxy -W -db -f "$DIR/haproxy.cfg"
  wait_for 30 "PostgreSQL through haproxy" psql "$admin" -qAtc "SELECT 1"
  # Retried: the new primary may still drop a connection (a make bench run failed here once).
  wait_for 30 "the application's role and database" app_database "$admin" "$app_pw"
  local url="postgresql://beian:$app_pw@$HOST:$PG_FRONT/beian"
  {
    echo "PG_URL=$url"
    echo "PG_ADMIN_URL=$admin"
    echo "HTTP_URL=http://$HOST:$HTTP_FRONT"
  } >"$DIR/cluster.env"

  # The replicas: wait until one is the synchronous standby (acknowledged writes survive).
  wait_for 180 "a synchronous standby" has_sync_standby "$admin"

  "$bin" --db "$url" migrate >"$DIR/migrate.log" 2>&1 || die "beian migrate failed: $(cat "$DIR/migrate.log")"
  for i in $(seq 1 "$NODE_COUNT"); do
    local p="NODE_PORT_$i"
    start "node$i" "$bin" --db "$url" serve --listen "$HOST:${!p}" \
      ${CLUSTER_POLICY:+--policy "$CLUSTER_POLICY"}
  done
  for i in $(seq 1 "$NODE_COUNT"); do
    local p="NODE_PORT_$i"
    wait_for 30 "beian node $i" http_ready "http://$HOST:${!p}"
  done
  wait_for 30 "HTTP through haproxy" http_ready "http://$HOST:$HTTP_FRONT"
  echo "HTTP_URL=http://$HOST:$HTTP_FRONT"
  echo "PG_URL=$url"
}

cmd_kill_primary() {
  load_env
  local p
  p=$(primary) || die "no primary right now"
  local pids
  pids="$(cat "$DIR/patroni$p.pid") $(pg_pids "$p")"
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  echo "pg$p"
}

cmd_kill_node() {
  load_env
  local n=${1:-}
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le "$NODE_COUNT" ] || die "no beian node '$n'"
  alive "node$n" || die "beian node $n is not running"
  kill -KILL "$(cat "$DIR/node$n.pid")"
  echo "node$n"
}

cmd_status() {
  load_env
  for i in $(seq 1 "$PG_COUNT"); do
    local r="REST_PORT_$i"
    printf 'pg%s: %s\n' "$i" "$(curl -fsS --max-time 1 "http://$HOST:${!r}/patroni" 2>/dev/null |
      python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("role"), d.get("state"), d.get("sync_standby", ""))' 2>/dev/null || echo down)"
  done
  for i in $(seq 1 "$NODE_COUNT"); do
    local p="NODE_PORT_$i"
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://$HOST:${!p}/readyz" 2>/dev/null || true)
    printf 'node%s: %s\n' "$i" "$([ "${code:-000}" = 000 ] && echo down || echo "readyz $code")"
  done
}

# stop NAME: SIGTERM, then SIGKILL after 10 s.
stop() {
  alive "$1" || return 0
  local pid
  pid=$(cat "$DIR/$1.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cmd_down() {
  [ -d "$DIR" ] || return 0
  [ -f "$DIR/ports.env" ] || return 0
  load_env
  for i in $(seq 1 "$NODE_COUNT"); do stop "node$i"; done
  stop haproxy
  for i in $(seq 1 "$PG_COUNT"); do stop "patroni$i"; done
  # Patroni stops its PostgreSQL; one whose Patroni was killed is stopped here.
  for i in $(seq 1 "$PG_COUNT"); do
    local pids
    pids=$(pg_pids "$i")
    if [ -n "$pids" ]; then
      "${run_pg[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$DIR/pg$i/data" -m immediate stop >/dev/null 2>&1 ||
        kill -KILL $pids 2>/dev/null || true
    fi
  done
  stop etcd
  rm -rf "$DIR"
}

case $cmd in
  up) cmd_up ;;
  kill-primary) cmd_kill_primary ;;
  kill-node) cmd_kill_node "$@" ;;
  status) cmd_status ;;
  down) cmd_down ;;
  *) usage ;;
esac
