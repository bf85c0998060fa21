# shellcheck shell=bash disable=SC2034  # SERVER_PID, SERVER_URL, ...: set for the sourcing script
# bench/lib.sh — the shell helpers every bench/*.sh script shares, defined once.
#
#   BENCH_NAME=my_bench                # the prefix of die's messages
#   source "$(dirname "$0")/lib.sh"    # after `set -euo pipefail`
#
# Not a script: sourcing it only defines functions. bench_tmpdir makes the temp dir and
# installs the EXIT/INT/TERM traps; from then on every background process appended to PIDS is
# stopped when the script ends, however it ends. BENCH_KEEP=1 keeps the temp dir (it is kept
# anyway when the script fails, so the logs can be read).

# ---- messages and preconditions

# die MESSAGE — prints "BENCH_NAME: MESSAGE" on stderr and exits 1 (the EXIT trap cleans up).
die() {
  echo "${BENCH_NAME:-bench}: $*" >&2
  exit 1
}

# note MESSAGE — a progress line on stderr ("-- MESSAGE"); stdout carries only the report.
note() { echo "-- $*" >&2; }

# require_tools TOOL... — dies naming the first TOOL (a command or a path) that is missing.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null ||
      die "$tool not found (scripts/install-deps.sh --test installs the benchmark tools)"
  done
}

# require_executable PATH TARGET — dies unless PATH is executable, naming the build target.
require_executable() {
  [[ -x $1 ]] || die "$1 not found: build it with scripts/build.sh --target $2"
}

# raise_fd_limit N — raises the soft open-file limit to N (children inherit it); dies when
# the hard limit is lower. Every open connection is a descriptor on both ends.
raise_fd_limit() {
  local needed=$1 hard
  [[ $(ulimit -n) == unlimited || $(ulimit -n) -ge $needed ]] && return 0
  hard=$(ulimit -Hn)
  [[ $hard == unlimited || $hard -ge $needed ]] || die "open-file limit $hard < $needed"
  ulimit -n "$needed"
}

# ---- temp dir, background processes, cleanup

# bench_tmpdir PREFIX — sets TMP to a new ${TMPDIR:-/tmp}/PREFIX.XXXXXX, empties PIDS, writes
# the wrk script run_wrk uses, and installs the traps that run bench_cleanup at exit.
bench_tmpdir() {
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  PIDS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  write_wrk_script "$TMP/wrk.lua"
}

