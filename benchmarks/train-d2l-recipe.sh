#!/usr/bin/env bash
# The d2l 0.17 recipe with `seq2seq train` (its defaults: embed 32, hidden 32, 2 layers,
# dropout 0.1, lr 0.005, 300 epochs, batch 64, num-steps 10) on the first 600 pairs, then
# the book's examples. Prints the final training loss, the time and the translations, and
# fails unless the loss is below 0.3 and `go .` → `va !`, `i lost .` → `j'ai perdu .`.
# (A script rather than a test: 300 epochs take too long for a debug-build CI run.)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swift build -c release --scratch-path .build-train --product seq2seq >&2
start=$(date +%s.%N)
.build-train/release/seq2seq train --data Tests/Fixtures/fra-eng-600.tsv --out "$out/model" --log-level warning
end=$(date +%s.%N)
loss=$(tail -n 1 "$out/model/training.csv" | cut -d, -f2)
echo "final training loss: $loss (300 epochs in $(python3 -c "print(f'{$end - $start:.1f}')") s)"
.build-train/release/seq2seq eval --model "$out/model" --examples | tee "$out/examples.txt"
python3 -c "import sys; sys.exit(0 if $loss < 0.3 else 'training loss $loss is not below 0.3')"
grep -qxF "go . => va !, bleu 1.000" "$out/examples.txt"
grep -qxF "i lost . => j'ai perdu ., bleu 1.000" "$out/examples.txt"
echo "recipe reproduced"
