#!/usr/bin/env bash
# Held-out sacreBLEU and chrF of a model (default: the bundled one on the test pairs) by
# `seq2seq eval`, greedy and beam 4, beside sacrebleu's own scores of the same hypothesis and
# reference files.
#
#   benchmarks/train-eval-bleu.sh [MODEL_DIR] [PAIRS.tsv] [extra eval options, e.g. --d2l]
# Environment: PYTHON, a Python with sacrebleu (default /tmp/ref/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/eng-fra}
data=${2:-data/fra-eng/test.tsv}
python=${PYTHON:-/tmp/ref/bin/python}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swift build -c release --scratch-path .build-train --product seq2seq >&2
for beam in 1 4; do
    echo "== beam $beam"
    .build-train/release/seq2seq eval --model "$model" --data "$data" --beam "$beam" "${@:3}" \
        --hypotheses "$out/hyp.txt" --references "$out/ref.txt" --log-level warning
    echo "sacrebleu: $("$python" -c "
import sys, sacrebleu
hyp = open(sys.argv[1], encoding='utf-8').read().splitlines()
ref = open(sys.argv[2], encoding='utf-8').read().splitlines()
print(sacrebleu.corpus_bleu(hyp, [ref], force=True), '|', sacrebleu.corpus_chrf(hyp, [ref]))" "$out/hyp.txt" "$out/ref.txt")"
done
