#!/usr/bin/env python3
"""Batches for the training throughput benchmark (benchmarks/transformer-training.sh).

usage: training_batches.py PAIRS.tsv OUT.json STEPS [d_model layers ffn vocab]

Learns a joint unigram SentencePiece model on both sides of PAIRS.tsv (OPUS-MT's ids: </s> 0, <unk> 1, <pad>
appended), encodes every pair as ../shared/reference/train_marian_torch.py does (pieces, at most 126, then </s>),
cuts the length-sorted pairs into batches of about 3,000 target tokens as that recipe does, and writes STEPS of
them, evenly spread over the length range, with the reference recipe's MarianConfig (d_model 256, 3+3 layers,
ffn 1024, 4 heads, swish, scaled embeddings, vocabulary 8,000 + <pad> by default) to OUT.json:
{"config": {config.json keys}, "batches": [{"sources": [[ids]], "labels": [[ids]]}]}.
"""
import io, json, sys
import sentencepiece as spm

pairs_path, out_path, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
d_model, layers, ffn, V = (int(x) for x in (sys.argv[4:8] if len(sys.argv) > 7 else (256, 3, 1024, 8000)))
pairs = [l.rstrip("\n").split("\t")[:2] for l in open(pairs_path, encoding="utf-8") if l.count("\t") >= 1]
pairs = [(a, b) for a, b in pairs if a and b]
buf = io.BytesIO()
spm.set_random_generator_seed(1)
spm.SentencePieceTrainer.train(sentence_iterator=iter([s for p in pairs for s in p]), model_writer=buf, vocab_size=V,
                               model_type="unigram", character_coverage=1.0, eos_id=0, unk_id=1, bos_id=-1, pad_id=-1,
                               num_threads=2, minloglevel=2)
sp = spm.SentencePieceProcessor(model_proto=buf.getvalue())
PAD = sp.get_piece_size()
enc = lambda s: sp.encode(s)[:126] + [0]
S = [enc(a) for a, _ in pairs]
T = [enc(b) for _, b in pairs]
order = sorted(range(len(pairs)), key=lambda i: (len(T[i]), len(S[i])))
batches, cur, ntok = [], [], 0
for i in order:
    if cur and ntok + len(T[i]) > 3000:
        batches.append(cur)
        cur, ntok = [], 0
    cur.append(i)
    ntok += len(T[i])
batches.append(cur)
chosen = [batches[round(k * (len(batches) - 1) / max(steps - 1, 1))] for k in range(steps)]
config = dict(model_type="marian", vocab_size=PAD + 1, decoder_vocab_size=PAD + 1, d_model=d_model, encoder_layers=layers,
              decoder_layers=layers, encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=ffn,
              decoder_ffn_dim=ffn, max_position_embeddings=256, activation_function="swish", dropout=0.1,
              attention_dropout=0.0, activation_dropout=0.0, scale_embedding=True, pad_token_id=PAD, eos_token_id=0,
              decoder_start_token_id=PAD, forced_eos_token_id=0, share_encoder_decoder_embeddings=True,
              tie_word_embeddings=True)
json.dump({"config": config, "batches": [{"sources": [S[i] for i in b], "labels": [T[i] for i in b]} for b in chosen]},
          open(out_path, "w"))
print(f"{len(pairs)} pairs, {len(batches)} batches of ~3,000 target tokens; {steps} of them in {out_path}", file=sys.stderr)
