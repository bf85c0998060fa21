#!/usr/bin/env bash
# Installs the Debian packages nearhub needs; skips what is present, so it is cheap to re-run.
#   scripts/install-deps.sh          build and run the server
#   scripts/install-deps.sh --test   also the test and benchmark tools
set -euo pipefail

build_packages=(
  g++ cmake ninja-build pkg-config make
  libboost-dev nlohmann-json3-dev libsqlite3-dev libpq-dev libsodium-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libicu-dev
  libgtest-dev libgmock-dev googletest
  ca-certificates
)
# Node.js and npm fetch the docs assets (redoc, swagger-ui-dist) at build time.
command -v npm >/dev/null 2>&1 || build_packages+=(nodejs npm)

test_packages=(
  # The API docs pages are rendered by a real browser, in a network namespace with no network.
  chromium iproute2 util-linux python3
  # Schema validator cases.
  json-schema-test-suite
  # Benchmarks: load generator and the nginx baseline.
  wrk nginx-light libbenchmark-dev
  # PostgreSQL runs the same tests as SQLite.
  postgresql
  procps curl
)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then wanted+=("${test_packages[@]}"); fi

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if ((${#missing[@]} == 0)); then exit 0; fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
