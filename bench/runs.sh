#!/usr/bin/env bash
# bench/runs.sh — threads, messages and run streams, in ONE run against one nearhub (SQLite):
#   a. POST /v1/threads/{id}/messages and GET .../messages?limit=20 on threads of 20 and of 1,000
#      messages, as req/s ratios against GET /health measured in the same round (wrk);
#   b. delta latency: a streamed chat completion for a run (header run_id) against a provider that
#      spaces its chunks; per chunk, the time between the completion client receiving it and a
#      subscriber of the run's stream receiving it as thread.message.delta (p50/p99);
#   c. 1,000 idle run streams held open: nearhub's VmRSS and thread count before and with them.
# b and c are bench/runs_bench.py (python3, standard library). See bench/README.md.
#
#   bench/runs.sh                                        # ~2 min
#   BENCH_DURATION=3 BENCH_ROUNDS=1 bench/runs.sh        # quick look
#
# Settings: NEARHUB_BIN (build/nearhub), FAKE_OPENAI_BIN (next to it), BENCH_DURATION (s per wrk
# run, 5), BENCH_ROUNDS (2; medians are reported), BENCH_CONNECTIONS (16), BENCH_HUB_IO /
# BENCH_HUB_WORKERS (nearhub --io-threads / --worker-threads, 1 / 4 = its defaults),
# BENCH_CHUNK_DELAY_MS (20), BENCH_CHUNKS (500), BENCH_STREAMS (1000), BENCH_KEEP (1 keeps logs).
# Exit status 0 when every measurement ran, whatever the verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."

NEARHUB_BIN=${NEARHUB_BIN:-build/nearhub}
FAKE_OPENAI_BIN=${FAKE_OPENAI_BIN:-$(dirname "$NEARHUB_BIN")/fake_openai_server}
DURATION=${BENCH_DURATION:-5}
ROUNDS=${BENCH_ROUNDS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
HUB_IO=${BENCH_HUB_IO:-1}
HUB_WORKERS=${BENCH_HUB_WORKERS:-4}
CHUNK_DELAY_MS=${BENCH_CHUNK_DELAY_MS:-20}
CHUNKS=${BENCH_CHUNKS:-500}
STREAMS=${BENCH_STREAMS:-1000}
KEEP=${BENCH_KEEP:-0}
TARGET_DELTA_P50_MS=5  # the original polls its deltas table every 50-100 ms

die() { echo "runs bench: $*" >&2; exit 1; }
note() { echo "-- $*" >&2; }

for tool in wrk curl awk python3; do
  command -v "$tool" >/dev/null || die "$tool not found (scripts/install-deps.sh --test installs wrk)"
done
[[ -x $NEARHUB_BIN ]] || die "$NEARHUB_BIN not found: build it with scripts/build.sh --target nearhub"
[[ -x $FAKE_OPENAI_BIN ]] || die "$FAKE_OPENAI_BIN not found: build the fake_openai_server target"

# Every idle stream is a socket in nearhub and one in the client (both inherit this limit).
needed_fds=$((STREAMS + 1024))
if [[ $(ulimit -n) != unlimited && $(ulimit -n) -lt $needed_fds ]]; then
  hard=$(ulimit -Hn)
  [[ $hard == unlimited || $hard -ge $needed_fds ]] || die "open-file limit $hard < $needed_fds"
  ulimit -n "$needed_fds"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/nearhub-runs-bench.XXXXXX")
PIDS=()
cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $KEEP == 1 || $status -ne 0 ]]; then echo "-- logs kept in $TMP" >&2; else rm -rf "$TMP"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { printf f, v }'; }  # fmt VALUE PRINTF_FORMAT
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
field() { sed -E "s/.*[ ]$1=([^ ]+).*/\1/" <<<" $2"; }  # field KEY LINE

