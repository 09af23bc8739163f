#!/usr/bin/env bash
# Set up linkkeeper and everything its test suite needs: the Python package with its development tools,
# and Debian's Chromium for the browser tests of the dashboard and the HTML report.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v chromium >/dev/null 2>&1; then
    as_root=(env DEBIAN_FRONTEND=noninteractive)
    [ "$(id -u)" -eq 0 ] || as_root=(sudo "${as_root[@]}")
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq chromium
fi
python3 -m pip install -q -e '.[dev]'
