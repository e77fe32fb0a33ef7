#!/usr/bin/env bash
# Runs "$@" with a throw-away PostgreSQL 15 server on a free 127.0.0.1 port, exported as
# BEIAN_TEST_PG_URL (a database the command may use freely; more can be made with createdb).
# The server runs as a non-root user (it refuses root) and is stopped on exit, pass or fail.
# BEIAN_PG_FSYNC=off (make test) skips fsync: tests kill processes, never the machine, so what a
# committed transaction wrote is still read back; benchmarks keep the default, fsync=on.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "with_pg: PostgreSQL server binaries not found (run make deps)" >&2; exit 1; }

run_as=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  run_as=(runuser -u postgres --)
fi

dir=$(mktemp -d /tmp/beian-pg.XXXXXX)
chmod 755 "$dir"
[ ${#run_as[@]} -eq 0 ] || chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${run_as[@]}" "$bindir/initdb" -D "$dir/data" -U beian --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=300 -c shared_buffers=256MB -c fsync=${BEIAN_PG_FSYNC:-on}" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U beian beian_test

export BEIAN_TEST_PG_URL="postgresql://beian@127.0.0.1:$port/beian_test"
export BEIAN_TEST_PG_ADMIN_URL="postgresql://beian@127.0.0.1:$port/postgres"
export BEIAN_TEST_PG_BINDIR="$bindir"
export BEIAN_TEST_PG_LOG="$dir/server.log"  # the server log (bench/scale.sh reads the plans in it)
set +e
"$@"
rc=$?
set -e
exit $rc
