#!/usr/bin/env bash
# Proves the API docs pages render with the network OFF: in a new network namespace that has
# only the loopback interface, it starts NEARHUB_BINARY, loads /docs/hub/reference (Redoc) and
# /docs/hub/interactive (Swagger UI) in headless Chromium, and checks that every operation of
# /openapi.json is rendered, that the screenshots are not blank, and that the browser asked for
# nothing outside the server. Screenshots (and the DOMs) are left in OUT_DIR.
#
# Usage: docs_pages.sh NEARHUB_BINARY OUT_DIR
# Needs root (unshare --net), and the Debian packages chromium, iproute2, util-linux, python3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage="usage: docs_pages.sh NEARHUB_BINARY OUT_DIR"
binary=$(realpath "${1:?$usage}")
mkdir -p "${2:?$usage}"
out_dir=$(realpath "$2")

if [[ -z ${NEARHUB_DOCS_OFFLINE:-} ]]; then
  for tool in unshare ip chromium python3; do
    command -v "$tool" >/dev/null || { echo "docs_pages.sh: $tool is not installed" >&2; exit 1; }
  done
  NEARHUB_DOCS_OFFLINE=1 exec unshare --net -- "$0" "$binary" "$out_dir"
fi

ip link set lo up
# (Asks netlink: /sys/class/net would still show the host's interfaces.)
interfaces=$(ip -o link show | awk -F': ' '{print $2}')
if [[ $interfaces != lo ]]; then
  echo "docs_pages.sh: expected only the loopback interface, found: $interfaces" >&2
  exit 1
fi
exec "$here/../support/with_server.sh" "$binary" "$here/render_docs_pages.sh" "$out_dir"
