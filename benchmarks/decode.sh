#!/usr/bin/env bash
# Batched greedy decoding throughput on one core (issue #2's benchmark).
#
#   benchmarks/decode.sh            # Swift: golden model and a large random model
#   TORCH_PYTHON=/tmp/ref/bin/python benchmarks/decode.sh   # also the PyTorch reference, same weights and input
#
# Prints sentences/s, target tokens/s and achieved GFLOP/s beside the single-core sgemm rate,
# for the large model in each compute type (float32, int8, bfloat16 where the CPU runs it).
# The large model has the shapes of the d2l model on the full data (embed 256, hidden 512,
# 2 layers, vocabularies 9,454 / 16,826), random weights, max_len 20.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
work=${BENCH_DIR:-/tmp/seq2seq-bench}
mkdir -p "$work"

# Long English inputs: the last (longest) sentences of the Tatoeba data.
shared=../shared/data/fra-eng/fra.txt
if [ -f "$shared" ]; then tail -n 2000 "$shared" | cut -f1 > "$work/input.txt"
else cut -f1 data/fra-eng/*.tsv | awk '{ print length, $0 }' | sort -n | cut -d' ' -f2- | tail -n 2000 > "$work/input.txt"; fi

swift build -c release --product DecodeBenchmark >/dev/null
bench=.build/release/DecodeBenchmark

echo "== golden gru-small model (embed 32, hidden 32, 2 layers) =="
"$bench" --model Tests/Fixtures/gru-small/model --input "$work/input.txt" --limit 2000 --batches 1,16,64

echo
echo "== large random model (embed 256, hidden 512, 2 layers, vocab 9454/16826) =="
[ -f "$work/large/config.json" ] || "$bench" --random 256,512,2,9454,16826 --save "$work/large" --input "$work/input.txt" --limit 1 --batches 1 >/dev/null
for type in float32 int8 bfloat16; do
    "$bench" --model "$work/large" --input "$work/input.txt" --limit 512 --batches 16,64 --compute-type "$type" || continue
    "$bench" --model "$work/large" --input "$work/input.txt" --limit 128 --batches 1 --compute-type "$type" | tail -n 1
done

if [ -n "${TORCH_PYTHON:-}" ] && [ -f ../shared/reference/bench_torch.py ]; then
    echo
    echo "== PyTorch reference, same weights and input, 1 thread =="
    for b in 1 64; do
        limit=$([ "$b" = 1 ] && echo 128 || echo 512)
        (cd ../shared/reference && "$TORCH_PYTHON" bench_torch.py "$work/large" "$work/input.txt" --batch "$b" --threads 1 --limit "$limit")
    done
fi
