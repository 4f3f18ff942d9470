"""The rivals of our Transformer decoding on the same model directory and input, one thread,
greedy: transformers' MarianMTModel.generate and CTranslate2 (float32 and int8), timing only
the decoding of text already tokenized. Run through benchmarks/transformer.sh.

usage: transformer_rivals.py MODEL_DIR INPUT.txt BATCH LIMIT MAX_LEN OUT_PREFIX

Prints one line per engine; writes OUT_PREFIX.<engine>.txt with each sentence's target pieces.
"""
import os, subprocess, sys, tempfile, time

import ctranslate2
import sentencepiece
import torch
from transformers import MarianMTModel, MarianTokenizer

model_dir, input_path, batch, limit, max_len, out_prefix = sys.argv[1:7]
batch, limit, max_len = int(batch), int(limit), int(max_len)
torch.set_num_threads(1)
lines = open(input_path, encoding="utf-8").read().splitlines()[:limit]


def report(engine, pieces, seconds):
    # Target tokens as our benchmark counts them: pieces, plus the end of sentence when it stopped by itself.
    tokens = sum(len(p) + (1 if len(p) < max_len else 0) for p in pieces)
    print(f"batch {batch}: {engine}: {len(pieces)} sentences, {tokens} target tokens in {seconds:.2f} s: "
          f"{tokens / seconds:.0f} tokens/s", flush=True)
    with open(f"{out_prefix}.{engine}.txt", "w", encoding="utf-8") as f:
        f.writelines(" ".join(p) + "\n" for p in pieces)


def run_transformers():
    tokenizer = MarianTokenizer.from_pretrained(model_dir)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    special = {model.config.pad_token_id, model.config.eos_token_id}
    encoded = [tokenizer(lines[i:i + batch], return_tensors="pt", padding=True) for i in range(0, len(lines), batch)]
    pieces = []
    with torch.no_grad():
        model.generate(**encoded[0], num_beams=1, do_sample=False, max_length=max_len + 1)  # warm-up
        start = time.perf_counter()
        outputs = [model.generate(**x, num_beams=1, do_sample=False, max_length=max_len + 1) for x in encoded]
        seconds = time.perf_counter() - start
    for y in outputs:
        for row in y.tolist():
            pieces.append(tokenizer.convert_ids_to_tokens([t for t in row[1:] if t not in special]))
    report("transformers", pieces, seconds)


def run_ctranslate2(compute_type):
    out = os.path.join(tempfile.mkdtemp(), "ct2")
    converter = os.path.join(os.path.dirname(sys.executable), "ct2-transformers-converter")
    subprocess.run([converter, "--model", model_dir, "--output_dir", out, "--quantization", compute_type],
                   check=True, capture_output=True)
    sp = sentencepiece.SentencePieceProcessor(model_file=os.path.join(model_dir, "source.spm"))
    tokens = [sp.encode(line, out_type=str) + ["</s>"] for line in lines]
    translator = ctranslate2.Translator(out, device="cpu", inter_threads=1, intra_threads=1, compute_type=compute_type)
    translator.translate_batch(tokens[:batch], beam_size=1, max_batch_size=batch, max_decoding_length=max_len)  # warm-up
    start = time.perf_counter()
    results = [translator.translate_batch(tokens[i:i + batch], beam_size=1, max_batch_size=batch, max_decoding_length=max_len)
               for i in range(0, len(tokens), batch)]
    seconds = time.perf_counter() - start
    report(f"ctranslate2-{compute_type}", [r.hypotheses[0] for rs in results for r in rs], seconds)


run_transformers()
run_ctranslate2("float32")
run_ctranslate2("int8")
