#!/usr/bin/env bash
# make package-test: installs build/beian_*.deb with apt, checks what it installed, has systemd
# verify the unit (systemd itself does not run on these machines), then runs the unit's own
# ExecStartPre and ExecStart lines, parsed from the installed unit file, as its user with its
# configuration file, checks that the server answers and takes a backup, and purges the package.
# Afterwards the machine is as before: no package, user, configuration or data left.
# Needs root (apt). Runs one at a time per machine (the package is system-wide).
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/../.."
deb=$(ls -t "$build"/beian_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "package-test: no $build/beian_*.deb (run make package)" >&2; exit 1; }
deb=$(realpath "$deb")
[ "$(id -u)" -eq 0 ] || { echo "package-test: needs root (apt-get install)" >&2; exit 1; }
exec 9>/tmp/beian-package-test.lock
flock 9
if dpkg-query -W -f='${Status}' beian 2>/dev/null | grep -q 'ok installed'; then
  echo "package-test: a beian package is installed on this machine already; not touching it" >&2
  exit 1
fi

unit=/lib/systemd/system/beian.service
conf=/etc/beian/beian.toml
work=$(mktemp -d /tmp/beian-package-test.XXXXXX)
server_pid=
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q beian >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "package-test: apt-get install $deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" >"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log" >&2; fail "apt-get install"; }

# What the package installed.
[ -x /usr/bin/beian ] || fail "/usr/bin/beian"
[ -f "$unit" ] || fail "$unit"
[ -f "$conf" ] || fail "$conf"
dpkg-query -W -f='${Conffiles}\n' beian | grep -q "$conf" || fail "$conf is not a conffile"
getent passwd beian >/dev/null || fail "no user beian"
[ "$(stat -c %U:%a /var/lib/beian)" = beian:750 ] || fail "/var/lib/beian: $(stat -c %U:%a /var/lib/beian)"
[ "$(stat -c %U:%G:%a "$conf")" = root:beian:640 ] || fail "$conf: $(stat -c %U:%G:%a "$conf")"
[ "$(getent passwd beian | cut -d: -f7)" != /bin/bash ] || fail "user beian has a login shell"

# systemd accepts the unit, and its hardening scores as "OK" or better (exposure below 3).
systemd-analyze verify "$unit" >"$work/verify.log" 2>&1 || { cat "$work/verify.log" >&2; fail "systemd-analyze verify"; }
[ ! -s "$work/verify.log" ] || { cat "$work/verify.log" >&2; fail "systemd-analyze verify warned"; }
exposure=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null | sed -n 's/.*Overall exposure level for beian.service: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] || fail "systemd-analyze security gave no exposure level"
awk -v e="$exposure" 'BEGIN { exit !(e < 3.0) }' || fail "exposure level $exposure (want < 3.0)"
echo "package-test: systemd-analyze verify ok; exposure level $exposure"
grep -q '^User=beian$' "$unit" || fail "the unit does not run as beian"
for opt in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes; do
  grep -q "^$opt$" "$unit" || fail "the unit lacks $opt"
done

# An administrator picks the port (this machine is shared: a free one), as they would in the file.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s/^listen = .*/listen = \"127.0.0.1:$port\"/" "$conf"
grep -q "^listen = \"127.0.0.1:$port\"$" "$conf" || fail "no listen line in $conf"

# The unit's own command lines, run as its user in its state directory.
pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
start=$(sed -n 's/^ExecStart=//p' "$unit")
[ -n "$pre" ] && [ -n "$start" ] || fail "no ExecStartPre/ExecStart in $unit"
as_beian() { (cd /var/lib/beian && exec setpriv --reuid=beian --regid=beian --init-groups -- "$@"); }
# shellcheck disable=SC2086 # the unit's lines are split into words as systemd does (no quoting in them)
as_beian $pre >"$work/pre.log" 2>&1 || { cat "$work/pre.log" >&2; fail "ExecStartPre: $pre"; }
grep -q '^schema at version' "$work/pre.log" || fail "ExecStartPre printed: $(cat "$work/pre.log")"
# shellcheck disable=SC2086
(cd /var/lib/beian && exec setpriv --reuid=beian --regid=beian --init-groups -- $start) \
  >"$work/out.log" 2>"$work/err.log" &
server_pid=$!  # beian itself (the subshell execs setpriv, which execs it)
for _ in $(seq 300); do
  grep -q "listening on http://127.0.0.1:$port" "$work/out.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/err.log" >&2; fail "ExecStart exited: $start"; }
  sleep 0.1
done
grep -q "listening on http://127.0.0.1:$port" "$work/out.log" || fail "the server did not listen on $port"
[ "$(curl -s "http://127.0.0.1:$port/readyz")" = ready ] || fail "/readyz"
[ "$(stat -c %U /var/lib/beian/beian.db)" = beian ] || fail "the database is not the service user's"
as_beian /usr/bin/beian --config "$conf" account add op --role operator >/dev/null || fail "account add"
token=$(as_beian /usr/bin/beian --config "$conf" token issue op)
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/me")" = 200 ] \
  || fail "GET /v1/me with a token"
as_beian /usr/bin/beian --config "$conf" backup /var/lib/beian/backup.db >/dev/null || fail "backup as beian"
kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
server_pid=
[ "$rc" -eq 0 ] || fail "serve exited $rc on SIGTERM: $(tail -3 "$work/err.log")"
echo "package-test: ExecStartPre and ExecStart as beian with $conf: served on $port, stopped cleanly"

DEBIAN_FRONTEND=noninteractive apt-get purge -y -q beian >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get purge"; }
for p in /usr/bin/beian "$unit" /etc/beian /var/lib/beian /usr/share/doc/beian; do
  [ ! -e "$p" ] || fail "$p is left after purge"
done
! getent passwd beian >/dev/null || fail "user beian is left after purge"
! getent group beian >/dev/null || fail "group beian is left after purge"
! dpkg-query -W beian >/dev/null 2>&1 || [ "$(dpkg-query -W -f='${db:Status-Abbrev}' beian)" = "un " ] \
  || fail "dpkg still knows beian: $(dpkg-query -W -f='${db:Status-Abbrev}' beian)"
echo "package-test: installed, verified, served, purged: ok"
