#!/usr/bin/env bash
# Latency of single lines through `seq2seq up` under light load (issue #4): one line in flight
# at a time, sent by a long-lived `seq2seq send` and read back by a long-lived
# `seq2seq receive`; prints p50 and p99 over $COUNT lines (default 500) for the golden model
# and, if present, the large random model ($LARGE_MODEL, default /tmp/bench/large).
#
#   benchmarks/pipeline-latency.sh
set -euo pipefail
source "$(dirname "$0")/pipeline-common.sh"
count=${COUNT:-500}

# measure NAME MODEL
measure() {
    local name=$1 model=$2
    start_up "$model" 2
    rm -f "$work/to-send" "$work/received"
    mkfifo "$work/to-send" "$work/received"
    "$bin" send --to "$ingest" < "$work/to-send" &
    local sender=$!
    "$bin" receive --from "$output" --count "$count" > "$work/received" &
    local receiver=$!
    exec 3>"$work/to-send" 4<"$work/received"
    : > "$work/latencies"
    local i=0 start reply
    while IFS= read -r line && [ "$i" -lt "$count" ]; do
        start=$EPOCHREALTIME
        printf '%s\n' "$line" >&3
        IFS= read -r reply <&4
        echo "$start $EPOCHREALTIME" >> "$work/latencies"
        i=$((i + 1))
    done < <(while true; do cat "$work/long.txt"; done)
    exec 3>&- 4<&-
    wait "$sender" "$receiver"
    stop_up
    python3 - "$name" "$work/latencies" <<'PY'
import sys
name, path = sys.argv[1], sys.argv[2]
ms = sorted((float(b) - float(a)) * 1000 for a, b in (line.split() for line in open(path)))
pick = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
print(f"  {name:34s} n={len(ms)}  p50 {pick(0.50):7.2f} ms  p99 {pick(0.99):7.2f} ms")
PY
}

echo "== single-line latency through up (2 workers), one line in flight =="
measure "golden gru-small model" "$small"
if [ -f "$large/config.json" ]; then
    measure "large random model (256/512/2)" "$large"
fi
