#!/usr/bin/env bash
# bench/http_vs_nginx.sh — nearhub's HTTP throughput and latency against nginx serving
# static files of the same size, plus nearhub's idle memory. Everything is measured in
# ONE run on the same machine, and the verdicts are ratios against nginx: on a shared,
# noisy 2-core machine absolute req/s mean little, ratios measured minutes apart do.
#
#   bench/http_vs_nginx.sh                      # defaults: 10 s runs, 32 connections, 3 rounds
#   BENCH_DURATION=5 BENCH_ROUNDS=1 bench/http_vs_nginx.sh   # quick look
#
# Settings (environment variables):
#   NEARHUB_BIN        nearhub binary                        (default: build/nearhub)
#   NGINX_BIN          nginx binary                          (default: /usr/sbin/nginx)
#   BENCH_DURATION     seconds per measured wrk run          (default: 10)
#   BENCH_WARMUP       seconds of warm-up per target         (default: 2)
#   BENCH_CONNECTIONS  wrk connections                       (default: 32)
#   BENCH_WRK_THREADS  wrk threads                           (default: 1)
#   BENCH_ROUNDS       measured rounds; the median is kept   (default: 3)
#   BENCH_THREADS      N, the thread/process count of the main variant (default: nproc)
#   BENCH_VARIANTS     space-separated io:workers:nginx_workers triples
#                      (default: "N:N:N 1:1:1", the second dropped when N is 1)
#   BENCH_PERF         1 = after the rounds of the first variant, profile nearhub with
#                      `perf record` during one extra /v1/nonce/list run and print the
#                      hottest symbols (needs perf; off by default)
#   BENCH_KEEP         1 = keep the temp dir (logs, configs, wrk output) and print its path
#   BENCH_NGINX_EXTRA  extra directives for nginx's http block, e.g. to try a stronger
#                      baseline: BENCH_NGINX_EXTRA="open_file_cache max=64;" (default: none)
#
# Exit status: 0 when every measurement ran, whatever the PASS/FAIL verdicts (this is a
# measurement, not a test); non-zero when something failed to run (a server did not start,
# wrk failed, a request answered non-2xx, ...).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

NEARHUB_BIN=${NEARHUB_BIN:-build/nearhub}
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
ROUNDS=${BENCH_ROUNDS:-3}
N=${BENCH_THREADS:-$(nproc)}
PERF=${BENCH_PERF:-0}
NGINX_EXTRA=${BENCH_NGINX_EXTRA:-}
WRK_OPTIONS=(-c "$CONNECTIONS" -t "$WRK_THREADS")  # every wrk run (lib.sh's run_wrk)

# Worker threads of the main variant = N, the number of cores. The two routes measured
# here are CPU-bound (a response built in memory; an SQLite read that hits the page
# cache), so handler threads beyond the core count only add context switches; the
# default of 4 is sized for handlers that block on upstream calls, which this benchmark
# does not exercise. The 1:1:1 variant is the strictest reading of "same number of
# threads": nearhub's one I/O thread + one handler thread against one nginx worker.
if [[ -z ${BENCH_VARIANTS:-} ]]; then
  BENCH_VARIANTS="$N:$N:$N"
  [[ $N -ne 1 ]] && BENCH_VARIANTS+=" 1:1:1"
fi

# Targets (ratios, see bench/README.md).
TARGET_HEALTH=1.0       # nearhub /health req/s ÷ nginx small static file req/s
TARGET_LIST=0.5         # nearhub /v1/nonce/list req/s ÷ nginx list-sized static file req/s
TARGET_RSS_MB=30        # nearhub VmRSS when idle

BENCH_NAME=http_vs_nginx  # lib.sh's die prefix

require_tools wrk curl awk "$NGINX_BIN"
require_executable "$NEARHUB_BIN" nearhub
[[ $PERF == 1 ]] && { command -v perf >/dev/null || die "BENCH_PERF=1 but perf is not installed"; }

# ---------------------------------------------------------------------------------------
# Everything goes into one temp dir; the EXIT trap (lib.sh) stops what we started and removes it.
bench_tmpdir nearhub-bench

# nginx workers may run as an unprivileged user (when we are root): they must be able to
# reach the web root inside our otherwise private temp dir.
chmod 711 "$TMP"

# ---------------------------------------------------------------------------------------
# Helpers

free_port() {  # a currently free loopback port (tiny race; nginx would then fail loudly)
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null && return
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q . || { echo "$port"; return; }
  done
  die "no free port found"
}

wait_http() {  # wait_http URL — up to 10 s for any HTTP answer
  for _ in $(seq 100); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.1
  done
  return 1
}