# stop_pid PID — SIGTERM, up to 5 s of grace, then SIGKILL; reaps PID and drops it from PIDS.
# Only for our own children.
stop_pid() {
  local pid=$1 keep=() p
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# stop_pids — stops every process in PIDS at once: SIGTERM to all, up to 5 s of grace for all
# together, SIGKILL to what is left; then PIDS is empty.
stop_pids() {
  local pid alive
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

# bench_cleanup — the EXIT trap: stops PIDS, calls bench_cleanup_hook if the script defines
# one (e.g. to stop a database cluster), then removes TMP, or keeps it (BENCH_KEEP=1, or the
# script failed) and says where. Exits with the script's status.
bench_cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pids
  if declare -F bench_cleanup_hook >/dev/null; then bench_cleanup_hook || true; fi
  if [[ ${BENCH_KEEP:-0} == 1 || $status -ne 0 ]]; then
    echo "-- logs kept in $TMP" >&2
  else
    rm -rf "$TMP"
  fi
  exit "$status"
}

# ---- servers

# wait_listening LOG PID — waits up to 10 s for a "listening on http://..." line in LOG and
# prints its URL; fails early if PID exits first.
wait_listening() {
  local url=""
  for _ in $(seq 100); do
    url=$(grep -o 'listening on http://[^ ]*' "$1" | sed 's/^listening on //') || true
    [[ -n $url ]] && { echo "${url%%$'\n'*}"; return 0; }
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_server NAME COMMAND... — starts COMMAND in the background (stdout to TMP/NAME.stdout,
# stderr to TMP/NAME.stderr), adds it to PIDS and waits for its "listening on" line; sets
# SERVER_PID and SERVER_URL. Dies with the server's stderr if it does not start. Not for use
# inside $(...): the PID would be recorded in a subshell and the server never stopped.
start_server() {
  local name=$1
  shift
  "$@" >"$TMP/$name.stdout" 2>"$TMP/$name.stderr" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  SERVER_URL=$(wait_listening "$TMP/$name.stdout" "$SERVER_PID") ||
    { cat "$TMP/$name.stderr" >&2; die "$(basename "$1") did not start"; }
}

# ---- wrk

# write_wrk_script FILE — the Lua script of run_wrk. The request comes from the environment
# (so a token, JSON quotes and all, never passes through a command line) and is built once,
# before the run; done() prints one machine-readable line with exact percentiles, so nothing
# depends on wrk's human units:
#   BENCH rps=R requests=N p50_ms=X p99_ms=Y status_errors=S socket_errors=E
write_wrk_script() {
  cat >"$1" <<'LUA'
local function env(name)
  local value = os.getenv(name)
  if value and value ~= "" then return value end
  return nil
end
if env("BENCH_METHOD") then wrk.method = env("BENCH_METHOD") end
if env("BENCH_PATH") then wrk.path = env("BENCH_PATH") end
local body = env("BENCH_BODY")
if env("BENCH_BODY_FILE") then
  local f = assert(io.open(env("BENCH_BODY_FILE"), "rb"))
  body = f:read("*a")
  f:close()
end
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
if env("BENCH_AUTHORIZATION") then wrk.headers["Authorization"] = env("BENCH_AUTHORIZATION") end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH rps=%.1f requests=%d p50_ms=%.3f p99_ms=%.3f status_errors=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
LUA
}

# run_wrk [-c CONNECTIONS] [-t THREADS] [-m METHOD] [-p PATH] [-b BODY] [-f BODY_FILE]
#         [-a AUTHORIZATION] NAME URL SECONDS LOG
# One wrk run (--latency, default -c16 -t1; a JSON BODY or BODY_FILE, PATH replacing URL's);
# output to LOG. Dies if wrk fails, completes no request, gets any non-2xx answer (a 401 would
# be fast and flatter nearhub), or socket errors on more than 1 % of the requests.
run_wrk() {
  local connections=16 threads=1 method="" path="" body="" body_file="" auth="" opt OPTIND=1
  while getopts 'c:t:m:p:b:f:a:' opt; do
    case $opt in
      c) connections=$OPTARG ;;
      t) threads=$OPTARG ;;
      m) method=$OPTARG ;;
      p) path=$OPTARG ;;
      b) body=$OPTARG ;;
      f) body_file=$OPTARG ;;
      a) auth=$OPTARG ;;
      *) die "run_wrk: bad option" ;;
    esac
  done
  shift $((OPTIND - 1))
  local name=$1 url=$2 seconds=$3 log=$4 line requests status_errors socket_errors
  BENCH_METHOD=$method BENCH_PATH=$path BENCH_BODY=$body BENCH_BODY_FILE=$body_file \
    BENCH_AUTHORIZATION=$auth timeout $((seconds + 30)) \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$TMP/wrk.lua" "$url" \
    >"$log" 2>&1 || { cat "$log" >&2; die "wrk failed against $name ($url$path)"; }
  line=$(grep '^BENCH ' "$log") || { cat "$log" >&2; die "no summary from wrk for $name"; }
  requests=$(field requests "$line")
  status_errors=$(field status_errors "$line")
  socket_errors=$(field socket_errors "$line")
  [[ $requests -gt 0 ]] || { cat "$log" >&2; die "$name: no request completed"; }
  [[ $status_errors -eq 0 ]] || { cat "$log" >&2; die "$name: $status_errors non-2xx answers"; }
  [[ $((socket_errors * 100)) -le $requests ]] ||
    { cat "$log" >&2; die "$name: $socket_errors socket errors"; }
}

# measure NAME METHOD PATH [BODY] — a warm-up run of WARMUP s (not recorded), then a measured
# run of DURATION s, both with CONNECTIONS connections against URL, "Bearer TOKEN" and
# log TMP/wrk-NAME.log; prints "rps p50_ms p99_ms". Uses those globals of the script.
measure() {
  local name=$1 out=$TMP/wrk-$1.log
  local request=(-c "$CONNECTIONS" -m "$2" -p "$3" -b "${4:-}" -a "Bearer $TOKEN")
  run_wrk "${request[@]}" "$name" "$URL" "$WARMUP" "$TMP/warmup-$name.log"
  run_wrk "${request[@]}" "$name" "$URL" "$DURATION" "$out"
  echo "$(log_field "$out" rps) $(log_field "$out" p50_ms) $(log_field "$out" p99_ms)"
}

# ---- reading results

# field KEY LINE — the value of KEY in a line of space-separated KEY=VALUE pairs; nothing
# when LINE has no KEY.
field() { sed -nE "s/.*[ ]$1=([^ ]+).*/\1/p" <<<" $2"; }

# log_field LOG KEY — the value of KEY on the summary line of a wrk log (run_wrk's "BENCH ...")
# or of a bench/ttft.py log ("TTFT ...").
log_field() { field "$2" "$(grep -m1 -E '^(BENCH|TTFT) ' "$1")"; }

# ---- arithmetic (awk, so fractions and "nan" survive)

# median NUMBER... — the median of the arguments ("nan" when there are none).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# fmt VALUE PRINTF_FORMAT — VALUE formatted by awk's printf, e.g. fmt 3.14159 %.2f.
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { printf f, v }'; }

# ratio A B [PRINTF_FORMAT] — A ÷ B (%.3f unless given), 0 when B is not positive.
ratio() { awk -v a="$1" -v b="$2" -v f="${3:-%.3f}" 'BEGIN { printf f, (b > 0 ? a / b : 0) }'; }

# verdict VALUE TARGET ge|lt — PASS when VALUE >= TARGET (ge) or VALUE < TARGET (lt), else FAIL.
verdict() {
  awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {
    ok = (op == "ge") ? (v >= t) : (v < t); print ok ? "PASS" : "FAIL" }'
}
