#!/usr/bin/env bash
# Lints the OpenAPI document a running nearhub serves with @redocly/cli (exact version in
# package.json) and the rules of redocly.yaml. Exits non-zero when the document is invalid.
#
# Usage: lint_openapi.sh BASE_URL        e.g. lint_openapi.sh http://127.0.0.1:8081
# REDOCLY_PREFIX: directory to install the tool into (default: next to this script).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
base_url=${1:?usage: lint_openapi.sh BASE_URL}
prefix=${REDOCLY_PREFIX:-$here}
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

# Install (again) when missing or when the lock file changed since the last install.
if ! cmp -s "$here/package-lock.json" "$prefix/installed-package-lock.json"; then
  mkdir -p "$prefix"
  if [[ $prefix != "$here" ]]; then
    cp "$here/package.json" "$here/package-lock.json" "$here/.npmrc" "$prefix/"
  fi
  (cd "$prefix" && npm ci --silent)
  cp "$here/package-lock.json" "$prefix/installed-package-lock.json"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node -e '
  fetch(process.argv[1]).then(async (response) => {
    if (!response.ok) throw new Error(`${process.argv[1]}: HTTP ${response.status}`);
    require("fs").writeFileSync(process.argv[2], await response.text());
  }).catch((error) => { console.error(error.message); process.exit(1); });
' "$base_url/openapi.json" "$work/openapi.json"

"$prefix/node_modules/.bin/redocly" lint --config "$here/redocly.yaml" "$work/openapi.json"
