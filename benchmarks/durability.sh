#!/usr/bin/env bash
# Acknowledged against plain throughput (issue #13): lines/s end to end through `seq2seq up`
# with `send` → ingest → output → `receive` (plain PUSH/PULL, no state directory) beside
# `send --acked` → submit → deliver → `receive --acked` with a journal in a state directory
# (every input fsynced before its acceptance, every record acknowledged by the consumer), on
# the same input, model, workers and batch size; and the journal's fsyncs per second (from
# the tokenizer's seq2seq_journal_fsyncs_total). Outputs are checked identical to translate's.
#
#   benchmarks/durability.sh
#
# Models: the golden gru-small model (20,000 lines: the 2,000 longest Tatoeba sentences ten
# times), where the per-message cost shows, and the d2l GRU models/eng-fra-gru (those 2,000 lines).
# WORKERS workers (default 2), batch BATCH (default 64), ROUNDS interleaved rounds (default 3,
# medians reported), CASES the models (default "golden bundled"), STATE_DIR the directory the
# journal goes under (default: a temporary directory on the disk of $TMPDIR).
# Target: acked at least 80% of plain on the golden model.
set -euo pipefail
source "$(dirname "$0")/pipeline-common.sh"
batch=${BATCH:-64}
workers=${WORKERS:-2}

# run_plain MODEL INPUT: one timed plain run; prints its seconds.
run_plain() {
    local model=$1 input=$2
    start_up "$model" "$workers" --batch-size "$batch"
    timed_run "$input" "$work/plain.out"
    stop_up
    cmp -s "$work/plain.out" "$work/translate.out" || echo "  note: plain output differs from translate" >&2
}

# run_acked MODEL INPUT: one timed acknowledged run; prints its seconds and the journal's fsyncs.
run_acked() {
    local model=$1 input=$2 state port
    state=$(mktemp -d "${STATE_DIR:-${TMPDIR:-/tmp}}/seq2seq-journal-XXXXXX")
    port=$(free_port)
    start_up "$model" "$workers" --batch-size "$batch" --state-dir "$state" --metrics-port "$port" --metrics-host 127.0.0.1
    local before seconds
    before=$(fsyncs "$port")
    seconds=$(timed_run "$input" "$work/acked.out" --acked)
    echo "$seconds $(($(fsyncs "$port") - before))"
    stop_up
    rm -rf "$state"
    cmp -s "$work/acked.out" "$work/translate.out" || echo "  note: acked output differs from translate" >&2
}

# fsyncs PORT: the tokenizer's journal fsyncs so far.
fsyncs() {
    python3 - "$1" <<'PY'
import sys, urllib.request
body = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics").read().decode()
print(int(sum(float(line.split()[-1]) for line in body.splitlines() if line.startswith("seq2seq_journal_fsyncs_total"))))
PY
}

# run_case NAME MODEL INPUT: ROUNDS rounds of plain then acked; medians, ratio and fsyncs/s.
run_case() {
    local model=$2 input=$3 lines rounds=${ROUNDS:-3}
    start_case "$@"
    local plain="" acked=""
    for _ in $(seq "$rounds"); do
        plain+=" $(run_plain "$model" "$input")"
        acked+=" $(run_acked "$model" "$input" | tr ' ' ':')"
    done
    python3 - "$lines" "$plain" "$acked" <<'PY'
import statistics, sys
lines = int(sys.argv[1])
plain = [float(t) for t in sys.argv[2].split()]
acked = [tuple(float(x) for x in run.split(":")) for run in sys.argv[3].split()]
p, a = statistics.median(plain), statistics.median(t for t, _ in acked)
fsyncs = statistics.median(f / t for t, f in acked)
print(f"  plain  {p:7.3f} s {lines / p:10.1f} lines/s  (runs {min(plain):.3f}-{max(plain):.3f} s)")
print(f"  acked  {a:7.3f} s {lines / a:10.1f} lines/s  (runs {min(t for t, _ in acked):.3f}-{max(t for t, _ in acked):.3f} s)"
      f"  {p / a:.2f} x plain")
print(f"  journal: {fsyncs:.0f} fsyncs/s, {statistics.median(lines / f for _, f in acked if f):.1f} lines per fsync")
PY
}

run_standard_cases "golden bundled"
