#!/usr/bin/env bash
# bench/database_engines.sh — the authenticated read (GET /v1/nonce/list) and a write
# (POST /v1/delegation/delegate: a delete and an insert in one transaction) on PostgreSQL
# against the same on SQLite, with one nearhub process and with two processes sharing the
# database. One run, ratios only (the machine is shared and noisy; see bench/README.md).
#
#   bench/database_engines.sh                       # 10 s per measurement
#   BENCH_DURATION=3 bench/database_engines.sh      # quick look
#
# Settings: NEARHUB_BIN (default build/nearhub), BENCH_DURATION (s, default 10),
# BENCH_CONNECTIONS (per process, default 16), BENCH_KEEP (1 keeps logs). Needs wrk, curl and
# Debian's postgresql (scripts/install-deps.sh --test). Exit status 0 when every measurement ran.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

NEARHUB_BIN=${NEARHUB_BIN:-build/nearhub}
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
BENCH_NAME=database_engines  # lib.sh's die prefix

require_tools wrk curl
require_executable "$NEARHUB_BIN" nearhub

bench_tmpdir nearhub-dbbench
chmod 755 "$TMP"  # the PostgreSQL cluster runs as the postgres user when we are root
bench_cleanup_hook() { scripts/pg-test-cluster.sh stop "$TMP/pg" >/dev/null 2>&1; }

# start_hub DATABASE NAME — one nearhub on DATABASE with its own data dir; appends its URL to
# URLS (and its pid to PIDS, so stop_pids and the EXIT trap stop it).
start_hub() {
  NEARHUB_ACCESS_LOG=false NEARHUB_DATABASE=$1 start_server "$2" "$NEARHUB_BIN" serve \
    --host 127.0.0.1 --port 0 --io-threads 1 --worker-threads 2 --data-dir "$TMP/$2"
  URLS+=("$SERVER_URL")
}

# measure_all METHOD PATH URL... — wrk against every URL at once (one wrk per process); prints
# the summed req/s.
measure_all() {
  local method=$1 path=$2 i=0 logs=() loads=() total=0 log pid
  shift 2
  for url in "$@"; do
    log=$TMP/wrk-$method-$((++i))-$RANDOM.log
    logs+=("$log")
    run_wrk -c "$CONNECTIONS" -m "$method" -p "$path" -a "Bearer $TOKEN" "$url" "$url" \
      "$DURATION" "$log" &
    loads+=($!)
  done
  for pid in "${loads[@]}"; do wait "$pid" || die "wrk failed: $method $path"; done
  for log in "${logs[@]}"; do
    total=$(awk -v t="$total" -v r="$(log_field "$log" rps)" 'BEGIN { printf "%.0f", t + r }')
  done
  echo "$total"
}

"$NEARHUB_BIN" keys new --output "$TMP/key.json" >/dev/null
TOKEN=$("$NEARHUB_BIN" token --credentials "$TMP/key.json")
export TOKEN
WRITE_PATH="/v1/delegation/delegate?delegate_account_id=bench.near&expires_at=2099-01-01T00:00:00"

PG_URL=$(scripts/pg-test-cluster.sh start "$TMP/pg")
declare -A RESULT
for engine in sqlite postgres; do
  for processes in 1 2; do
    if [[ $engine == sqlite ]]; then database="sqlite:$TMP/$engine-$processes.db"; else
      database=$PG_URL; fi
    URLS=()
    for i in $(seq "$processes"); do start_hub "$database" "$engine-$processes-$i"; done
    curl -fsS -H "Authorization: Bearer $TOKEN" "${URLS[0]}/v1/nonce/list" >/dev/null  # record the nonce
    RESULT[$engine.$processes.read]=$(measure_all GET /v1/nonce/list "${URLS[@]}")
    RESULT[$engine.$processes.write]=$(measure_all POST "$WRITE_PATH" "${URLS[@]}")
    stop_pids
  done
done

ratio2() { ratio "$1" "$2" %.2f; }  # ratio2 A B — A ÷ B with 2 decimals
echo
echo "req/s ($DURATION s each, $CONNECTIONS connections per process, 1 I/O + 2 worker threads)"
printf '%-10s %-10s %10s %10s\n' engine processes read write
for engine in sqlite postgres; do
  for processes in 1 2; do
    printf '%-10s %-10s %10s %10s\n' "$engine" "$processes" "${RESULT[$engine.$processes.read]}" \
      "${RESULT[$engine.$processes.write]}"
  done
done
echo
echo "ratios"
for processes in 1 2; do
  echo "  postgres/sqlite, $processes process(es): read $(ratio2 "${RESULT[postgres.$processes.read]}" "${RESULT[sqlite.$processes.read]}"), write $(ratio2 "${RESULT[postgres.$processes.write]}" "${RESULT[sqlite.$processes.write]}")"
done
for engine in sqlite postgres; do
  echo "  $engine two processes / one: read $(ratio2 "${RESULT[$engine.2.read]}" "${RESULT[$engine.1.read]}"), write $(ratio2 "${RESULT[$engine.2.write]}" "${RESULT[$engine.1.write]}")"
done
