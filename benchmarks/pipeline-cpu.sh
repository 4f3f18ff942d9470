#!/usr/bin/env bash
# Where the pipeline's CPU goes (issue #4): CPU seconds (user + system, all threads, from
# /proc and /usr/bin/time) of each process of one run of the 20,000 golden-model lines
# through `up --workers 1` (batch 64), and per line in µs. Beside `translate`'s CPU for the
# same lines, this shows what the stages add.
#
#   benchmarks/pipeline-cpu.sh            MODEL=DIR INPUT=FILE to measure another model or input
#
# ACKED=1: the acknowledged endpoints (`send --acked`, `receive --acked`) with the tokenizer's
# journal in a temporary state directory, instead of plain ingest and output.
# CURVE=1: CURVE on every socket (`up --curve-secret --curve-clients`, clients with their own key).
set -euo pipefail
source "$(dirname "$0")/pipeline-common.sh"
model=${MODEL:-$small}
input=${INPUT:-$(golden_input)}
lines=$(wc -l < "$input")
ticks=$(getconf CLK_TCK)
# cpu PID: CPU seconds so far of a running process (utime + stime).
cpu() { awk -v ticks="$ticks" '{ print ($14 + $15) / ticks }' "/proc/$1/stat"; }
report() { python3 -c "import sys; s = float(sys.argv[2]); print(f'  {sys.argv[1]:<10} {s:6.2f} s {s / $lines * 1e6:8.1f} µs/line')" "$1" "$2"; }

echo "== $lines lines of $input, model $model =="
/usr/bin/time -f "%U %S" -o "$work/time" "$bin" translate --model "$model" --batch-size 64 < "$input" > /dev/null
report translate "$(awk '{ print $1 + $2 }' "$work/time")"
secure=()
client_args=()
if [ -n "${CURVE:-}" ]; then
    keys=$(mktemp -d)
    "$bin" keygen --out "$keys/server.key" >/dev/null && "$bin" keygen --out "$keys/client.key" >/dev/null
    secure=(--curve-secret "$keys/server.key" --curve-clients "$keys/client.key.pub")
    client_args=(--curve-secret "$keys/client.key" --curve-server "$keys/server.key.pub")
fi
if [ -n "${ACKED:-}" ]; then
    state=$(mktemp -d)
    start_up "$model" 1 --batch-size 64 --state-dir "$state" ${secure[@]+"${secure[@]}"}
    clients=(--acked ${client_args[@]+"${client_args[@]}"})
    from=$deliver to=$submit
else
    start_up "$model" 1 --batch-size 64 ${secure[@]+"${secure[@]}"}
    clients=(${client_args[@]+"${client_args[@]}"})
    from=$output to=$ingest
fi
stages=$(pgrep -P "$up_pid")
declare -A before
for pid in $stages; do before[$pid]=$(cpu "$pid"); done
/usr/bin/time -f "%U %S" -o "$work/time-receive" "$bin" receive "${clients[@]}" --from "$from" --count "$lines" > /dev/null &
receiver=$!
/usr/bin/time -f "%U %S" -o "$work/time-send" "$bin" send "${clients[@]}" --to "$to" < "$input"
wait "$receiver"
for pid in $stages; do
    report "$(tr '\0' ' ' < "/proc/$pid/cmdline" | awk '{ print $2 }')" "$(python3 -c "print($(cpu "$pid") - ${before[$pid]})")"
done
report send "$(awk '{ print $1 + $2 }' "$work/time-send")"
report receive "$(awk '{ print $1 + $2 }' "$work/time-receive")"
stop_up
[ -z "${ACKED:-}" ] || rm -rf "$state"
[ -z "${CURVE:-}" ] || rm -rf "$keys"
