#!/usr/bin/env bash
# What each compute type costs in quality and memory: sacreBLEU of `translate` on a held-out
# set and the resident memory of a worker-sized process once the model is loaded, per type.
#
#   RIVALS_PYTHON=/tmp/ref/bin/python benchmarks/compute-types.sh [MODEL_DIR] [PAIRS.tsv]
#
# MODEL_DIR defaults to ../shared/models/marian-tatoeba, PAIRS.tsv to data/fra-eng/test.tsv
# (English<TAB>French). RIVALS_PYTHON needs sacrebleu (pip install sacrebleu).
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-../shared/models/marian-tatoeba}
pairs=${2:-data/fra-eng/test.tsv}
python=${RIVALS_PYTHON:-/tmp/ref/bin/python}
work=${BENCH_DIR:-/tmp/seq2seq-bench/compute-types}
mkdir -p "$work"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
cut -f1 "$pairs" > "$work/input.txt"
cut -f2 "$pairs" > "$work/references.txt"
swift build -c release --product seq2seq >/dev/null
bin=.build/release/seq2seq

echo "model: $model; $(wc -l < "$work/input.txt") sentences of $pairs; greedy"
for type in float32 int8 bfloat16; do
    if ! "$bin" translate --model "$model" --compute-type "$type" < "$work/input.txt" > "$work/$type.txt" 2>"$work/$type.log"; then
        echo "$type: $(tail -n 1 "$work/$type.log")"
        continue
    fi
    bleu=$("$python" -m sacrebleu "$work/references.txt" -i "$work/$type.txt" -m bleu -b -w 2)
    # Resident memory once loaded: translate waits on an open, empty standard input.
    sleep 30 | "$bin" translate --model "$model" --compute-type "$type" >/dev/null 2>&1 &
    sleep 5
    pid=$(pgrep -n -f "seq2seq translate --model $model --compute-type $type")
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
    kill "$pid"
    echo "$type: sacreBLEU $bleu, resident memory $((rss / 1024)) MiB"
done
