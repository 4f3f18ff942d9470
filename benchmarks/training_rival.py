#!/usr/bin/env python3
"""transformers' MarianMTModel training throughput on the batches of training_batches.py.

usage: training_rival.py BATCHES.json

The reference recipe's step (../shared/reference/train_marian_torch.py): padded batch, attention mask on the
sources, labels -100 on padding, CrossEntropyLoss with label smoothing 0.1, backward, the <pad> row's gradient
zeroed, clip_grad_norm_ 1, AdamW (betas 0.9/0.98, eps 1e-9), dropout 0.1, in training mode, 2 threads. One
warm-up step on the first batch, then every batch once, timed; prints target tokens/s.
"""
import json, sys, time
import torch
from transformers import MarianConfig, MarianMTModel

torch.set_num_threads(2)
torch.manual_seed(0)
data = json.load(open(sys.argv[1]))
cfg = MarianConfig(**{k: v for k, v in data["config"].items() if k != "model_type"})
PAD = cfg.pad_token_id
model = MarianMTModel(cfg)
emb = model.get_input_embeddings().weight
with torch.no_grad():
    emb[PAD].zero_()
emb.register_hook(lambda g: g.index_fill(0, torch.tensor([PAD]), 0.0))
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0)
lossf = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1)


def pad(rows, v):
    n = max(map(len, rows))
    return torch.tensor([r + [v] * (n - len(r)) for r in rows])


def step(batch):
    src, tgt = pad(batch["sources"], PAD), batch["labels"]
    labels = pad(tgt, -100)
    dec_in = pad([[PAD] + t[:-1] for t in tgt], PAD)
    logits = model(input_ids=src, attention_mask=(src != PAD).long(), decoder_input_ids=dec_in).logits
    loss = lossf(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return int((labels != -100).sum())


model.train()
step(data["batches"][0])
start, tokens = time.perf_counter(), 0
for b in data["batches"]:
    tokens += step(b)
seconds = time.perf_counter() - start
print(f"transformers {__import__('transformers').__version__} / torch {torch.__version__.split('+')[0]}: "
      f"{tokens / seconds:,.0f} target tokens/s ({tokens} tokens, {len(data['batches'])} steps, {seconds:.1f} s)")
