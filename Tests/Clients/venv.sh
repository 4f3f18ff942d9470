#!/usr/bin/env bash
# Makes (once) the Python virtual environment the HTTP API's tests run real clients from:
# libretranslatepy (LibreTranslate's Python client) and schemathesis, both from PyPI; prints its
# directory. Usage: Tests/Clients/venv.sh   (.ci/run calls it before the tests; the tests call it too)
set -euo pipefail
venv=${SEQ2SEQ_HTTP_VENV:-${TMPDIR:-/tmp}/seq2seq-http-clients}
if ! { [ -x "$venv/bin/st" ] && "$venv/bin/python" -c 'import libretranslatepy, schemathesis' 2>/dev/null; }; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q libretranslatepy schemathesis >&2
fi
echo "$venv"