wait_listening() {  # wait_listening LOG PID — prints the URL of the "listening on" line
  local url=""
  for _ in $(seq 100); do
    url=$(grep -o 'listening on http://[^ ]*' "$1" | sed 's/^listening on //') || true
    [[ -n $url ]] && { echo "$url"; return 0; }
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# ---- the paced provider and the hub in front of it
"$FAKE_OPENAI_BIN" --port 0 --models test-model --chunk-delay-ms "$CHUNK_DELAY_MS" \
  >"$TMP/fake.stdout" 2>"$TMP/fake.stderr" &
PIDS+=($!)
FAKE_URL=$(wait_listening "$TMP/fake.stdout" "${PIDS[-1]}") || { cat "$TMP/fake.stderr" >&2; die "fake_openai_server did not start"; }
cat >"$TMP/hub.toml" <<EOF
[providers.local]
base_url = "$FAKE_URL"
EOF
NEARHUB_ACCESS_LOG=false "$NEARHUB_BIN" serve --host 127.0.0.1 --port 0 --data-dir "$TMP/data" \
  --config "$TMP/hub.toml" --io-threads "$HUB_IO" --worker-threads "$HUB_WORKERS" \
  >"$TMP/hub.stdout" 2>"$TMP/hub.stderr" &
PIDS+=($!)
HUB_PID=${PIDS[-1]}
URL=$(wait_listening "$TMP/hub.stdout" "$HUB_PID") || { cat "$TMP/hub.stderr" >&2; die "nearhub did not start"; }

# One implicit-account token for everything (nonces may repeat: the same signed token is reused).
"$NEARHUB_BIN" keys new --output "$TMP/credentials.json" >/dev/null
"$NEARHUB_BIN" token --credentials "$TMP/credentials.json" >"$TMP/token"
TOKEN=$(cat "$TMP/token")

# ---- a. message create and list
cat >"$TMP/request.lua" <<'LUA'
wrk.method = os.getenv("BENCH_METHOD")
wrk.path = os.getenv("BENCH_PATH")
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
function done(summary, latency, requests)
  io.write(string.format("BENCH rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
LUA

# measure NAME METHOD PATH [BODY] — prints "rps p50 p99"; fails on any non-2xx answer.
measure() {
  local name=$1 method=$2 path=$3 body=${4:-} out=$TMP/wrk-$1.log line
  BENCH_METHOD=$method BENCH_PATH=$path BENCH_BODY=$body BENCH_TOKEN=$TOKEN \
    wrk -t1 -c"$CONNECTIONS" -d1s -s "$TMP/request.lua" "$URL" >/dev/null 2>&1  # warm-up
  BENCH_METHOD=$method BENCH_PATH=$path BENCH_BODY=$body BENCH_TOKEN=$TOKEN \
    timeout $((DURATION + 30)) wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s "$TMP/request.lua" "$URL" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed for $name"; }
  line=$(grep '^BENCH ' "$out") || { cat "$out" >&2; die "no wrk summary for $name"; }
  [[ $(field non2xx "$line") == 0 ]] || die "$name: non-2xx answers ($line)"
  echo "$(field rps "$line") $(field p50_ms "$line") $(field p99_ms "$line")"
}

new_thread() { python3 bench/runs_bench.py thread "$URL" "$TMP/token" "$1"; }
LIST20=$(new_thread 20)
LIST1000=$(new_thread 1000)
for thread in "$LIST20" "$LIST1000"; do  # every listing answers a full page before it is timed
  count=$(curl -fsS -H "Authorization: Bearer $TOKEN" "$URL/v1/threads/$thread/messages?limit=20" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]))')
  [[ $count == 20 ]] || die "messages?limit=20 on $thread returned $count messages"
done

CREATE_BODY='{"role":"user","content":"a benchmark message of about the usual length"}'
declare -A RPS P50 P99 RATIOS
TARGETS=(health list_20 list_1000 create_20 create_1000)
for round in $(seq "$ROUNDS"); do
  # Threads that take the created messages are fresh each round, so "20" and "1,000" hold for
  # the start of every round (the list threads are never written to).
  CREATE20=$(new_thread 20)
  CREATE1000=$(new_thread 1000)
  declare -A R=()
  for target in "${TARGETS[@]}"; do
    case $target in
      health) R[$target]=$(measure "$target-$round" GET /health) ;;
      list_20) R[$target]=$(measure "$target-$round" GET "/v1/threads/$LIST20/messages?limit=20") ;;
      list_1000) R[$target]=$(measure "$target-$round" GET "/v1/threads/$LIST1000/messages?limit=20") ;;
      create_20) R[$target]=$(measure "$target-$round" POST "/v1/threads/$CREATE20/messages" "$CREATE_BODY") ;;
      create_1000) R[$target]=$(measure "$target-$round" POST "/v1/threads/$CREATE1000/messages" "$CREATE_BODY") ;;
    esac
    read -r rps p50 p99 <<<"${R[$target]}"
    RPS[$target]+="$rps "; P50[$target]+="$p50 "; P99[$target]+="$p99 "
    note "round $round $target: $rps req/s, p50 $p50 ms, p99 $p99 ms"
  done
  health_rps=$(cut -d' ' -f1 <<<"${R[health]}")
  for target in "${TARGETS[@]}"; do
    RATIOS[$target]+="$(ratio "$(cut -d' ' -f1 <<<"${R[$target]}")" "$health_rps") "
  done
