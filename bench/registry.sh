#!/usr/bin/env bash
# bench/registry.sh — the registry at scale: list_entries over 100,000 entries (the default
# listing, a tag filter, starred_by) as ratios against GET /health, and download_file of a
# 10 MB file as a ratio against reading the same file from disk with cat — all in one run,
# because absolute figures on a shared 2-core machine mean little (bench/README.md).
#
#   bench/registry.sh                                  # 100,000 entries, 10 s per wrk run
#   BENCH_ENTRIES=20000 BENCH_DURATION=5 bench/registry.sh   # quick look
#
# Settings: NEARHUB_BIN (build/nearhub), BENCH_ENTRIES (100000), BENCH_DURATION (s, 10),
# BENCH_CONNECTIONS (16), BENCH_FILE_MB (10), BENCH_KEEP (1 keeps logs). Needs wrk, curl, python3.
# Exit status 0 when every measurement ran (whatever the ratios).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

NEARHUB_BIN=${NEARHUB_BIN:-build/nearhub}
ENTRIES=${BENCH_ENTRIES:-100000}
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
FILE_MB=${BENCH_FILE_MB:-10}
WARMUP=2  # seconds of warm-up (page cache, prepared statements) before each measured wrk run
BENCH_NAME=registry  # lib.sh's die prefix

require_tools wrk curl python3
require_executable "$NEARHUB_BIN" nearhub

bench_tmpdir nearhub-registry-bench

NEARHUB_ACCESS_LOG=false NEARHUB_REGISTRY_MAX_FILE_BYTES=$((FILE_MB * 2 * 1024 * 1024)) \
  start_server server "$NEARHUB_BIN" serve --host 127.0.0.1 --port 0 --io-threads 1 \
  --worker-threads 2 --data-dir "$TMP/data"
URL=$SERVER_URL

# Four implicit accounts, so entries are spread over namespaces as on a real hub.
TOKEN_FILES=()
for i in 1 2 3 4; do
  "$NEARHUB_BIN" keys new --output "$TMP/key$i.json" >/dev/null
  "$NEARHUB_BIN" token --credentials "$TMP/key$i.json" >"$TMP/token$i"
  TOKEN_FILES+=("$TMP/token$i")
done
ACCOUNT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["account_id"])' "$TMP/key1.json")
TOKEN=$(cat "$TMP/token1")

note "seeding $ENTRIES entries (every 100th tagged rare, 1000 starred) through the API"
seed_start=$(date +%s.%N)
python3 bench/registry_seed.py "$URL" "$ENTRIES" 100 1000 "${TOKEN_FILES[@]}"
seed_seconds=$(awk -v s="$seed_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
note "seeded in $seed_seconds s"

# Sanity: every listing answers what it should before it is timed.
check_count() {  # check_count QUERY MIN
  local count
  count=$(curl -fsS -X POST "$URL/v1/registry/list_entries?$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  [[ $count -ge $2 ]] || die "list_entries?$1 returned $count entries, expected >= $2"
}
check_count "total=32" 32
check_count "tags=rare&total=32" 32
check_count "starred_by=$ACCOUNT&total=32" 32

declare -A R
R[health]=$(measure health GET /health)
R[list]=$(measure list_default POST "/v1/registry/list_entries?total=32")
R[tag]=$(measure list_tag POST "/v1/registry/list_entries?tags=rare&total=32")
R[starred]=$(measure list_starred POST "/v1/registry/list_entries?starred_by=$ACCOUNT&total=32")

# A FILE_MB file, uploaded once, then downloaded over and over.
head -c $((FILE_MB * 1024 * 1024)) /dev/urandom >"$TMP/big.bin"
curl -fsS -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
  -d "{\"entry_location\":{\"namespace\":\"$ACCOUNT\",\"name\":\"big\",\"version\":\"1\"},\"metadata\":{\"category\":\"dataset\",\"description\":\"\",\"tags\":[],\"details\":{},\"show_entry\":true}}" \
  "$URL/v1/registry/upload_metadata" >/dev/null
curl -fsS -H "Authorization: Bearer $TOKEN" -F namespace="$ACCOUNT" -F name=big -F version=1 \
  -F path=big.bin -F file=@"$TMP/big.bin" "$URL/v1/registry/upload_file" >/dev/null
DOWNLOAD_BODY="{\"entry_location\":{\"namespace\":\"$ACCOUNT\",\"name\":\"big\",\"version\":\"1\"},\"path\":\"big.bin\"}"
curl -fsS -X POST -H "Content-Type: application/json" -d "$DOWNLOAD_BODY" \
  "$URL/v1/registry/download_file" -o "$TMP/downloaded.bin"
cmp -s "$TMP/big.bin" "$TMP/downloaded.bin" || die "download_file returned other bytes"
CONNECTIONS_SAVED=$CONNECTIONS
CONNECTIONS=1  # one download at a time, like the one cat it is compared with
R[download]=$(measure download POST /v1/registry/download_file "$DOWNLOAD_BODY")
CONNECTIONS=$CONNECTIONS_SAVED

# Baseline: the same file read from the page cache by cat, the same number of seconds.
cat "$TMP/big.bin" >/dev/null
cat_reads=0
cat_start=$(date +%s.%N)
cat_end=$(awk -v s="$cat_start" -v d="$DURATION" 'BEGIN { printf "%.3f", s + d }')
while awk -v now="$(date +%s.%N)" -v end="$cat_end" 'BEGIN { exit !(now < end) }'; do
  cat "$TMP/big.bin" >/dev/null
  cat_reads=$((cat_reads + 1))
done
cat_rps=$(awk -v n="$cat_reads" -v s="$cat_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", n / (e - s) }')

rps() { cut -d' ' -f1 <<<"${R[$1]}"; }
echo
echo "registry with $ENTRIES entries (seeded in $seed_seconds s); wrk -t1 -c$CONNECTIONS -d${DURATION}s; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %10s %10s %10s\n' target req/s p50_ms p99_ms
for key in health list tag starred download; do
  printf '%-22s %10s %10s %10s\n' "$key" ${R[$key]}
done
printf '%-22s %10s\n' "cat ${FILE_MB} MB" "$cat_rps"
echo
echo "ratios"
echo "  list_entries default / health:    $(ratio "$(rps list)" "$(rps health)")"
echo "  list_entries tags=rare / health:  $(ratio "$(rps tag)" "$(rps health)")"
echo "  list_entries starred_by / health: $(ratio "$(rps starred)" "$(rps health)")"
echo "  download_file ${FILE_MB} MB / cat:      $(ratio "$(rps download)" "$cat_rps")   (files per second, one at a time each)"
