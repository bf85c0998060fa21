#!/usr/bin/env bash
# bench/inference_gateway.sh — what the inference gateway adds: the same chat requests sent
# straight to an OpenAI-compatible upstream (tests/support/fake_openai, answers in microseconds)
# and through nearhub configured with that upstream as its provider, in ONE run. Reports the
# added latency (hub − direct, p50 and p99) and the throughput ratio (hub ÷ direct), for plain
# chat and for streamed chat, plus the added time to first token of a stream (bench/ttft.py).
# A second upstream takes BENCH_ANSWER_DELAY_MS to answer and BENCH_CHUNK_DELAY_MS between
# streamed chunks, as a model does: the throughput ratios against it show whether the hub holds
# requests and streams in flight without capping them, which the instant upstream (where the
# hub and the upstream share the CPU) cannot show.
#
#   bench/inference_gateway.sh                          # 5 s runs, 3 rounds
#   BENCH_DURATION=3 BENCH_ROUNDS=1 bench/inference_gateway.sh    # quick look
#
# Settings (environment variables):
#   NEARHUB_BIN          nearhub binary                       (default: build/nearhub)
#   FAKE_OPENAI_BIN      fake upstream binary                 (default: next to NEARHUB_BIN)
#   BENCH_DURATION       seconds per measured run             (default: 5)
#   BENCH_WARMUP         seconds of warm-up per target        (default: 2)
#   BENCH_ROUNDS         rounds; the median is kept           (default: 3)
#   BENCH_CONNECTIONS    wrk connections of throughput runs   (default: 32)
#   BENCH_LATENCY_CONNECTIONS  connections of latency runs    (default: 1: no queueing, so the
#                        difference is the gateway's own cost)
#   BENCH_ANSWER_DELAY_MS  answer time of the "thinking" upstream (default: 50)
#   BENCH_CHUNK_DELAY_MS   its pause between streamed chunks (default: 5)
#   BENCH_HUB_IO / BENCH_HUB_WORKERS  nearhub --io-threads / --worker-threads (default: 1 / 4,
#                        nearhub's defaults)
#   BENCH_KEEP           1 = keep the temp dir with every log
#
# Exit status: 0 when every measurement ran, whatever the verdicts; non-zero when something
# failed to run (a server did not start, a non-2xx answer, wrk failed).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

NEARHUB_BIN=${NEARHUB_BIN:-build/nearhub}
FAKE_OPENAI_BIN=${FAKE_OPENAI_BIN:-$(dirname "$NEARHUB_BIN")/fake_openai_server}
DURATION=${BENCH_DURATION:-5}
WARMUP=${BENCH_WARMUP:-2}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
LAT_CONNECTIONS=${BENCH_LATENCY_CONNECTIONS:-1}
HUB_IO=${BENCH_HUB_IO:-1}
HUB_WORKERS=${BENCH_HUB_WORKERS:-4}
ANSWER_DELAY_MS=${BENCH_ANSWER_DELAY_MS:-50}
CHUNK_DELAY_MS=${BENCH_CHUNK_DELAY_MS:-5}

# Targets (see bench/README.md).
TARGET_ADDED_P50_MS=0.5   # hub p50 − direct p50, one connection, plain chat
TARGET_RATIO=0.7          # hub req/s ÷ direct req/s, plain chat and streamed chat

BENCH_NAME=inference_gateway  # lib.sh's die prefix

require_tools wrk curl awk python3
require_executable "$NEARHUB_BIN" nearhub
require_executable "$FAKE_OPENAI_BIN" fake_openai_server

bench_tmpdir nearhub-gateway-bench

calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }  # calc EXPRESSION — awk arithmetic, 3 decimals

# ---- the upstream and the hub in front of it
start_server fake "$FAKE_OPENAI_BIN" --port 0 --models test-model --io-threads 1 --worker-threads 2
FAKE_URL=$SERVER_URL
# One sleeping worker per request in flight, and some to spare.
start_server thinking "$FAKE_OPENAI_BIN" --port 0 --models test-model --io-threads 1 \
  --worker-threads $((CONNECTIONS + 8)) --answer-delay-ms "$ANSWER_DELAY_MS" \
  --chunk-delay-ms "$CHUNK_DELAY_MS"
THINKING_URL=$SERVER_URL

cat >"$TMP/hub.toml" <<EOF
[providers.local]
base_url = "$FAKE_URL"

[providers.thinking]
base_url = "$THINKING_URL"
EOF
mkdir -p "$TMP/data"
NEARHUB_ACCESS_LOG=false start_server hub "$NEARHUB_BIN" serve --host 127.0.0.1 --port 0 \
  --data-dir "$TMP/data" --config "$TMP/hub.toml" --io-threads "$HUB_IO" --worker-threads "$HUB_WORKERS"
HUB_URL=$SERVER_URL

# An implicit-account token (accepted offline by the default `implicit` ownership check).
"$NEARHUB_BIN" keys new --output "$TMP/credentials.json" >"$TMP/keys.log" 2>&1 \
  || { cat "$TMP/keys.log" >&2; die "nearhub keys new failed"; }
