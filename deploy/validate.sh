#!/usr/bin/env bash
# Validates the deployment files without a cluster or a container engine:
#  - Kubernetes manifests against the Kubernetes schemas (kubernetes-validate, from PyPI), strict;
#  - systemd units with systemd-analyze verify (where systemd is installed), against a built seq2seq;
#  - compose.yaml and prometheus.yml parse as YAML.
# Usage: deploy/validate.sh [path/to/seq2seq]   (CI runs it after the tests have built the binary)
set -euo pipefail
binary=$(realpath "${1:-$(dirname "$0")/../.build/debug/seq2seq}")
cd "$(dirname "$0")"

if ! command -v kubernetes-validate >/dev/null; then
    venv=${TMPDIR:-/tmp}/seq2seq-kubernetes-validate
    [ -x "$venv/bin/kubernetes-validate" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q kubernetes-validate; }
    PATH="$venv/bin:$PATH"
fi
kubernetes-validate --strict kubernetes/*.yaml

if command -v systemd-analyze >/dev/null; then
    units=$(mktemp -d)
    trap 'rm -rf "$units"' EXIT
    cp -r systemd/. "$units/"
    sed -i "s|/usr/local/bin/seq2seq|$binary|g" "$units"/*.service
    out=$(SYSTEMD_UNIT_PATH="$units:" systemd-analyze verify seq2seq-tokenizer.service seq2seq-sink.service seq2seq-worker@1.service 2>&1 || true)
    if [ -n "$out" ]; then echo "$out"; echo "systemd units: FAILED"; exit 1; fi
    echo "systemd units: verified"
else
    echo "systemd units: skipped (systemd-analyze not installed)"
fi

python3 - <<'PY'
import sys
try:
    import yaml
except ImportError:
    print("compose.yaml, prometheus.yml: skipped (PyYAML not installed)"); sys.exit(0)
for name in ["compose.yaml", "prometheus.yml"]:
    yaml.safe_load(open(name))
print("compose.yaml, prometheus.yml: parsed")
PY