done

# ---- b. delta latency
note "b. delta latency: $CHUNKS chunks, ${CHUNK_DELAY_MS} ms apart"
DELTA=$(python3 bench/runs_bench.py delta-latency "$URL" "$TMP/token" --words "$CHUNKS") \
  || die "delta latency measurement failed"
[[ $(field missing "$DELTA") == 0 ]] || die "the subscriber missed deltas: $DELTA"
[[ $(field closed_by "$DELTA") == thread.run.completed ]] || die "the run stream did not end with thread.run.completed: $DELTA"

# ---- c. idle streams
note "c. $STREAMS idle run streams"
STREAMS_LINE=$(python3 bench/runs_bench.py idle-streams "$URL" "$TMP/token" --pid "$HUB_PID" \
  --streams "$STREAMS") || die "idle stream measurement failed"
[[ $(field completed "$STREAMS_LINE") == "$STREAMS" ]] || die "not every stream ended with thread.run.completed: $STREAMS_LINE"

# ---- report
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
echo
echo "== runs bench: nearhub io=$HUB_IO workers=$HUB_WORKERS, SQLite; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "a. messages (wrk -t1 -c$CONNECTIONS -d${DURATION}s, median of $ROUNDS rounds; ratio = req/s ÷ GET /health req/s of the same round)"
printf '%-36s %10s %9s %9s %8s   %s\n' target req/s p50_ms p99_ms ratio "per round"
for target in "${TARGETS[@]}"; do
  case $target in
    health) label="GET /health" ;;
    list_20) label="list limit=20, thread of 20" ;;
    list_1000) label="list limit=20, thread of 1,000" ;;
    create_20) label="create, thread of 20 (+ created)" ;;
    create_1000) label="create, thread of 1,000 (+ created)" ;;
  esac
  # shellcheck disable=SC2086
  printf '%-36s %10s %9s %9s %8s   %s\n' "$label" "$(fmt "$(median ${RPS[$target]})" %.0f)" \
    "$(fmt "$(median ${P50[$target]})" %.3f)" "$(fmt "$(median ${P99[$target]})" %.3f)" \
    "$(fmt "$(median ${RATIOS[$target]})" %.3f)" "${RATIOS[$target]}"
done
echo
p50=$(field p50_ms "$DELTA")
verdict=$(awk -v v="$p50" -v t="$TARGET_DELTA_P50_MS" 'BEGIN { print (v < t) ? "PASS" : "FAIL" }')
echo "b. delta latency: completion client -> run-stream subscriber, per chunk ($(field chunks "$DELTA") chunks, ${CHUNK_DELAY_MS} ms apart)"
printf '   p50 %s ms   p99 %s ms   min %s ms   max %s ms   mean %s ms   target p50 < %s ms: %s\n' \
  "$p50" "$(field p99_ms "$DELTA")" "$(field min_ms "$DELTA")" "$(field max_ms "$DELTA")" \
  "$(field mean_ms "$DELTA")" "$TARGET_DELTA_P50_MS" "$verdict"
echo
echo "c. $STREAMS idle run streams (GET /v1/threads/{id}/stream/{run_id}, one delegated run)"
printf '   VmRSS before %s MB, with the streams %s MB, after they closed %s MB: %s KB per stream\n' \
  "$(mb "$(field rss_before_kb "$STREAMS_LINE")")" "$(mb "$(field rss_with_kb "$STREAMS_LINE")")" \
  "$(mb "$(field rss_after_kb "$STREAMS_LINE")")" "$(field per_stream_kb "$STREAMS_LINE")"
printf '   threads before %s, with the streams %s, after %s\n' \
  "$(field threads_before "$STREAMS_LINE")" "$(field threads_with "$STREAMS_LINE")" \
  "$(field threads_after "$STREAMS_LINE")"
printf '   opened in %s s; thread.run.completed reached all %s streams %s ms after the status update\n' \
  "$(field open_s "$STREAMS_LINE")" "$(field completed "$STREAMS_LINE")" "$(field fanout_ms "$STREAMS_LINE")"
