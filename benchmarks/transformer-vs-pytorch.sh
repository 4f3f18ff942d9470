#!/usr/bin/env bash
# Translation quality after the same training time: `seq2seq train --architecture transformer`
# (the bundled model's recipe) against the PyTorch reference script (transformers' MarianMTModel,
# joint SentencePiece 8,000, the same architecture), each given MINUTES of training on the same
# pairs, then both scored by `seq2seq eval` (sacreBLEU and chrF, greedy and beam 4) on the same
# held-out pairs.
#
#   REFERENCE=../shared/reference/train_marian_torch.py RIVALS_PYTHON=/tmp/ref/bin/python \
#       benchmarks/transformer-vs-pytorch.sh [MINUTES] [TRAIN.tsv] [TEST.tsv]
#
# MINUTES defaults to 60, the pairs to data/fra-eng/{train,test}.tsv. The runs go one after the
# other, each alone on the machine. PARALLEL=1 runs them side by side instead, sharing it; each
# then gets about one core's worth of CPU, but the reference script's two torch threads do far
# worse on a shared machine than alone (532 target tokens/s side by side on 2 cores, against
# 1,911 alone, where ours went from 3,072–3,474 alone to 1,720), so that mode says little about the recipes.
# RIVALS_PYTHON needs torch, transformers, sentencepiece and sacrebleu.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
train=${2:-data/fra-eng/train.tsv}
test=${3:-data/fra-eng/test.tsv}
python=${RIVALS_PYTHON:-/tmp/ref/bin/python}
reference=${REFERENCE:?set REFERENCE to the PyTorch reference script train_marian_torch.py}
work=${BENCH_DIR:-/tmp/seq2seq-bench/quality-$minutes}
mkdir -p "$work"
swift build -c release --product seq2seq >/dev/null
cp .build/release/seq2seq "$work/seq2seq"

ours() {
    "$work/seq2seq" train --architecture transformer --data "$train" --out "$work/ours" --vocab-size 4000 \
        --max-minutes "$minutes" --seed 1 >"$work/ours.log" 2>&1
}
theirs() {
    "$python" "$reference" "$train" "$work/pytorch" "$((minutes * 60))" "$test" >"$work/pytorch.log" 2>&1
}
echo "CPU: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed "s/^ //"); $minutes minutes each; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ ${PARALLEL:-0} == 1 ]]; then
    ours & theirs & wait
else
    ours
    theirs
fi
for model in ours pytorch; do
    for beam in 1 4; do
        echo "$model, beam $beam: $("$work/seq2seq" eval --model "$work/$model" --data "$test" --beam "$beam" --log-level error | tr '\n' ' ')"
    done
done
echo "PyTorch's own scoring: $(grep -E '^beam' "$work/pytorch.log" | tr '\n' ' ')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
