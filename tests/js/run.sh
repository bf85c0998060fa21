#!/usr/bin/env bash
# Runs the JavaScript client tests with Node's test runner against a running nearhub.
#   tests/support/with_server.sh NEARHUB_BINARY tests/js/run.sh   (BASE_URL is appended)
set -euo pipefail
base_url=${1:?usage: run.sh BASE_URL}
cd "$(dirname "$0")"
npm ci --silent
NEARHUB_URL="$base_url" node --test --test-reporter=spec ./*.test.mjs
