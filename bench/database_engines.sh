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
# BENCH_CONNECTIONS (per process, default 16). Needs wrk, curl and Debian's postgresql
# (scripts/install-deps.sh --test). Exit status 0 when every measurement ran.
set -euo pipefail
cd "$(dirname "$0")/.."

NEARHUB_BIN=${NEARHUB_BIN:-build/nearhub}
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
[[ -x $NEARHUB_BIN ]] || { echo "build $NEARHUB_BIN first (scripts/build.sh --target nearhub)" >&2; exit 1; }
for tool in wrk curl; do command -v $tool >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done

TMP=$(mktemp -d /tmp/nearhub-dbbench.XXXXXX)
chmod 755 "$TMP"  # the PostgreSQL cluster runs as the postgres user when we are root
SERVERS=()
cleanup() {
  for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/pg-test-cluster.sh stop "$TMP/pg" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# Starts one nearhub on DATABASE_URL with its own data dir; prints its base URL.
start_server() {
  local database=$1 name=$2
  NEARHUB_ACCESS_LOG=false NEARHUB_DATABASE=$database "$NEARHUB_BIN" serve --host 127.0.0.1 \
    --port 0 --io-threads 1 --worker-threads 2 --data-dir "$TMP/$name" \
    >"$TMP/$name.out" 2>"$TMP/$name.log" &
  SERVERS+=($!)
  for _ in $(seq 100); do
    local url
    url=$(grep -o 'http://[0-9.:]*' "$TMP/$name.out" 2>/dev/null || true)
    [[ -n $url ]] && { echo "$url"; return; }
    sleep 0.1
  done
  echo "nearhub did not start: $(cat "$TMP/$name.log")" >&2
  exit 1
}

stop_servers() {
  for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait "${SERVERS[@]}" 2>/dev/null || true
  SERVERS=()
}

# wrk script: method, path and the bearer token come from the environment.
cat >"$TMP/request.lua" <<'EOF'
wrk.method = os.getenv("BENCH_METHOD")
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
EOF

# Runs wrk against every URL at once (one wrk per process) and prints the summed req/s.
measure() {
  local method=$1 path=$2
  shift 2
  local outputs=() loads=()
  for url in "$@"; do
    local out="$TMP/wrk.$RANDOM"
    outputs+=("$out")
    BENCH_METHOD=$method BENCH_PATH=$path BENCH_TOKEN=$TOKEN \
      timeout $((DURATION + 30)) wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" \
      -s "$TMP/request.lua" "$url" >"$out" 2>&1 &
    loads+=($!)
  done
  wait "${loads[@]}"
  local total=0
  for out in "${outputs[@]}"; do
    grep -q "Non-2xx" "$out" && { echo "non-2xx answers: $(cat "$out")" >&2; exit 1; }
    total=$(awk -v t="$total" '/Requests\/sec/ {printf "%.0f", t + $2}' "$out")
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
    urls=()
    for i in $(seq "$processes"); do urls+=("$(start_server "$database" "$engine-$processes-$i")"); done
    curl -fsS -H "Authorization: Bearer $TOKEN" "${urls[0]}/v1/nonce/list" >/dev/null  # record the nonce
    RESULT[$engine.$processes.read]=$(measure GET /v1/nonce/list "${urls[@]}")
    RESULT[$engine.$processes.write]=$(measure POST "$WRITE_PATH" "${urls[@]}")
    stop_servers
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
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
  echo "  postgres/sqlite, $processes process(es): read $(ratio "${RESULT[postgres.$processes.read]}" "${RESULT[sqlite.$processes.read]}"), write $(ratio "${RESULT[postgres.$processes.write]}" "${RESULT[sqlite.$processes.write]}")"
done
for engine in sqlite postgres; do
  echo "  $engine two processes / one: read $(ratio "${RESULT[$engine.2.read]}" "${RESULT[$engine.1.read]}"), write $(ratio "${RESULT[$engine.2.write]}" "${RESULT[$engine.1.write]}")"
done
