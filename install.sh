#!/usr/bin/env bash
# Set up linkkeeper and everything its test suite needs: the Python package with its development tools,
# and Debian's Chromium for the browser tests of the dashboard and the HTML report.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v chromium >/dev/null 2>&1; then
    sudo_if_needed=""
    [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"
    $sudo_if_needed apt-get update -qq
    $sudo_if_needed apt-get install -y -qq chromium
fi
python3 -m pip install -q -e '.[dev]'