rss_mb() {  # resident set size of a pid in MB (VmRSS is in kB)
  awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# ---------------------------------------------------------------------------------------
# nginx: its own config, no daemon, everything under $TMP/nginx.

start_nginx() {  # start_nginx WORKERS — sets NGINX_PID, NGINX_URL
  local workers=$1 dir=$TMP/nginx-$1 port
  mkdir -p "$dir/www" "$dir/temp"
  chmod 755 "$dir" "$dir/www"
  : >"$dir/www/ready.txt"  # the readiness probe's target
  port=$(free_port)
  # Temp paths only for modules this nginx has (nginx-light lacks some); their defaults
  # under /var/lib/nginx are not ours to touch.
  local temp_paths="client_body_temp_path $dir/temp/body;"$'\n'
  local module
  for module in proxy fastcgi uwsgi scgi; do
    "$NGINX_BIN" -V 2>&1 | grep -q -- "--without-http_${module}_module" ||
      temp_paths+="  ${module}_temp_path $dir/temp/$module;"$'\n'
  done
  cat >"$dir/nginx.conf" <<EOF
# Generated by bench/http_vs_nginx.sh: a static-file baseline, tuned the ordinary way.
daemon off;
master_process on;
worker_processes $workers;         # = nearhub's I/O threads (the fairness rule)
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;                  # nearhub runs with NEARHUB_ACCESS_LOG=false too
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 75s;           # nearhub's idle_timeout default
  keepalive_requests 1000000;      # nginx's default 1000 would add reconnects to its runs
  server_tokens off;
  types { application/json json; }
  default_type application/json;   # same Content-Type as nearhub's answers
  $temp_paths  $NGINX_EXTRA
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
  }
}
EOF
  "$NGINX_BIN" -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
    || { cat "$dir/error.log" >&2; die "nginx rejected its config"; }
  "$NGINX_BIN" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
    >"$dir/stdout.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  NGINX_URL=http://127.0.0.1:$port
  NGINX_ROOT=$dir/www
  wait_http "$NGINX_URL/ready.txt" || { cat "$dir/error.log" >&2; die "nginx did not answer on $NGINX_URL"; }
}

# ---------------------------------------------------------------------------------------
# nearhub: fresh data dir, access log off, port 0 (it prints the port it bound).

start_nearhub() {  # start_nearhub IO WORKERS — sets NEARHUB_PID, NEARHUB_URL
  local io=$1 workers=$2 dir=$TMP/nearhub-$1-$2
  mkdir -p "$dir/data"
  NEARHUB_ACCESS_LOG=false start_server "nearhub-$io-$workers" "$NEARHUB_BIN" serve \
    --host 127.0.0.1 --port 0 --data-dir "$dir/data" --io-threads "$io" --worker-threads "$workers"
  NEARHUB_PID=$SERVER_PID
  NEARHUB_URL=$SERVER_URL
}

# A NEAR key for an implicit account (the default `implicit` ownership check accepts it
# offline) and a bearer token signed with it: made once, valid for every variant.
make_token() {
  "$NEARHUB_BIN" keys new --output "$TMP/credentials.json" >"$TMP/keys.log" 2>&1 \
    || { cat "$TMP/keys.log" >&2; die "nearhub keys new failed"; }
  TOKEN=$("$NEARHUB_BIN" token --credentials "$TMP/credentials.json" 2>"$TMP/token.log") \
    || { cat "$TMP/token.log" >&2; die "nearhub token failed"; }
  [[ -n $TOKEN ]] || die "nearhub token printed nothing"
  AUTH="Bearer $TOKEN"
}

# fetch_body URL FILE [AUTH] — one GET, body to FILE; fails on non-2xx.
fetch_body() {
  local args=(-sS --fail --max-time 10 -o "$2")
  [[ -n ${3:-} ]] && args+=(-H "Authorization: $3")
  curl "${args[@]}" "$1" || die "GET $1 failed"
}

header_bytes() {  # header_bytes URL [AUTH] — size of the response header (informative)
  local args=(-s -o /dev/null --max-time 10 -w '%{size_header}')
  [[ -n ${2:-} ]] && args+=(-H "Authorization: $2")
  curl "${args[@]}" "$1"
}

# ---------------------------------------------------------------------------------------
# One variant: both servers with the given thread counts, warm-up, rounds, RSS.

declare -a SUMMARY_LINES=() RAW_LINES=()

