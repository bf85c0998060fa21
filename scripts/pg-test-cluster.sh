#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, built from Debian's server binaries.
#
#   scripts/pg-test-cluster.sh start DIR   creates (or reuses) a cluster in DIR, listening on a
#                                          free 127.0.0.1 port with its unix socket in DIR, and
#                                          prints postgres://USER@127.0.0.1:PORT/nearhub_test
#   scripts/pg-test-cluster.sh stop DIR    stops it and removes DIR
#
# Trust authentication and no durability (fsync=off): only ever for tests. USER is the user
# running this script; as root the server itself runs as the `postgres` system user, since
# initdb and postgres refuse to run as root, so DIR's parent must be reachable by it.
set -euo pipefail

readonly DATABASE=nearhub_test

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}

die() {
  echo "pg-test-cluster: $*" >&2
  exit 1
}

# The newest installed server version: Debian installs each under /usr/lib/postgresql/N/bin.
find_bin_dir() {
  local dir
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [[ -n "$dir" && -x "$dir/initdb" ]] ||
    die "no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)"
  echo "$dir"
}

# Runs a server binary as the user owning the cluster.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() {
  [[ -f "$DIR/data/postmaster.pid" ]] && as_owner "$BIN/pg_ctl" status -D "$DIR/data" >/dev/null 2>&1
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

create_cluster() {
  mkdir -p "$DIR"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$DIR"
    runuser -u postgres -- test -w "$DIR" ||
      die "the postgres user cannot write $DIR; put it under a directory it can reach"
  fi
  # The bootstrap superuser takes the name of the user running the tests, so that clients
  # connect without naming one.
  as_owner "$BIN/initdb" --pgdata="$DIR/data" --username="$USER_NAME" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 ||
    die "initdb failed; see $DIR/initdb.log"
  as_owner tee -a "$DIR/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
archive_mode = off
max_connections = 200
EOF
}

# Starts the server on a free port, retrying when another process takes the port first.
start_server() {
  local port
  for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 30000))
    port_in_use "$port" && continue
    if as_owner "$BIN/pg_ctl" start -D "$DIR/data" -w -t 30 -l "$DIR/server.log" \
      -o "-p $port" >/dev/null; then
      echo "$port" >"$DIR/port"
      return
    fi
  done
  die "could not start the server; see $DIR/server.log"
}

create_database() {
  local port=$1
  if ! "$BIN/psql" -h 127.0.0.1 -p "$port" -U "$USER_NAME" -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
    "$BIN/createdb" -h 127.0.0.1 -p "$port" -U "$USER_NAME" "$DATABASE"
  fi
}

start() {
  [[ -f "$DIR/data/PG_VERSION" ]] || create_cluster
  is_running || start_server
  local port
  port=$(cat "$DIR/port")
  create_database "$port"
  echo "postgres://$USER_NAME@127.0.0.1:$port/$DATABASE"
}

stop() {
  [[ -d "$DIR" ]] || return 0
  if is_running; then
    as_owner "$BIN/pg_ctl" stop -D "$DIR/data" -m immediate -w >/dev/null
  fi
  rm -rf "$DIR"
}

[[ $# -eq 2 ]] || usage
readonly COMMAND=$1
DIR=$(realpath -m "$2")
readonly DIR
USER_NAME=$(id -un)
readonly USER_NAME
BIN=$(find_bin_dir)
readonly BIN

case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
