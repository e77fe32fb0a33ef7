#!/usr/bin/env bash
# Abuse figures (issue 14): a good client's latency during one-address connection floods, and the
# guesses that got through in concurrent bursts. See bench/abuse.js.
#   bench/abuse.bench.sh BUILD_DIR
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/abuse.bench.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
BEIAN_BIN="$BUILD/beian" exec node bench/abuse.js