run_variant() {
  local io=$1 workers=$2 nginx_workers=$3 label="nearhub io=$1 workers=$2 vs nginx workers=$3"
  note "variant: $label"
  start_nginx "$nginx_workers"
  start_nearhub "$io" "$workers"

  # Idle RSS right after start-up, before any request: what an idle hub costs.
  sleep 1
  local rss_start rss_after
  rss_start=$(rss_mb "$NEARHUB_PID")

  # nginx serves nearhub's own bodies, so both sides send the same bytes and type.
  fetch_body "$NEARHUB_URL/health" "$NGINX_ROOT/health.json"
  fetch_body "$NEARHUB_URL/v1/nonce/list" "$NGINX_ROOT/list.json" "$AUTH"
  local health_size list_size
  health_size=$(stat -c %s "$NGINX_ROOT/health.json")
  list_size=$(stat -c %s "$NGINX_ROOT/list.json")
  [[ $(curl -s --max-time 5 -o /dev/null -w '%{size_download} %{content_type}' "$NGINX_URL/list.json") \
     == "$list_size application/json" ]] || die "nginx does not serve list.json as expected"

  # name|url|auth; ratios pair nginx-small with health and nginx-list with nonce_list.
  local targets=(
    "nginx_small|$NGINX_URL/health.json|"
    "nearhub_health|$NEARHUB_URL/health|"
    "nginx_list|$NGINX_URL/list.json|"
    "nearhub_nonce_list|$NEARHUB_URL/v1/nonce/list|$AUTH"
  )
  local hdr_nginx hdr_health hdr_list
  hdr_nginx=$(header_bytes "$NGINX_URL/health.json")
  hdr_health=$(header_bytes "$NEARHUB_URL/health")
  hdr_list=$(header_bytes "$NEARHUB_URL/v1/nonce/list" "$AUTH")
  note "bodies: health $health_size B, nonce list $list_size B; response headers: nginx $hdr_nginx B, nearhub /health $hdr_health B, /v1/nonce/list $hdr_list B"

  # Warm-up: connections, caches (token cache, SQLite page cache, prepared statements),
  # CPU frequency. Not recorded.
  local t name url auth
  for t in "${targets[@]}"; do
    IFS='|' read -r name url auth <<<"$t"
    run_wrk "${WRK_OPTIONS[@]}" -a "$auth" "$name" "$url" "$WARMUP" \
      "$TMP/warmup-$io-$workers-$name.log"
  done

  # Rounds: odd rounds in the listed order, even rounds reversed, so neither server always
  # runs first (machine noise drifts). Each ratio is taken within a round — a pair of runs
  # seconds apart — and the median of the per-round ratios is reported.
  declare -A rps=() p50=() p99=()
  local ratios_health=() ratios_list=() round order i log
  for ((round = 1; round <= ROUNDS; round++)); do
    order=(0 1 2 3)
    ((round % 2 == 0)) && order=(3 2 1 0)
    for i in "${order[@]}"; do
      IFS='|' read -r name url auth <<<"${targets[$i]}"
      log=$TMP/run-$io-$workers-r$round-$name.log
      run_wrk "${WRK_OPTIONS[@]}" -a "$auth" "$name" "$url" "$DURATION" "$log"
      rps[$name]+="$(log_field "$log" rps) "
      p50[$name]+="$(log_field "$log" p50_ms) "
      p99[$name]+="$(log_field "$log" p99_ms) "
      note "$(printf 'round %d %-19s %10.0f req/s' "$round" "$name" "$(log_field "$log" rps)")"
      RAW_LINES+=("[$io:$workers:$nginx_workers r$round] $(printf '%-19s' "$name") $(grep -E '^Requests/sec:' "$log" | tr -s ' ') | p50 $(awk '$1 == "50%" { print $2 }' "$log") | p99 $(awk '$1 == "99%" { print $2 }' "$log")")
    done
    local last=() n
    for n in nginx_small nearhub_health nginx_list nearhub_nonce_list; do
      last+=("$(log_field "$TMP/run-$io-$workers-r$round-$n.log" rps)")
    done
    ratios_health+=("$(ratio "${last[1]}" "${last[0]}")")
    ratios_list+=("$(ratio "${last[3]}" "${last[2]}")")
  done

  if [[ $PERF == 1 && ${PERF_DONE:-0} == 0 ]]; then
    profile_nonce_list
    PERF_DONE=1
  fi

  # Idle again: give timers and freed memory a moment, then read RSS.
  sleep 2
  rss_after=$(rss_mb "$NEARHUB_PID")
  stop_pid "$NEARHUB_PID"
  stop_pid "$NGINX_PID"

  # ---- table for this variant
  local ratio_h ratio_l
  ratio_h=$(median "${ratios_health[@]}")
  ratio_l=$(median "${ratios_list[@]}")
  {
    echo
    echo "== $label  (wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s, median of $ROUNDS rounds)"
    printf '%-22s %12s %10s %10s %8s %8s\n' target req/s p50_ms p99_ms body_B header_B
    local sizes=([0]=$health_size [1]=$health_size [2]=$list_size [3]=$list_size)
    local headers=([0]=$hdr_nginx [1]=$hdr_health [2]=$hdr_nginx [3]=$hdr_list)
    for i in 0 1 2 3; do
      IFS='|' read -r name url auth <<<"${targets[$i]}"
      # shellcheck disable=SC2086
      printf '%-22s %12.0f %10.3f %10.3f %8s %8s\n' "$name" "$(median ${rps[$name]})" \
        "$(median ${p50[$name]})" "$(median ${p99[$name]})" "${sizes[$i]}" "${headers[$i]}"
    done
    echo
    printf '%-26s %10s %10s  %s\n' ratio value target verdict
    printf '%-26s %10.3f %10s  %s   (per round: %s)\n' "health/nginx" "$ratio_h" ">= $TARGET_HEALTH" \
      "$(verdict "$ratio_h" "$TARGET_HEALTH" ge)" "${ratios_health[*]}"
    printf '%-26s %10.3f %10s  %s   (per round: %s)\n' "nonce_list/nginx" "$ratio_l" ">= $TARGET_LIST" \
      "$(verdict "$ratio_l" "$TARGET_LIST" ge)" "${ratios_list[*]}"
    printf '%-26s %10.1f %10s  %s\n' "idle RSS MB (start-up)" "$rss_start" "< $TARGET_RSS_MB" \
      "$(verdict "$rss_start" "$TARGET_RSS_MB" lt)"
    printf '%-26s %10.1f %10s  %s\n' "idle RSS MB (after load)" "$rss_after" "< $TARGET_RSS_MB" \
      "$(verdict "$rss_after" "$TARGET_RSS_MB" lt)"
  } >"$TMP/summary-$io-$workers-$nginx_workers.txt"
  SUMMARY_LINES+=("$TMP/summary-$io-$workers-$nginx_workers.txt")
}

