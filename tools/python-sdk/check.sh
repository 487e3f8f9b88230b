#!/usr/bin/env bash
# Telnyx's official Python SDK against telnyx-mock: all 12 operations in one
# stateful session, then a lost create reproduced through the control API.
# Installs the SDK into a venv inside the clone (PyPI only), runs the debug build
# of the mock on a free loopback port, and stops it on exit.
set -euo pipefail
cd "$(dirname "$0")"
venv="$PWD/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q "telnyx==4.189.0"
state="$(mktemp -d)"
coproc MOCK { exec ../../target/debug/telnyx-mock --port 0 --state "$state/state.json"; }
trap 'kill "$MOCK_PID" 2>/dev/null || true; rm -rf "$state"' EXIT
# The first line names the base URL, the second the API key: a blocking read, no polling.
read -r first <&"${MOCK[0]}"
read -r keyline <&"${MOCK[0]}"
base_url="${first##* }"
key="${keyline##* }"
"$venv/bin/python" session.py "$base_url" "$key"
