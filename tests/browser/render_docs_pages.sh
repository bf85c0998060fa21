#!/usr/bin/env bash
# Loads both docs pages of the nearhub at BASE_URL in headless Chromium: once to dump the rendered
# DOM, once for a screenshot with a log of every network request, then checks them with
# check_docs_page.py. Called by docs_pages.sh (inside the offline namespace, via with_server.sh).
#
# Usage: render_docs_pages.sh OUT_DIR BASE_URL
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out_dir=${1:?usage: render_docs_pages.sh OUT_DIR BASE_URL}
base_url=${2:?usage: render_docs_pages.sh OUT_DIR BASE_URL}

chromium_run() {
  local profile
  profile=$(mktemp -d)
  # --virtual-time-budget lets the page's scripts finish before the DOM or screenshot is taken.
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --user-data-dir="$profile" --virtual-time-budget=15000 \
    --window-size=1280,900 "$@" 2>>"$out_dir/chromium.log"
  rm -rf "$profile"
}

status=0
for page in reference:redoc interactive:swagger; do
  name=${page%%:*}
  kind=${page##*:}
  url="$base_url/docs/hub/$name"
  chromium_run --dump-dom "$url" >"$out_dir/$name.html"
  chromium_run --screenshot="$out_dir/$name.png" --log-net-log="$out_dir/$name.netlog.json" "$url"
  python3 "$here/check_docs_page.py" --kind "$kind" --base-url "$base_url" \
    --dom "$out_dir/$name.html" --png "$out_dir/$name.png" \
    --netlog "$out_dir/$name.netlog.json" || status=1
done
exit "$status"
