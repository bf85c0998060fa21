#!/usr/bin/env bash
# Starts build/nearhub on a free port in a temporary data directory, runs the JavaScript client
# tests against it with Node's test runner, and stops it.
#   tests/js/run.sh NEARHUB_BINARY
set -euo pipefail
binary=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$here" && npm ci --silent)

NEARHUB_ACCESS_LOG=false "$binary" serve --host 127.0.0.1 --port 0 --data-dir "$work/data" \
  >"$work/stdout" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/stdout")
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { echo "nearhub did not start"; cat "$work/server.log"; exit 1; }

cd "$here"
NEARHUB_URL="http://127.0.0.1:$port" node --test --test-reporter=spec ./*.test.mjs
