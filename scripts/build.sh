#!/usr/bin/env bash
# Configures and builds nearhub into build/ (Release with debug info). Extra arguments are
# passed to `cmake --build`, e.g. `--target nearhub`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build build -j "${NEARHUB_BUILD_JOBS:-2}" "$@"
