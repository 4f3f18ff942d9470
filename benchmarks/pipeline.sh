#!/usr/bin/env bash
# End-to-end throughput of the streaming pipeline (issue #4): lines/s through `seq2seq up` with
# 1 and 2 workers beside `seq2seq translate` on the same input, model and batch size.
#
#   benchmarks/pipeline.sh
#
# Models: the golden gru-small model (20,000 lines: the 2,000 longest Tatoeba sentences ten
# times) and the large random model at $LARGE_MODEL (default /tmp/bench/large; embed 256,
# hidden 512, 2 layers; make it with /tmp/ref/bin/python /work/shared/reference/make_random.py
# /work/shared/data/fra-eng/fra.txt /tmp/bench/large 142787 256 512 2) on the first
# $LARGE_LINES (default 1,024) of them. Batch size $BATCH (default 64). Every worker runs with
# OPENBLAS_NUM_THREADS=1. Targets: one worker within 10% of translate; two workers on the
# large model at least 1.8x one worker. Outputs are checked identical to translate's.
set -euo pipefail
source "$(dirname "$0")/pipeline-common.sh"
batch=${BATCH:-64}

# run_case NAME MODEL INPUT
run_case() {
    local name=$1 model=$2 input=$3
    local lines
    lines=$(wc -l < "$input")
    echo "== $name: $lines lines, batch $batch =="
    local start elapsed
    start=$EPOCHREALTIME
    "$bin" translate --model "$model" --batch-size "$batch" < "$input" > "$work/translate.out"
    elapsed=$(seconds_since "$start")
    local base
    base=$(python3 -c "print(f'{$lines / $elapsed:.1f}')")
    printf "  %-22s %8.3f s %10s lines/s\n" "translate" "$elapsed" "$base"
    local one=""
    for workers in 1 2; do
        start_up "$model" "$workers" --batch-size "$batch"
        "$bin" receive --from "$output" --count "$lines" > "$work/up.out" &
        local receiver=$!
        start=$EPOCHREALTIME
        "$bin" send --to "$ingest" < "$input"
        wait "$receiver"
        elapsed=$(seconds_since "$start")
        stop_up
        # Batches are composed differently than translate's; on a random model a near tie
        # can then tip a greedy choice (the model's float sums depend on the batch shape).
        local differing
        differing=$(diff "$work/up.out" "$work/translate.out" | grep -c '^<' || true)
        [ "$differing" = 0 ] || echo "  note: $differing of $lines lines differ from translate (batch-dependent rounding)"
        local rate
        rate=$(python3 -c "print(f'{$lines / $elapsed:.1f}')")
        [ "$workers" = 1 ] && one=$rate
        printf "  %-22s %8.3f s %10s lines/s  (%s x translate, %s x one worker)\n" "up --workers $workers" "$elapsed" "$rate" \
            "$(python3 -c "print(f'{$rate / $base:.2f}')")" "$(python3 -c "print(f'{$rate / $one:.2f}')")"
    done
}

for _ in $(seq 10); do cat "$work/long.txt"; done > "$work/small-input.txt"
run_case "golden gru-small model" "$small" "$work/small-input.txt"
echo
if [ -f "$large/config.json" ]; then
    head -n "${LARGE_LINES:-1024}" "$work/long.txt" > "$work/large-input.txt"
    run_case "large random model (256/512/2)" "$large" "$work/large-input.txt"
else
    echo "== large random model: $large missing (see the header of this script) =="
fi
