#!/usr/bin/env bash
# Held-out BLEU of a model (default: the bundled one on its test pairs) by `seq2seq eval`,
# beside sacrebleu's default corpus score on the same hypothesis and reference files.
#
#   benchmarks/train-eval-bleu.sh [MODEL_DIR] [PAIRS.tsv]
# Environment: PYTHON, a Python with sacrebleu (default /tmp/ref/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/eng-fra}
data=${2:-data/fra-eng/test.tsv}
python=${PYTHON:-/tmp/ref/bin/python}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swift build -c release --scratch-path .build-train --product seq2seq >&2
.build-train/release/seq2seq eval --model "$model" --data "$data" --examples \
    --hypotheses "$out/hyp.txt" --references "$out/ref.txt"
echo "sacrebleu: $("$python" -c "
import sys, sacrebleu
hyp = open(sys.argv[1], encoding='utf-8').read().splitlines()
ref = open(sys.argv[2], encoding='utf-8').read().splitlines()
print(sacrebleu.corpus_bleu(hyp, [ref], force=True))" "$out/hyp.txt" "$out/ref.txt")"
