#!/usr/bin/env python3
"""Training goldens: transformers' loss and gradients on the fixture models, for the Swift training Transformer.

Run from the repository root after make_fixtures.py (deterministic; a few seconds):

    /tmp/ref/bin/python Tests/Fixtures/marian/make_training_golden.py

For each fixture model (shared, separate, separate-vocabs) it loads <name>/model with MarianMTModel and
MarianTokenizer, tokenizes a batch of 4 pairs of ../fra-eng-600.tsv of different lengths, pads it as
../../../../shared/reference/train_marian_torch.py does (sources and decoder inputs with <pad>, an attention mask
on the sources, labels with -100; decoder input = <pad> (the decoder start) then the labels but the last), runs
the model in training mode (the fixtures' dropout is 0, so nothing random happens), and records in
training-golden.json:

  loss                     torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1) over the logits
  loss_no_smoothing        the same with label_smoothing=0
  tokens                   the number of label tokens
  gradients[name]          of the smoothed loss, for every parameter in named_parameters() (tied ones once):
                           {"norm": L2 norm, "sum": sum, "first": the first 4 values in row-major order}
                           with the <pad> rows of the embeddings' gradients zeroed, as the reference recipe's
                           hook does (final_logits_bias is a buffer in transformers: no gradient)
  source_ids, labels       the batch, unpadded (labels end with </s>)

Floats are rounded to 7 significant digits; one thread, float32.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import json  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402

torch.set_num_threads(1)

import transformers  # noqa: E402
from transformers import MarianMTModel, MarianTokenizer  # noqa: E402

warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
transformers.logging.set_verbosity_error()

HERE = Path(__file__).resolve().parent
PAIRS = HERE.parent / "fra-eng-600.tsv"
NAMES = ["shared", "separate", "separate-vocabs"]
LINES = [0, 150, 420, 599]  # "Go." ... "I'm first.": short and longer sentences, so that padding matters


def sig7(x):
    return float(f"{float(x.detach() if torch.is_tensor(x) else x):.7g}")


def main():
    pairs = [line.rstrip("\n").split("\t")[:2] for line in open(PAIRS, encoding="utf-8")]
    batch = [pairs[i] for i in LINES]
    out = {"transformers": transformers.__version__, "torch": torch.__version__.split("+")[0], "label_smoothing": 0.1}
    for name in NAMES:
        directory = HERE / name / "model"
        transformers.utils.logging.disable_progress_bar()
        model = MarianMTModel.from_pretrained(directory)
        tok = MarianTokenizer.from_pretrained(directory)
        cfg = model.config
        pad = cfg.pad_token_id
        sources = [tok(en)["input_ids"] for en, _ in batch]
        labels = [tok(text_target=fr)["input_ids"] for _, fr in batch]

        def padded(rows, value):
            n = max(map(len, rows))
            return torch.tensor([r + [value] * (n - len(r)) for r in rows])

        src = padded(sources, pad)
        dec_in = padded([[cfg.decoder_start_token_id] + t[:-1] for t in labels], pad)
        lab = padded(labels, -100)
        model.train()
        model.zero_grad()
        logits = model(input_ids=src, attention_mask=(src != pad).long(), decoder_input_ids=dec_in).logits
        flat_logits, flat_labels = logits.reshape(-1, logits.shape[-1]), lab.reshape(-1)
        loss = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1)(flat_logits, flat_labels)
        plain = torch.nn.CrossEntropyLoss(ignore_index=-100)(flat_logits, flat_labels)
        loss.backward()
        gradients = {}
        for pname, p in model.named_parameters():
            if "embed_positions" in pname:  # the fixed sinusoidal tables
                continue
            g = p.grad.detach().clone()
            if "embed_tokens" in pname or "shared" in pname:
                g[pad].zero_()
            gradients[pname] = {
                "norm": sig7(g.norm()),
                "sum": sig7(g.sum()),
                "first": [sig7(v) for v in g.reshape(-1)[:4].tolist()],
            }
        out[name] = {
            "source_ids": sources,
            "labels": labels,
            "tokens": int((lab != -100).sum()),
            "loss": sig7(loss),
            "loss_no_smoothing": sig7(plain),
            "gradients": gradients,
        }
    with open(HERE / "training-golden.json", "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