TOKEN=$("$NEARHUB_BIN" token --credentials "$TMP/credentials.json" 2>"$TMP/token.log") \
  || { cat "$TMP/token.log" >&2; die "nearhub token failed"; }
AUTH="Bearer $TOKEN"

# The same conversation both ways; only the model id differs (the hub's is provider::model).
messages='[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello to the benchmark in a few short words please"}]'
echo "{\"model\":\"test-model\",\"messages\":$messages}" >"$TMP/direct_chat.json"
echo "{\"model\":\"local::test-model\",\"messages\":$messages}" >"$TMP/hub_chat.json"
echo "{\"model\":\"test-model\",\"stream\":true,\"messages\":$messages}" >"$TMP/direct_stream.json"
echo "{\"model\":\"local::test-model\",\"stream\":true,\"messages\":$messages}" >"$TMP/hub_stream.json"
echo "{\"model\":\"thinking::test-model\",\"messages\":$messages}" >"$TMP/hub_think.json"
echo "{\"model\":\"thinking::test-model\",\"stream\":true,\"messages\":$messages}" >"$TMP/hub_think_stream.json"

check() {  # check NAME URL BODY_FILE AUTH — one request must answer 200
  local args=(-sS -o "$TMP/check-$1.out" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' --data-binary "@$3")
  [[ -n $4 ]] && args+=(-H "Authorization: $4")
  local code
  code=$(curl "${args[@]}" "$2") || die "$1: request failed"
  [[ $code == 200 ]] || { cat "$TMP/check-$1.out" >&2; cat "$TMP/hub.stderr" >&2; die "$1 answered $code"; }
}

run_ttft() {  # run_ttft NAME URL BODY_FILE AUTH SECONDS LOG
  python3 bench/ttft.py "$2" "$3" --auth "$4" --connections "$LAT_CONNECTIONS" --seconds "$5" \
    >"$6" 2>&1 || { cat "$6" >&2; die "ttft.py failed against $1"; }
  [[ $(log_field "$6" errors) == 0 ]] || { cat "$6" >&2; die "$1: streams failed"; }
}

# name|kind|url|body|auth. kind: lat (wrk, LAT_CONNECTIONS), tput (wrk, CONNECTIONS), ttft.
TARGETS=(
  "direct_chat_lat|lat|$FAKE_URL/chat/completions|$TMP/direct_chat.json|"
  "hub_chat_lat|lat|$HUB_URL/v1/chat/completions|$TMP/hub_chat.json|$AUTH"
  "direct_chat_tput|tput|$FAKE_URL/chat/completions|$TMP/direct_chat.json|"
  "hub_chat_tput|tput|$HUB_URL/v1/chat/completions|$TMP/hub_chat.json|$AUTH"
  "direct_stream_tput|tput|$FAKE_URL/chat/completions|$TMP/direct_stream.json|"
  "hub_stream_tput|tput|$HUB_URL/v1/chat/completions|$TMP/hub_stream.json|$AUTH"
  "direct_ttft|ttft|$FAKE_URL/chat/completions|$TMP/direct_stream.json|"
  "hub_ttft|ttft|$HUB_URL/v1/chat/completions|$TMP/hub_stream.json|$AUTH"
  "direct_think_tput|tput|$THINKING_URL/chat/completions|$TMP/direct_chat.json|"
  "hub_think_tput|tput|$HUB_URL/v1/chat/completions|$TMP/hub_think.json|$AUTH"
  "direct_think_stream|tput|$THINKING_URL/chat/completions|$TMP/direct_stream.json|"
  "hub_think_stream|tput|$HUB_URL/v1/chat/completions|$TMP/hub_think_stream.json|$AUTH"
)

run_target() {  # run_target INDEX SECONDS LOG
  local name kind url body auth
  IFS='|' read -r name kind url body auth <<<"${TARGETS[$1]}"
  case $kind in
    lat) run_wrk -c "$LAT_CONNECTIONS" -m POST -f "$body" -a "$auth" "$name" "$url" "$2" "$3" ;;
    tput) run_wrk -c "$CONNECTIONS" -m POST -f "$body" -a "$auth" "$name" "$url" "$2" "$3" ;;
    ttft) run_ttft "$name" "$url" "$body" "$auth" "$2" "$3" ;;
  esac
}

check direct_chat "$FAKE_URL/chat/completions" "$TMP/direct_chat.json" ""
check hub_chat "$HUB_URL/v1/chat/completions" "$TMP/hub_chat.json" "$AUTH"
check hub_think "$HUB_URL/v1/chat/completions" "$TMP/hub_think.json" "$AUTH"
check hub_stream "$HUB_URL/v1/chat/completions" "$TMP/hub_stream.json" "$AUTH"
grep -q 'data: \[DONE\]' "$TMP/check-hub_stream.out" || die "the hub's stream did not end with [DONE]"

