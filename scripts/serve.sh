#!/usr/bin/env bash
# Installs what is missing, builds, and starts the server on its embedded defaults
# (port 8081, SQLite and blobs under ./data). Arguments go to `nearhub serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh --target nearhub
exec build/nearhub serve "$@"