# Optional: where does nearhub spend /v1/nonce/list time? perf samples the server process
# during one extra run of the same wrk load.
profile_nonce_list() {
  note "profiling nearhub during one /v1/nonce/list run (perf record)"
  perf record -F 999 -g -o "$TMP/perf.data" -p "$NEARHUB_PID" -- sleep "$DURATION" \
    >"$TMP/perf-record.log" 2>&1 &
  local perf_pid=$!
  PIDS+=("$perf_pid")
  run_wrk "${WRK_OPTIONS[@]}" -a "$AUTH" nearhub_nonce_list "$NEARHUB_URL/v1/nonce/list" \
    "$DURATION" "$TMP/perf-wrk.log"
  wait "$perf_pid" || { cat "$TMP/perf-record.log" >&2; die "perf record failed"; }
  stop_pid "$perf_pid"  # already reaped: only drops it from PIDS
  perf report -i "$TMP/perf.data" --stdio --no-children --sort dso,symbol --percent-limit 1.5 \
    -g none 2>/dev/null | grep -v -e '^#' -e '^[[:space:]]*$' | sed -E 's/[[:space:]-]+$//' |
    cut -c1-160 | head -40 >"$TMP/perf-top.txt" || true  # perf pads lines to a huge width
}

# ---------------------------------------------------------------------------------------

note "nearhub: $("$NEARHUB_BIN" --version 2>/dev/null | head -1 || echo '?'); $("$NGINX_BIN" -v 2>&1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
make_token
for variant in $BENCH_VARIANTS; do
  IFS=':' read -r io workers nginx_workers <<<"$variant"
  [[ $io =~ ^[0-9]+$ && $workers =~ ^[0-9]+$ && $nginx_workers =~ ^[0-9]+$ ]] \
    || die "bad variant '$variant' (want io:workers:nginx_workers)"
  run_variant "$io" "$workers" "$nginx_workers"
done

# The report goes to stdout (progress went to stderr): raw wrk lines, then one table per
# variant.
echo
echo "== raw wrk lines (Requests/sec, p50, p99 as wrk printed them)"
printf '%s\n' "${RAW_LINES[@]}"
for f in "${SUMMARY_LINES[@]}"; do cat "$f"; done
if [[ -s $TMP/perf-top.txt ]]; then
  echo
  echo "== perf: hottest symbols in nearhub during /v1/nonce/list (first variant)"
  cat "$TMP/perf-top.txt"
fi
echo
echo "(ratios are nearhub ÷ nginx within each round, median over rounds; see bench/README.md)"
