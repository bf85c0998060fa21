#!/usr/bin/env bash
# Runs COMMAND against a fresh nearhub: starts NEARHUB_BINARY on a free port with an empty data
# directory, waits for its "listening on http://HOST:PORT" line, runs COMMAND [ARGS...] BASE_URL,
# stops the server and exits with COMMAND's status. Prints the server's log when COMMAND fails.
#
# Usage: with_server.sh NEARHUB_BINARY COMMAND [ARGS...]
set -euo pipefail

binary=${1:?usage: with_server.sh NEARHUB_BINARY COMMAND [ARGS...]}
shift
(($# > 0)) || { echo "with_server.sh: no command" >&2; exit 2; }

# shellcheck source=test_database.sh
source "$(dirname "$0")/test_database.sh"

work=$(mktemp -d)
server_pid=
stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  drop_test_database
  rm -rf "$work"
}
trap stop_server EXIT

"$binary" serve --host 127.0.0.1 --port 0 --data-dir "$work/data" "${test_database_args[@]}" \
  >"$work/stdout" 2>"$work/stderr" &
server_pid=$!

base_url=
for _ in $(seq 300); do
  base_url=$(grep -o 'listening on http://[^ ]*' "$work/stdout" | sed 's/^listening on //') || true
  [[ -n $base_url ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "with_server.sh: nearhub exited before listening:" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z $base_url ]]; then
  echo "with_server.sh: nearhub printed no 'listening on' line within 30 s" >&2
  cat "$work/stderr" >&2
  exit 1
fi

status=0
"$@" "$base_url" || status=$?
if ((status != 0)); then
  echo "--- nearhub log ---" >&2
  tail -n 50 "$work/stderr" >&2
fi
exit "$status"
