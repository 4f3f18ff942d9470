#!/usr/bin/env bash
# Transformer decoding speed beside transformers and CTranslate2 on the same OPUS-MT model
# directory and sentences, one thread, greedy, interleaved in one run (this machine's speed
# drifts): target tokens/s at batch 1 and batch 64 for each of our compute types (float32,
# int8, bfloat16) and CTranslate2's float32 and int8, and how often outputs agree.
#
#   RIVALS_PYTHON=/tmp/ref/bin/python benchmarks/transformer.sh [MODEL_DIR] [PAIRS.tsv]
#
# MODEL_DIR defaults to ../shared/models/marian-tatoeba (never bundled), PAIRS.tsv to
# data/fra-eng/test.tsv (English side). RIVALS_PYTHON needs torch, transformers,
# sentencepiece and ctranslate2 (pip install torch transformers sentencepiece ctranslate2).
# BATCH1_LIMIT (default 200) sentences at batch 1, all of them at batch 64; MAX_LEN 127
# (transformers' max_length 128).
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-../shared/models/marian-tatoeba}
pairs=${2:-data/fra-eng/test.tsv}
python=${RIVALS_PYTHON:-/tmp/ref/bin/python}
max_len=${MAX_LEN:-127}
work=${BENCH_DIR:-/tmp/seq2seq-bench/transformer}
mkdir -p "$work"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
cut -f1 "$pairs" > "$work/input.txt"
total=$(wc -l < "$work/input.txt")

swift build -c release --product TranslateBenchmark >/dev/null
bench=.build/release/TranslateBenchmark
echo "model: $model; $(grep -c . "$work/input.txt") sentences of $pairs; greedy, max-len $max_len, 1 thread"
echo "CPU: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed "s/^ //"), AVX-512: $(grep -q -w avx512f /proc/cpuinfo && echo yes || echo no)"
for batch in 1 64; do
    limit=$([ "$batch" = 1 ] && echo "${BATCH1_LIMIT:-200}" || echo "$total")
    for type in float32 int8 bfloat16; do
        "$bench" --model "$model" --input "$work/input.txt" --batch "$batch" --limit "$limit" --max-len "$max_len" \
            --compute-type "$type" --out "$work/b$batch.ours-$type.txt" 2>/dev/null | sed 's/^batch [0-9]*: /&seq2seq /' \
            || echo "batch $batch: seq2seq $type: not available on this CPU"
    done
    "$python" benchmarks/transformer_rivals.py "$model" "$work/input.txt" "$batch" "$limit" "$max_len" "$work/b$batch"
    for ours in float32:transformers float32:ctranslate2-float32 int8:ctranslate2-int8 int8:transformers bfloat16:transformers; do
        type=${ours%%:*} rival=${ours#*:}
        [ -f "$work/b$batch.ours-$type.txt" ] || continue
        same=$(paste -d '\t' "$work/b$batch.ours-$type.txt" "$work/b$batch.$rival.txt" | awk -F'\t' '$1 == $2' | wc -l)
        echo "batch $batch: seq2seq $type output = $rival's on $same of $limit sentences"
    done
done
