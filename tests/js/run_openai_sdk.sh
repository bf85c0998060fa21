#!/usr/bin/env bash
# The official `openai` npm SDK as a NEAR AI agent uses it: baseURL = nearhub, apiKey = a signed
# NEAR token. Starts fake_openai_server (the upstream provider) and a nearhub configured with it
# as provider `local`, both on free ports, runs tests/js/openai_sdk/*.test.mjs, stops both.
#
# Usage: run_openai_sdk.sh NEARHUB_BINARY FAKE_OPENAI_SERVER_BINARY
set -euo pipefail

nearhub=${1:?usage: run_openai_sdk.sh NEARHUB_BINARY FAKE_OPENAI_SERVER_BINARY}
fake=${2:?usage: run_openai_sdk.sh NEARHUB_BINARY FAKE_OPENAI_SERVER_BINARY}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../support/test_database.sh
source "$here/../support/test_database.sh"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  drop_test_database
  rm -rf "$work"
}
trap cleanup EXIT

# Waits for "listening on URL" in FILE while PID lives; prints URL.
wait_listening() {
  local file=$1 pid=$2 name=$3 url=
  for _ in $(seq 300); do
    url=$(grep -o 'listening on http://[^ ]*' "$file" | sed 's/^listening on //') || true
    [[ -n $url ]] && { echo "$url"; return 0; }
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run_openai_sdk.sh: $name exited before listening:" >&2
      cat "$work/$name.stderr" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "run_openai_sdk.sh: $name printed no 'listening on' line within 30 s" >&2
  return 1
}

upstream_key=sk-upstream-$RANDOM$RANDOM
"$fake" --port 0 --models test-model,other-model --api-key "$upstream_key" --chunk-delay-ms 15 \
  >"$work/fake.stdout" 2>"$work/fake.stderr" &
pids+=($!)
fake_url=$(wait_listening "$work/fake.stdout" "${pids[-1]}" fake)

# The provider table as an operator would write it; the key stays in the environment.
cat >"$work/hub.toml" <<EOF
[providers.local]
base_url = "$fake_url"
api_key_env = "FAKE_PROVIDER_KEY"
EOF
# A fixed hub key (test vector B of spec §2.4) and one trusted runner, for the signed-completion test.
FAKE_PROVIDER_KEY=$upstream_key \
  HUB_PRIVATE_KEY=ed25519:5j4jxNMwYim8phkmCJtPu8792ocAPHV6F3d9V4soJUoUXj5nUxAWmgg71VqW3rYU7aFYvrhsaEGvy6Pnrtrw9rkQ \
  NEARHUB_AUTH_TRUSTED_RUNNER_API_KEYS=trusted-runner-key \
  NEARHUB_ACCESS_LOG=false \
  "$nearhub" serve --host 127.0.0.1 --port 0 --data-dir "$work/data" --config "$work/hub.toml" \
  "${test_database_args[@]}" \
  >"$work/nearhub.stdout" 2>"$work/nearhub.stderr" &
pids+=($!)
hub_url=$(wait_listening "$work/nearhub.stdout" "${pids[-1]}" nearhub)

cd "$here"
npm ci --silent
status=0
NEARHUB_URL="$hub_url" FAKE_OPENAI_URL="$fake_url" TRUSTED_RUNNER_API_KEY=trusted-runner-key \
  node --test --test-reporter=spec ./openai_sdk/*.test.mjs || status=$?
if ((status != 0)); then
  echo "--- nearhub log ---" >&2
  tail -n 50 "$work/nearhub.stderr" >&2
  echo "--- fake_openai_server log ---" >&2
  tail -n 20 "$work/fake.stderr" >&2
fi
exit "$status"
