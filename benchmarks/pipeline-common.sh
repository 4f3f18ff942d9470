# Shared by the pipeline benchmarks: the release binary, inputs, free ports and `up` control.
# Sourced, not run.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPENBLAS_NUM_THREADS=1
swift build -c release --scratch-path "${SCRATCH:-.build-pipe}" --product seq2seq >/dev/null
bin=${SCRATCH:-.build-pipe}/release/seq2seq
work=${BENCH_DIR:-/tmp/seq2seq-pipeline-bench}
mkdir -p "$work"
small=Tests/Fixtures/gru-small/model
large=${LARGE_MODEL:-/tmp/bench/large}

# Long English inputs: the last (longest) sentences of the Tatoeba data.
if [ ! -s "$work/long.txt" ]; then
    tail -n 2000 "${FRA_TXT:-../shared/data/fra-eng/fra.txt}" | cut -f1 > "$work/long.txt"
fi

# golden_input: the golden model's input (the long lines ten times, 20,000 lines); prints its path.
golden_input() {
    for _ in $(seq 10); do cat "$work/long.txt"; done > "$work/small-input.txt"
    echo "$work/small-input.txt"
}

# wants CASE DEFAULTS: whether CASES (default DEFAULTS, space-separated) names CASE.
wants() { [[ " ${CASES:-$2} " == *" $1 "* ]]; }

# start_case NAME MODEL INPUT: translates INPUT into $work/translate.out (the reference the
# pipeline's outputs are checked against) and prints the case's header; sets lines.
start_case() {
    lines=$(wc -l < "$3")
    "$bin" translate --model "$2" --batch-size "$batch" --log-level warning < "$3" > "$work/translate.out"
    echo "== $1: $lines lines, $workers workers, batch $batch, median of ${ROUNDS:-3} rounds =="
}

# run_standard_cases DEFAULTS: the script's run_case on the golden model (20,000 lines) and on the
# d2l GRU models/eng-fra-gru (2,000 lines; CASES name "bundled"), each if CASES (default DEFAULTS)
# names it.
run_standard_cases() {
    if wants golden "$1"; then
        run_case "golden gru-small model (32/32/2)" "$small" "$(golden_input)"
        echo
    fi
    if wants bundled "$1"; then
        run_case "d2l GRU eng-fra-gru (128/256/2)" models/eng-fra-gru "$work/long.txt"
        echo
    fi
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_up MODEL WORKERS [more up options]: runs `up` in the background, waits until one line
# goes through (sent and received with the options in the array client_args, if set: e.g. CURVE
# keys); sets ingest, submit, output, deliver and up_pid.
start_up() {
    local model=$1 workers=$2
    shift 2
    ingest=tcp://127.0.0.1:$(free_port)
    submit=tcp://127.0.0.1:$(free_port)
    output=tcp://127.0.0.1:$(free_port)
    deliver=tcp://127.0.0.1:$(free_port)
    "$bin" up --model "$model" --workers "$workers" --ingest "$ingest" --submit "$submit" --output "$output" \
        --deliver "$deliver" --log-level warning "$@" &
    up_pid=$!
    "$bin" receive ${client_args[@]+"${client_args[@]}"} --from "$output" --count 1 >/dev/null &
    local receiver=$!
    echo "go ." | "$bin" send ${client_args[@]+"${client_args[@]}"} --to "$ingest"
    wait "$receiver"
}

# timed_run INPUT OUT [--acked]: sends INPUT through the running `up` and receives the outputs
# into OUT (plain: ingest and output; --acked: submit and deliver); prints the seconds from the
# first line sent to the last output received.
timed_run() {
    local input=$1 out=$2
    shift 2
    local to=$ingest from=$output
    if [ "${1:-}" = --acked ]; then to=$submit from=$deliver; fi
    "$bin" receive "$@" --from "$from" --count "$(wc -l < "$input")" > "$out" &
    local receiver=$!
    local start=$EPOCHREALTIME
    "$bin" send "$@" --to "$to" < "$input"
    wait "$receiver"
    seconds_since "$start"
}

stop_up() {
    kill -TERM "$up_pid"
    wait "$up_pid"
}

# seconds_since START: elapsed seconds since $EPOCHREALTIME value START.
seconds_since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$EPOCHREALTIME"; }
