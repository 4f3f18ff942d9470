#!/usr/bin/env bash
# End-to-end throughput of the streaming pipeline (issue #4): lines/s through `seq2seq up` with
# 1 and 2 workers beside `seq2seq translate` on the same input, model and batch size.
#
#   benchmarks/pipeline.sh
#
# Models: the golden gru-small model (20,000 lines: the 2,000 longest Tatoeba sentences ten
# times; embed 32, hidden 32, so decoding costs about as much per line as the extra stages),
# the d2l GRU model models/eng-fra-gru (those 2,000 lines; embed 128, hidden 256) and the large random
# model at $LARGE_MODEL (default /tmp/bench/large; embed 256, hidden 512, 2 layers; make it
# with /tmp/ref/bin/python /work/shared/reference/make_random.py
# /work/shared/data/fra-eng/fra.txt /tmp/bench/large 142787 256 512 2) on the first
# $LARGE_LINES (default all 2,000) of them: a worker holds up to two batches, so when the input
# runs out one worker may still have a batch to go while the other idles; over 31 batches that
# tail weighs half as much as over 16. Batch size $BATCH (default 64). Every worker runs with
# OPENBLAS_NUM_THREADS=1. Targets: one worker within 10% of translate; two workers on the
# large model at least 1.8x one worker. Outputs are checked identical to translate's.
# ROUNDS sets the number of rounds (default 5); CASES the models (default "golden bundled large").
set -euo pipefail
source "$(dirname "$0")/pipeline-common.sh"
batch=${BATCH:-64}

# One timed run; prints its seconds. run_translate MODEL INPUT / run_up MODEL INPUT WORKERS.
run_translate() {
    local start=$EPOCHREALTIME
    "$bin" translate --model "$1" --batch-size "$batch" < "$2" > "$work/translate.out"
    seconds_since "$start"
}
run_up() {
    local model=$1 input=$2 workers=$3
    start_up "$model" "$workers" --batch-size "$batch"
    timed_run "$input" "$work/up.out"
    stop_up
    # Batches are composed differently than translate's; on a random model a near tie can
    # then tip a greedy choice (the model's float sums depend on the batch shape).
    local differing
    differing=$(diff "$work/up.out" "$work/translate.out" | grep -c '^<' || true)
    [ "$differing" = 0 ] || echo "  note: up --workers $workers: $differing lines differ from translate (batch-dependent rounding)" >&2
}

# run_case NAME MODEL INPUT: $ROUNDS rounds (default 5), each timing translate, up with one
# worker and up with two, one after the other, so that the machine's drifting speed touches
# all three alike; prints each configuration's median (and range) and the ratios of medians.
run_case() {
    local name=$1 model=$2 input=$3
    local lines rounds=${ROUNDS:-5}
    lines=$(wc -l < "$input")
    echo "== $name: $lines lines, batch $batch, median of $rounds rounds =="
    local times=("" "" "")
    for _ in $(seq "$rounds"); do
        times[0]+=" $(run_translate "$model" "$input")"
        times[1]+=" $(run_up "$model" "$input" 1)"
        times[2]+=" $(run_up "$model" "$input" 2)"
    done
    python3 - "$lines" "${times[@]}" <<'PY'
import statistics, sys
lines = int(sys.argv[1])
names = ["translate", "up --workers 1", "up --workers 2"]
runs = [[float(t) for t in arg.split()] for arg in sys.argv[2:]]
rates = [lines / statistics.median(r) for r in runs]
for name, r, rate in zip(names, runs, rates):
    print(f"  {name:<16} {statistics.median(r):7.3f} s {rate:10.1f} lines/s"
          f"  (runs {min(r):.3f}-{max(r):.3f} s)  {rate / rates[0]:.2f} x translate, {rate / rates[1]:.2f} x one worker")
PY
}

# CASES picks the models (default all three): golden, bundled, large.
defaults="golden bundled large"
run_standard_cases "$defaults"
if wants large "$defaults"; then
    if [ -f "$large/config.json" ]; then
        head -n "${LARGE_LINES:-2000}" "$work/long.txt" > "$work/large-input.txt"
        run_case "large random model (256/512/2)" "$large" "$work/large-input.txt"
    else
        echo "== large random model: $large missing (see the header of this script) =="
    fi
fi
