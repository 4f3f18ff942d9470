#!/usr/bin/env python3
"""transformers on a directory written by `seq2seq train --architecture transformer`: the golden check that our
training writes OPUS-MT directories transformers loads as they are, and that both decode them alike.

trained/model was made, from the repository root, with (debug build, 2 threads; optimizer.safetensors then removed):

    seq2seq train --architecture transformer --data Tests/Fixtures/fra-eng-600.tsv --out Tests/Fixtures/marian/trained/model \\
        --d-model 32 --encoder-layers 2 --decoder-layers 2 --heads 4 --ffn-dim 64 --vocab-size 200 --batch-tokens 500 \\
        --warmup-steps 50 --lr 3e-3 --epochs 40 --seed 1

This script (run from the repository root: /tmp/ref/bin/python Tests/Fixtures/marian/check_trained.py) loads it with
MarianMTModel and MarianTokenizer.from_pretrained, and writes trained/golden.json: for distinct English
sentences of ../fra-eng-600.tsv (every 20th, 17 of them), the tokenizer's ids and transformers' greedy output ids (generate with the
directory's generation_config.json, num_beams=1, max_length=17: at most 16 new tokens; ids after the start token,
cut before </s>), plus the <pad> row of the shared embedding's largest magnitude (0: OPUS-MT keeps it zero).
It also converts the directory with CTranslate2's converter (what `ct2-transformers-converter` runs) and records
CTranslate2's greedy ids for the same sources (`ctranslate2_greedy_ids`, at most 15 tokens: CTranslate2 does not count
the </s> that transformers forces at max_length), which the test expects to equal ours.
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
import json  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import tempfile  # noqa: E402

import ctranslate2  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import MarianMTModel, MarianTokenizer  # noqa: E402

torch.set_num_threads(1)
warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
transformers.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()
HERE = Path(__file__).resolve().parent
directory = HERE / "trained" / "model"
model = MarianMTModel.from_pretrained(directory).eval()
tok = MarianTokenizer.from_pretrained(directory)
sources = []
for line in open(HERE.parent / "fra-eng-600.tsv", encoding="utf-8"):
    en = line.split("\t")[0]
    if en not in sources:
        sources.append(en)
sources = sources[::20][:24]
cases = []
for s in sources:
    enc = tok(s, return_tensors="pt")
    with torch.no_grad():
        out = model.generate(**enc, num_beams=1, do_sample=False, max_length=17)[0].tolist()[1:]
    ids = out[: out.index(0)] if 0 in out else out
    cases.append({"source": s, "source_ids": enc["input_ids"][0].tolist(), "greedy_ids": ids,
                  "greedy_text": tok.decode(ids, skip_special_tokens=True)})
with tempfile.TemporaryDirectory() as converted:
    ctranslate2.converters.TransformersConverter(str(directory)).convert(converted, force=True)
    translator = ctranslate2.Translator(converted, device="cpu", inter_threads=1, intra_threads=1)
    for case in cases:
        pieces = tok.convert_ids_to_tokens(case["source_ids"])
        result = translator.translate_batch([pieces], beam_size=1, max_decoding_length=15)[0]
        case["ctranslate2_greedy_ids"] = tok.convert_tokens_to_ids(result.hypotheses[0])
pad_row = float(model.model.shared.weight[model.config.pad_token_id].detach().abs().max())
json.dump({"transformers": transformers.__version__, "ctranslate2": ctranslate2.__version__, "pad_row_max_abs": pad_row, "cases": cases},
          open(HERE / "trained" / "golden.json", "w", encoding="utf-8"), indent=1, ensure_ascii=False)
print(f"{len(cases)} cases; {sum(1 for c in cases if c['greedy_ids'])} non-empty; <pad> row max {pad_row}")