note "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in "${!TARGETS[@]}"; do run_target "$i" "$WARMUP" "$TMP/warmup-$i.log"; done

declare -A values=()
declare -a r_chat=() r_stream=() r_think=() r_think_stream=() add50=() add99=() addttft50=() addttft99=()
for ((round = 1; round <= ROUNDS; round++)); do
  # Pairs stay together; the order inside each pair flips every round.
  for ((pair = 0; pair < ${#TARGETS[@]}; pair += 2)); do
    order=("$pair" $((pair + 1)))
    ((round % 2 == 0)) && order=($((pair + 1)) "$pair")
    for i in "${order[@]}"; do
      run_target "$i" "$DURATION" "$TMP/r$round-$i.log"
    done
  done
  get() { log_field "$TMP/r$round-$1.log" "$2"; }
  for i in "${!TARGETS[@]}"; do
    name=${TARGETS[$i]%%|*}
    for k in rps p50_ms p99_ms; do values[$name.$k]+="$(get "$i" "$k") "; done
  done
  r_chat+=("$(calc "$(get 3 rps) / $(get 2 rps)")")
  r_stream+=("$(calc "$(get 5 rps) / $(get 4 rps)")")
  r_think+=("$(calc "$(get 9 rps) / $(get 8 rps)")")
  r_think_stream+=("$(calc "$(get 11 rps) / $(get 10 rps)")")
  add50+=("$(calc "$(get 1 p50_ms) - $(get 0 p50_ms)")")
  add99+=("$(calc "$(get 1 p99_ms) - $(get 0 p99_ms)")")
  addttft50+=("$(calc "$(get 7 p50_ms) - $(get 6 p50_ms)")")
  addttft99+=("$(calc "$(get 7 p99_ms) - $(get 6 p99_ms)")")
  note "round $round: chat ratio ${r_chat[-1]}, stream ratio ${r_stream[-1]}, thinking chat ${r_think[-1]}, thinking stream ${r_think_stream[-1]}, added p50 ${add50[-1]} ms, added TTFT p50 ${addttft50[-1]} ms"
done
note "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== nearhub (io=$HUB_IO workers=$HUB_WORKERS) in front of fake_openai_server vs fake_openai_server directly"
echo "   latency runs: $LAT_CONNECTIONS connection(s); throughput runs: wrk -c$CONNECTIONS; ${DURATION}s per run, median of $ROUNDS rounds"
printf '%-20s %10s %10s %10s\n' target req/s p50_ms p99_ms
for t in "${TARGETS[@]}"; do
  name=${t%%|*}
  # shellcheck disable=SC2086
  printf '%-20s %10.0f %10.3f %10.3f\n' "$name" "$(median ${values[$name.rps]})" \
    "$(median ${values[$name.p50_ms]})" "$(median ${values[$name.p99_ms]})"
done
echo "(ttft rows: req/s = streams/s of the Python client, p50/p99 = time to the first content chunk)"
echo
printf '%-28s %10s %10s  %s\n' measure value target verdict
m=$(median "${add50[@]}")
printf '%-28s %10.3f %10s  %s   (per round: %s)\n' "added p50 ms (chat)" "$m" "< $TARGET_ADDED_P50_MS" "$(verdict "$m" "$TARGET_ADDED_P50_MS" lt)" "${add50[*]}"
m=$(median "${add99[@]}")
printf '%-28s %10.3f %10s  %s   (per round: %s)\n' "added p99 ms (chat)" "$m" "" "" "${add99[*]}"
m=$(median "${addttft50[@]}")
printf '%-28s %10.3f %10s  %s   (per round: %s)\n' "added TTFT p50 ms (stream)" "$m" "" "" "${addttft50[*]}"
m=$(median "${addttft99[@]}")
printf '%-28s %10.3f %10s  %s   (per round: %s)\n' "added TTFT p99 ms (stream)" "$m" "" "" "${addttft99[*]}"
m=$(median "${r_chat[@]}")
printf '%-28s %10.3f %10s  %s   (per round: %s)\n' "throughput hub/direct chat" "$m" ">= $TARGET_RATIO" "$(verdict "$m" "$TARGET_RATIO" ge)" "${r_chat[*]}"
m=$(median "${r_stream[@]}")
printf '%-28s %10.3f %10s  %s   (per round: %s)\n' "throughput hub/direct stream" "$m" ">= $TARGET_RATIO" "$(verdict "$m" "$TARGET_RATIO" ge)" "${r_stream[*]}"
m=$(median "${r_think[@]}")
printf '%-28s %10.3f %10s  %s   (per round: %s)\n' "throughput slow model chat" "$m" ">= $TARGET_RATIO" "$(verdict "$m" "$TARGET_RATIO" ge)" "${r_think[*]}"
m=$(median "${r_think_stream[@]}")
printf '%-28s %10.3f %10s  %s   (per round: %s)\n' "throughput slow model stream" "$m" ">= $TARGET_RATIO" "$(verdict "$m" "$TARGET_RATIO" ge)" "${r_think_stream[*]}"
