#!/usr/bin/env bash
# CURVE against plain throughput (issue #16): lines/s end to end through `seq2seq up` with
# `send` → ingest → output → `receive`, plain beside CURVE on every socket (client-facing and
# internal: `up --curve-secret --curve-clients`, clients with their own keys and
# `--curve-server`), on the same input, model, workers and batch size, in interleaved rounds.
# Outputs are checked identical to translate's.
#
#   benchmarks/curve.sh
#
# Models: the golden gru-small model (20,000 lines: the 2,000 longest Tatoeba sentences ten
# times), where the per-message cost shows most, the d2l GRU models/eng-fra-gru (the bundled
# model until the Transformer; those 2,000 lines; CASES name "bundled") and the bundled
# models/eng-fra when it is there (those 2,000 lines; "eng-fra"). WORKERS workers (default 2),
# batch BATCH (default 64), ROUNDS interleaved rounds (default 3, medians reported), CASES the
# models (default "golden bundled eng-fra").
# Target: CURVE at least 90% of plain on the bundled model.
set -euo pipefail
source "$(dirname "$0")/pipeline-common.sh"
batch=${BATCH:-64}
workers=${WORKERS:-2}

# Keys: the pipeline's (shared by its stages) and the client's, listed as allowed.
keys=$work/curve-keys
rm -rf "$keys" && mkdir -p "$keys"
"$bin" keygen --out "$keys/server.key" >/dev/null
"$bin" keygen --out "$keys/client.key" >/dev/null
cp "$keys/client.key.pub" "$keys/clients"
curve_client=(--curve-secret "$keys/client.key" --curve-server "$keys/server.key.pub")

# run_mode MODE MODEL INPUT: one timed run, MODE plain or curve; prints its seconds.
run_mode() {
    local mode=$1 model=$2 input=$3 seconds
    if [ "$mode" = curve ]; then
        client_args=("${curve_client[@]}")
        start_up "$model" "$workers" --batch-size "$batch" --curve-secret "$keys/server.key" --curve-clients "$keys/clients"
        seconds=$(timed_run "$input" "$work/curve.out" "${curve_client[@]}")
    else
        client_args=()
        start_up "$model" "$workers" --batch-size "$batch"
        seconds=$(timed_run "$input" "$work/curve.out")
    fi
    stop_up
    cmp -s "$work/curve.out" "$work/translate.out" || echo "  note: $mode output differs from translate" >&2
    echo "$seconds"
}

# run_case NAME MODEL INPUT: translate once for the reference output, then ROUNDS rounds, each
# plain then CURVE; prints each mode's median and range, and the ratio.
run_case() {
    local model=$2 input=$3 lines round mode
    start_case "$@"
    declare -A times=([plain]="" [curve]="")
    for round in $(seq "${ROUNDS:-3}"); do
        for mode in plain curve; do times[$mode]+=" $(run_mode "$mode" "$model" "$input")"; done
    done
    python3 - "$lines" "${times[plain]}" "${times[curve]}" <<'PY'
import statistics, sys
lines = int(sys.argv[1])
runs = {name: [float(t) for t in arg.split()] for name, arg in zip(["plain", "CURVE"], sys.argv[2:])}
rates = {name: lines / statistics.median(r) for name, r in runs.items()}
for name, r in runs.items():
    print(f"  {name:<6} {statistics.median(r):7.3f} s {rates[name]:10.1f} lines/s  (runs {min(r):.3f}-{max(r):.3f} s)"
          f"  {rates[name] / rates['plain']:.2f} x plain")
PY
}

run_standard_cases "golden bundled eng-fra"
if wants eng-fra "golden bundled eng-fra" && [ -f models/eng-fra/config.json ]; then
    run_case "bundled models/eng-fra" models/eng-fra "$work/long.txt"
fi
