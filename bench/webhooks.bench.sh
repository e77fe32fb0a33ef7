#!/usr/bin/env bash
# Webhook delivery figures (issue 10): commit-to-delivery delay (p50, p99) and delivered messages
# per second to a local receiver. See bench/webhooks.js.
#   bench/webhooks.bench.sh BUILD_DIR
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/webhooks.bench.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
BEIAN_BIN="$BUILD/beian" exec node bench/webhooks.js
