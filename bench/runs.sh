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
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
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
WARMUP=1  # seconds of warm-up (not recorded) before each measured wrk run
TARGET_DELTA_P50_MS=5  # the original polls its deltas table every 50-100 ms

BENCH_NAME="runs bench"  # lib.sh's die prefix

require_tools wrk curl awk python3
require_executable "$NEARHUB_BIN" nearhub
require_executable "$FAKE_OPENAI_BIN" fake_openai_server

# Every idle stream is a socket in nearhub and one in the client (both inherit this limit).
raise_fd_limit $((STREAMS + 1024))

bench_tmpdir nearhub-runs-bench

# ---- the paced provider and the hub in front of it
start_server fake "$FAKE_OPENAI_BIN" --port 0 --models test-model --chunk-delay-ms "$CHUNK_DELAY_MS"
FAKE_URL=$SERVER_URL
cat >"$TMP/hub.toml" <<EOF
[providers.local]
base_url = "$FAKE_URL"
EOF
NEARHUB_ACCESS_LOG=false start_server hub "$NEARHUB_BIN" serve --host 127.0.0.1 --port 0 \
  --data-dir "$TMP/data" --config "$TMP/hub.toml" --io-threads "$HUB_IO" --worker-threads "$HUB_WORKERS"
HUB_PID=$SERVER_PID
URL=$SERVER_URL

# One implicit-account token for everything (nonces may repeat: the same signed token is reused).
"$NEARHUB_BIN" keys new --output "$TMP/credentials.json" >/dev/null
"$NEARHUB_BIN" token --credentials "$TMP/credentials.json" >"$TMP/token"
TOKEN=$(cat "$TMP/token")

# ---- a. message create and list
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
verdict=$(verdict "$p50" "$TARGET_DELTA_P50_MS" lt)
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
