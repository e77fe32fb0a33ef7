#!/usr/bin/env bash
# Installs every Debian and npm package beian needs; safe to re-run (installs only what is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(build-essential cmake pkg-config ccache git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-contrib
  libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev libsodium-dev libidn2-dev
  libcjose-dev libjansson-dev libcurl4-openssl-dev libssl-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  nginx wrk chromium fonts-wqy-microhei curl procps
  patroni etcd-server etcd-client haproxy python3-etcd bc python3
  clang libclang-rt-14-dev)
command -v node >/dev/null 2>&1 || pkgs+=(nodejs npm)
# make package-test: systemd-analyze (the systemd package's tools; systemd need not run) and adduser
# (the package's postinst).
pkgs+=(systemd adduser)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# nginx is only a benchmark baseline: never leave the distribution's default site running.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi

if [ -f tests/e2e/package-lock.json ] && { [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/oidc-provider ]; }; then
  (cd tests/e2e && npm ci --no-audit --no-fund)
fi
