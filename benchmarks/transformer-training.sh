#!/usr/bin/env bash
# Transformer training throughput: our Swift training step beside transformers' MarianMTModel
# (PyTorch), same config (the reference recipe's: d_model 256, 3+3 layers, ffn 1024, 4 heads,
# swish, SentencePiece 8,000), same batches of about 3,000 target tokens, 2 threads, one run each:
# target tokens per second.
#
#   RIVALS_PYTHON=/tmp/ref/bin/python benchmarks/transformer-training.sh [PAIRS.tsv] [STEPS]
#
# PAIRS.tsv defaults to data/fra-eng/train.tsv, STEPS to 12 (batches spread over the length
# range). RIVALS_PYTHON needs torch, transformers and sentencepiece. SCRATCH (default .build)
# is the Swift build directory. ROUNDS (default 1) repeats the pair of runs, interleaved, for a
# machine whose load drifts.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-data/fra-eng/train.tsv}
steps=${2:-12}
python=${RIVALS_PYTHON:-/tmp/ref/bin/python}
scratch=${SCRATCH:-.build}
work=${BENCH_DIR:-/tmp/seq2seq-bench/training}
mkdir -p "$work"
export OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2

swift build -c release --scratch-path "$scratch" --product TrainingBenchmark >/dev/null
"$python" benchmarks/training_batches.py "$pairs" "$work/batches.json" "$steps"
echo "CPU: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed "s/^ //"), AVX-512: $(grep -q -w avx512f /proc/cpuinfo && echo yes || echo no); 2 threads; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "${ROUNDS:-1}"); do
    "$scratch/release/TrainingBenchmark" "$work/batches.json" --threads 2
    "$python" benchmarks/training_rival.py "$work/batches.json"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
