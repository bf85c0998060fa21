#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs every test: unit, end-to-end (the real
# binary over loopback), JavaScript clients, and the docs pages in a headless browser — first on
# SQLite, then the tests that touch the database (db, registry, threads, inference, agents, every
# end-to-end test and the JavaScript clients) again on a throwaway local PostgreSQL.
# Arguments go to both ctest runs (e.g. -R auth).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/install-deps.sh --test
scripts/build.sh

cd build
ctest --output-on-failure -j "${NEARHUB_TEST_JOBS:-2}" "$@"

pg_dir=$(mktemp -d /tmp/nearhub-ci-pg.XXXXXX)
chmod 755 "$pg_dir"  # the cluster runs as the postgres user when we are root
trap '"$root/scripts/pg-test-cluster.sh" stop "$pg_dir/cluster" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
NEARHUB_TEST_POSTGRES_URL=$("$root/scripts/pg-test-cluster.sh" start "$pg_dir/cluster")
export NEARHUB_TEST_POSTGRES_URL
echo "PostgreSQL run: $NEARHUB_TEST_POSTGRES_URL"
ctest --output-on-failure -j "${NEARHUB_TEST_JOBS:-2}" -R '^(unit\.(db|registry|threads|inference|agents)|e2e|js)\.' "$@"
