#!/usr/bin/env bash
# Set up linkkeeper and everything its test suite needs: the Python package with its development tools
# (and mutmut for bench/mutation.py, MkDocs for the documentation site: the dev, mutation and docs extras),
# Debian's Chromium for the browser tests of the dashboard and the HTML report, Debian's redis-server
# for the tests of distributed runs (each test starts its own on loopback; none is left running), and
# python3-venv where Debian's Python lacks it, for the test of the production install.
set -euo pipefail
cd "$(dirname "$0")"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The suite builds a production install in a fresh virtual environment: Debian's Python needs python3-venv for it.
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    as_root=(env DEBIAN_FRONTEND=noninteractive)
    [ "$(id -u)" -eq 0 ] || as_root=(sudo "${as_root[@]}")
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq "${missing[@]}"
fi
python3 -m pip install -q -e '.[dev,mutation,docs]'
# The modules compiled once, here: where PYTHONDONTWRITEBYTECODE is set (CI's machines set it), Python never writes
# them as it imports, and every run compiled them again (0.05 s of the start of each check-links process).
python3 -m compileall -q -j 0 archive crawler dashboard linkkeeper cli.py launch.py >/dev/null
