#!/usr/bin/env bash
# Training throughput, target tokens per second, of `seq2seq train` beside the PyTorch
# reference's training loop, on the issue's set-up: embed 256, hidden 256, 2 layers,
# dropout 0.2, batch 128, the first 5,000 pairs, one epoch, both on all (2) cores.
#
#   benchmarks/train.sh [PAIRS.tsv]      (default: the shared fra.txt; the reference needs
#                                         /work/shared/reference and a Python with torch)
# Environment: PYTHON (default /tmp/ref/bin/python), REFERENCE (default
# /work/shared/reference), PAIRS (default 5000), EPOCHS (default 1), SKIP_TORCH=1.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-/work/shared/data/fra-eng/fra.txt}
pairs=${PAIRS:-5000}
epochs=${EPOCHS:-1}
python=${PYTHON:-/tmp/ref/bin/python}
reference=${REFERENCE:-/work/shared/reference}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

swift build -c release --scratch-path .build-train --product seq2seq >&2
.build-train/release/seq2seq train --data "$data" --out "$out/model" --max-pairs "$pairs" --epochs "$epochs" \
    --embed-size 256 --num-hiddens 256 --num-layers 2 --dropout 0.2 --batch-size 128 --log-level warning
swift_rate=$(tail -n 1 "$out/model/training.csv" | cut -d, -f5)
echo "swift:   ${swift_rate} target tokens/s (mean of the last epoch; $(nproc) cores)"

if [ "${SKIP_TORCH:-0}" != 1 ]; then
    torch_rate=$(PYTHONPATH="$reference" "$python" - "$data" "$pairs" "$epochs" <<'PY'
import sys, torch
from d2lref import prepare, build_vocab, encode_ids, make_batches, Seq2Seq, init_weights, train
data, n, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.manual_seed(0)
pairs, src, tgt = prepare(data, n)
sv = build_vocab([s + ['<eos>'] for s in src]); tv = build_vocab([t + ['<eos>'] for t in tgt])
si = {t: i for i, t in enumerate(sv)}; ti = {t: i for i, t in enumerate(tv)}
S, L, D, Y = make_batches([encode_ids(si, s) + [si['<eos>']] for s in src],
                          [encode_ids(ti, t) + [ti['<eos>']] for t in tgt], tv, 10)
m = Seq2Seq(len(sv), len(tv), 256, 256, 2, 0.2); m.apply(init_weights)
loss, rate = train(m, S, L, D, Y, tv.index('<pad>'), epochs, 128, 0.005, log=False)
print(f'{rate:.0f}')
PY
)
    echo "pytorch: ${torch_rate} target tokens/s ($("$python" -c 'import torch; print(torch.get_num_threads())') threads)"
    echo "ratio:   $(python3 -c "print(f'{${swift_rate} / ${torch_rate}:.2f}')") × PyTorch"
fi
