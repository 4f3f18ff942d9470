#!/usr/bin/env python3
"""Make tiny random MarianMT model directories and golden outputs from Hugging Face transformers.

Run from the repository root (deterministic: fixed seeds, one thread):

    /tmp/ref/bin/python Tests/Fixtures/marian/make_fixtures.py

It (re)writes, next to this file:

    shared/model/            joint SentencePiece model (source.spm == target.spm), one vocab.json
    separate/model/          source.spm (English) and target.spm (French), one shared vocab.json
    separate-vocabs/model/   separate's source.spm, a 280-piece French target.spm, separate_vocabs=true:
                             vocab.json (source) + target_vocab.json (target)
    <name>/golden.json       transformers' generate() and forward() outputs for that model

Model directories are written by MarianMTModel.save_pretrained (transformers 5 always writes safetensors; it has
no safe_serialization argument any more) and MarianTokenizer.save_pretrained, then reloaded with from_pretrained
for the goldens.

Generation settings used for every golden (they are also written into each golden.json under "generation"):

  * model.generation_config is what OPUS-MT models ship on the Hub: bad_words_ids=[[<pad>]] (the pad logit is
    set to -inf) and renormalize_logits=True (log_softmax again after all logits processors), eos 0,
    decoder_start_token_id = pad_token_id = id of <pad>, forced_eos_token_id = 0 where the config has it;
  * generate(input_ids, attention_mask, max_length=N+1, do_sample=False, early_stopping=False, num_beams=1)
    for greedy; num_beams=4 with length_penalty=1.0 ("beam_ids") and 0.6 ("beam_ids_lp06"); and, as an extra,
    num_beams=4, length_penalty=1.0, renormalize_logits=False ("beam_ids_no_renorm");
  * each sentence alone (batch of 1, no padding), float32, model.eval(), torch.no_grad(), 1 thread;
  * then the same settings on padded batches of 8 must give the same ids (asserted), and a plain
    re-implementation of greedy and beam search (ref_greedy, ref_beam below) must reproduce every id list and
    beam score (asserted).

Data: English/French sides of Tests/Fixtures/fra-eng-600.tsv and data/fra-eng/test.tsv
(Tatoeba, CC-BY 2.0, www.manythings.org/anki and tatoeba.org).
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import sentencepiece as spm  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)

import transformers  # noqa: E402
from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer  # noqa: E402

warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
transformers.logging.set_verbosity_error()

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
FRA_ENG_600 = REPO / "Tests" / "Fixtures" / "fra-eng-600.tsv"
TEST_TSV = REPO / "data" / "fra-eng" / "test.tsv"

MAX_NEW_TOKENS = 16  # our --max-len; transformers' max_length counts the decoder start token: N + 1
NUM_BEAMS = 4
BATCH_CHECK = 8
EOS, UNK, PAD = "</s>", "<unk>", "<pad>"


# ----------------------------------------------------------------------------------------------------------------
# data


def read_pairs(path):
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            en, fr = line.split("\t")[:2]
            pairs.append((en, fr))
    return pairs


def distinct(seq):
    seen, out = set(), []
    for x in seq:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


# ----------------------------------------------------------------------------------------------------------------
# SentencePiece


def train_spm(sentences, vocab_size, normalization="nmt_nfkc"):
    """Unigram model with OPUS-MT's special ids: </s> = 0, <unk> = 1, no <s>, no <pad>."""
    spm.set_random_generator_seed(20240601)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type="unigram",
        normalization_rule_name=normalization,
        unk_id=1,
        eos_id=0,
        bos_id=-1,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return buf.getvalue()


def spm_pieces(proto):
    sp = spm.SentencePieceProcessor(model_proto=proto)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def vocab_from(*piece_lists):
    """OPUS-MT-style vocab: </s> 0, <unk> 1, the pieces in order (first occurrence wins), <pad> last."""
    vocab = {EOS: 0, UNK: 1}
    for pieces in piece_lists:
        for p in pieces:
            if p not in vocab:
                vocab[p] = len(vocab)
    vocab[PAD] = len(vocab)
    return vocab


# ----------------------------------------------------------------------------------------------------------------
# weights


def init_weights(
    model, seed, eos_bias, gain=1.5, qk_gain=3.0, out_gain=0.5, emb_std=0.5, logit_bias_std=0.5, pad_bias=8.0
):
    """Random weights that give varied outputs (HF's init_std=0.02 makes every output degenerate).

    * token embeddings ~ N(0, emb_std), the <pad> row zero (OPUS-MT convention); position tables untouched;
    * q/k projections ~ N(0, qk_gain / sqrt(fan_in)) (sharp attention, so outputs depend on the source),
      v and fc1 ~ N(0, gain / sqrt(fan_in)), attention out_proj and fc2 ~ N(0, out_gain / sqrt(fan_in)) with
      fc2's rows centred (the activations' positive mean would otherwise add one constant vector everywhere),
      so the residual stream keeps the input token and the sublayers do not wash every state into one;
    * biases ~ N(0, 0.05); layer norms ~ 1 + N(0, 0.1), except the last decoder layer's final layer norm
      weight ~ N(0, 1): with tied output embeddings this keeps the decoder from predicting its own input token
      again and again;
    * final_logits_bias ~ N(0, logit_bias_std), plus eos_bias on </s> (tuned so that about half of the greedy
      outputs end with </s> before the length cap), and pad_bias on <pad>: <pad>'s raw logit is then often the
      largest and holds much of the softmax mass, as in real Marian models (the reason for bad_words_ids and
      renormalize_logits), so a decoder that forgets to mask <pad>, or masks it after the log_softmax without
      renormalising, gives different outputs (see the "beam_ids_no_renorm" field).
    """
    g = torch.Generator().manual_seed(seed)
    cfg = model.config
    with torch.no_grad():
        for name, p in model.named_parameters():  # tied weights are listed once
            if "embed_positions" in name:
                continue
            if name.endswith("embed_tokens.weight") or name.endswith("shared.weight"):
                p.copy_(torch.randn(p.shape, generator=g) * emb_std)
                p[cfg.pad_token_id].zero_()
            elif "layer_norm" in name and name.endswith(".weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            elif "layer_norm" in name and name.endswith(".bias"):
                p.copy_(0.05 * torch.randn(p.shape, generator=g))
            elif name.endswith(".weight") and p.dim() == 2:
                if "q_proj" in name or "k_proj" in name:
                    std = qk_gain
                elif "out_proj" in name or "fc2" in name:
                    std = out_gain
                else:
                    std = gain
                w = torch.randn(p.shape, generator=g) * (std / math.sqrt(p.shape[1]))
                if "fc2" in name:
                    w -= w.mean(dim=1, keepdim=True)
                p.copy_(w)
            elif name.endswith(".bias"):
                p.copy_(0.05 * torch.randn(p.shape, generator=g))
            else:
                raise RuntimeError(f"unhandled parameter {name}")
        last_ln = model.model.decoder.layers[-1].final_layer_norm
        last_ln.weight.copy_(torch.randn(last_ln.weight.shape, generator=g))
        bias = torch.randn(model.final_logits_bias.shape, generator=g) * logit_bias_std
        bias[0, cfg.eos_token_id] += eos_bias
        bias[0, cfg.pad_token_id] = pad_bias  # = the target vocabulary's <pad> too (same id)
        model.final_logits_bias.copy_(bias)


# ----------------------------------------------------------------------------------------------------------------
# model specs


def specs():
    pairs600 = read_pairs(FRA_ENG_600)
    en600 = [e for e, _ in pairs600]
    fr600 = [f for _, f in pairs600]

    joint = train_spm(en600 + fr600, 400)
    # English-only: 286 pieces is the most this small corpus allows ("~300")
    src_en = train_spm(en600, 280)
    # French side: no normalisation rules (identity): the decoder-side model never normalises anything, and it
    # keeps this file small (nmt_nfkc adds a ~240 KB precompiled charsmap) while covering the no-charsmap case.
    tgt_fr = train_spm(fr600, 350, normalization="identity")
    # separate vocabularies: HF's OPUS-MT converter requires both vocabularies to have the same size (the <pad>
    # appended to each gets the same id, which is the config's pad_token_id), so a 280-piece French model
    tgt_fr280 = train_spm(fr600, 280, normalization="identity")

    common = dict(
        d_model=32,
        max_position_embeddings=128,
        eos_token_id=0,
        bos_token_id=0,
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        tie_word_embeddings=True,
    )
    return [
        dict(
            name="shared",
            seed=15,
            eos_bias=5.5,
            source_spm=joint,
            target_spm=joint,
            vocab=vocab_from(spm_pieces(joint)),
            target_vocab=None,
            config=dict(
                common,
                encoder_layers=2,
                decoder_layers=2,
                encoder_attention_heads=4,
                decoder_attention_heads=4,
                encoder_ffn_dim=64,
                decoder_ffn_dim=64,
                activation_function="swish",
                scale_embedding=True,
                share_encoder_decoder_embeddings=True,
                forced_eos_token_id=0,
            ),
        ),
        dict(
            name="separate",
            seed=24,
            eos_bias=7.0,
            source_spm=src_en,
            target_spm=tgt_fr,
            vocab=vocab_from(spm_pieces(src_en), spm_pieces(tgt_fr)),
            target_vocab=None,
            config=dict(
                common,
                encoder_layers=3,
                decoder_layers=2,
                encoder_attention_heads=4,
                decoder_attention_heads=2,
                encoder_ffn_dim=96,
                decoder_ffn_dim=48,
                activation_function="gelu",
                scale_embedding=False,
                share_encoder_decoder_embeddings=True,
                forced_eos_token_id=None,
            ),
        ),
        dict(
            name="separate-vocabs",
            seed=36,
            eos_bias=4.0,
            source_spm=src_en,
            target_spm=tgt_fr280,
            vocab=vocab_from(spm_pieces(src_en)),
            target_vocab=vocab_from(spm_pieces(tgt_fr280)),
            config=dict(
                common,
                encoder_layers=2,
                decoder_layers=2,
                encoder_attention_heads=2,
                decoder_attention_heads=4,
                encoder_ffn_dim=64,
                decoder_ffn_dim=80,
                activation_function="relu",
                scale_embedding=True,
                share_encoder_decoder_embeddings=False,
                forced_eos_token_id=0,
            ),
        ),
    ]


def write_model_dir(spec, model_dir):
    """Write model + tokenizer exactly as save_pretrained writes them; return (model, tokenizer) reloaded."""
    if model_dir.exists():
        shutil.rmtree(model_dir)
    model_dir.mkdir(parents=True)

    vocab, target_vocab = spec["vocab"], spec["target_vocab"]
    pad_id = vocab[PAD]
    cfg = dict(spec["config"])
    cfg.update(
        vocab_size=len(vocab),
        decoder_vocab_size=len(target_vocab) if target_vocab else len(vocab),
        pad_token_id=pad_id,
        decoder_start_token_id=(target_vocab or vocab)[PAD],
    )
    if target_vocab is not None:
        # as in HF's converter: both vocabularies have one size and <pad> has one id (embedding padding_idx)
        assert len(target_vocab) == len(vocab) and target_vocab[PAD] == pad_id
    config = MarianConfig(**cfg)

    torch.manual_seed(spec["seed"])
    model = MarianMTModel(config)
    init_weights(model, spec["seed"], spec["eos_bias"])
    model.eval()
    gen_pad = (target_vocab or vocab)[PAD]
    gen = dict(
        bad_words_ids=[[gen_pad]],
        bos_token_id=0,
        decoder_start_token_id=gen_pad,
        eos_token_id=0,
        max_length=512,
        num_beams=NUM_BEAMS,
        pad_token_id=gen_pad,
        renormalize_logits=True,
    )
    if cfg.get("forced_eos_token_id") is not None:
        gen["forced_eos_token_id"] = cfg["forced_eos_token_id"]
    model.generation_config = GenerationConfig(**gen)
    model.save_pretrained(model_dir)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "source.spm").write_bytes(spec["source_spm"])
        (tmp / "target.spm").write_bytes(spec["target_spm"])
        with open(tmp / "vocab.json", "w", encoding="utf-8") as f:
            json.dump(vocab, f, indent=2)
        kwargs = {}
        if target_vocab is not None:
            with open(tmp / "target_vocab.json", "w", encoding="utf-8") as f:
                json.dump(target_vocab, f, indent=2)
            kwargs = dict(separate_vocabs=True, target_vocab_file=str(tmp / "target_vocab.json"))
        tok = MarianTokenizer(
            source_spm=str(tmp / "source.spm"),
            target_spm=str(tmp / "target.spm"),
            vocab=str(tmp / "vocab.json"),
            source_lang="en",
            target_lang="fr",
            **kwargs,
        )
        tok.save_pretrained(model_dir)

    # reload from disk: the goldens are what a user of the directory gets
    reloaded = MarianMTModel.from_pretrained(model_dir)
    reloaded.eval()
    sd0, sd1 = model.state_dict(), reloaded.state_dict()
    for k, v in sd0.items():
        assert torch.equal(v, sd1[k]), f"weight {k} changed on reload"
    tok = MarianTokenizer.from_pretrained(model_dir)
    return reloaded, tok


# ----------------------------------------------------------------------------------------------------------------
# goldens


def sig7(x):
    return float(f"{float(x):.7g}")


def matrix(t):
    return [[sig7(v) for v in row] for row in t.tolist()]


def strip_output(seq, eos_id, pad_id):
    """Ids after the decoder start token, cut at the first </s>, padding removed."""
    out = []
    ended_by_eos = False
    for t in seq[1:]:
        if t == eos_id:
            ended_by_eos = True
            break
        if t == pad_id:
            continue
        out.append(t)
    return out, ended_by_eos


# the three decodings of each case: golden key suffix -> generate() settings (beyond max_length etc.)
DECODINGS = {
    "greedy": dict(num_beams=1),
    "beam": dict(num_beams=NUM_BEAMS, length_penalty=1.0),
    "beam_lp06": dict(num_beams=NUM_BEAMS, length_penalty=0.6),
    # what the same model gives when its generation_config lacks renormalize_logits (<pad> is set to -inf after
    # the log_softmax and nothing renormalises): an extra, to tell the two behaviours apart
    "beam_no_renorm": dict(num_beams=NUM_BEAMS, length_penalty=1.0, renormalize_logits=False),
}
KEYS = {  # golden field names per decoding: ids, end, score
    "greedy": ("greedy_ids", "greedy_end", None),
    "beam": ("beam_ids", "beam_end", "beam_score"),
    "beam_lp06": ("beam_ids_lp06", "beam_end_lp06", "beam_score_lp06"),
    "beam_no_renorm": ("beam_ids_no_renorm", "beam_end_no_renorm", "beam_score_no_renorm"),
}


def run_generate(model, enc, kind):
    with torch.no_grad():
        return model.generate(
            **enc,
            max_length=MAX_NEW_TOKENS + 1,
            do_sample=False,
            early_stopping=False,
            **DECODINGS[kind],
            return_dict_in_generate=True,
            output_scores=(kind != "greedy"),
        )


def pick_sources():
    en600 = distinct(e for e, _ in read_pairs(FRA_ENG_600))
    rng = random.Random(600)
    chosen = sorted(rng.sample(range(len(en600)), 46))
    short = [en600[i] for i in chosen]
    test = distinct(e for e, _ in read_pairs(TEST_TSV))
    test = [s for s in test if 15 <= len(s)]
    test.sort(key=lambda s: (len(s), s))
    # 18 longer sentences spread over the length range, ending with the longest
    idx = sorted({round(i * (len(test) - 1) / 17) for i in range(18)})
    longer = [test[i] for i in idx]
    return short + longer


def targets_for_forward():
    pairs = read_pairs(FRA_ENG_600)
    test = read_pairs(TEST_TSV)
    return [pairs[7], pairs[311], max(test, key=lambda p: len(p[0]))]


# ----------------------------------------------------------------------------------------------------------------
# an independent re-implementation of transformers' greedy and beam search (batch of 1, no KV cache), used as a
# self-check that the semantics written in README.md are the ones transformers runs


NEG = -1.0e9  # transformers' "very large negative" for empty beam slots


def ref_step_logprobs(model, src, prefixes, pad, eos, forced, renormalize=True):
    """Next-token scores for each prefix (all the same length) as beam search sees them."""
    with torch.no_grad():
        out = model(input_ids=src.expand(len(prefixes), -1), decoder_input_ids=torch.tensor(prefixes))
    logits = out.logits[:, -1, :].float()
    lp = torch.log_softmax(logits, -1)  # 1. log_softmax of the raw logits (with final_logits_bias)
    lp[:, pad] = -math.inf  # 2. bad_words_ids=[[pad]]: -inf *after* the log_softmax
    if forced is not None and len(prefixes[0]) == MAX_NEW_TOKENS:  # 3. last step: only </s> (score 0)
        lp = torch.full_like(lp, -math.inf)
        lp[:, forced] = 0.0
    # 4. renormalize_logits: log_softmax again (= step 1 over the vocabulary without <pad>)
    return torch.log_softmax(lp, -1) if renormalize else lp


def ref_greedy(model, src, start, pad, eos, forced):
    seq = [start]
    while len(seq) < MAX_NEW_TOKENS + 1:
        t = int(torch.argmax(ref_step_logprobs(model, src, [seq], pad, eos, forced)[0]))  # first max on ties
        seq.append(t)
        if t == eos:
            break
    return seq


def ref_beam(model, src, start, pad, eos, forced, k, length_penalty, renormalize=True):
    max_length = MAX_NEW_TOKENS + 1
    running = [[start]] * k
    running_scores = torch.tensor([0.0] + [NEG] * (k - 1))  # only beam 0 is live at the first step
    finished = []  # (normalised score, sequence), best first, at most k
    improvable = True
    cur_len = 1  # tokens in each running sequence, the start token included
    while True:
        lp = ref_step_logprobs(model, src, running, pad, eos, forced, renormalize)
        vocab = lp.shape[1]
        top_scores, top_idx = torch.topk((lp + running_scores[:, None]).reshape(-1), 2 * k)
        candidates = []
        for rank in range(2 * k):
            beam, token = divmod(int(top_idx[rank]), vocab)
            done = token == eos or cur_len + 1 >= max_length
            candidates.append((top_scores[rank], running[beam] + [token], done, rank))
        # finished hypotheses: only among the k best candidates; score / (generated tokens incl. </s>) ** lp
        for score, seq, done, rank in candidates:
            if done and rank < k and improvable:
                finished.append((score / (cur_len**length_penalty), seq))
        finished = sorted(finished, key=lambda x: -float(x[0]))[:k]
        alive = [(score, seq) for score, seq, done, rank in candidates if not done][:k]
        cur_len += 1
        if len(alive) < k:  # max_length: every candidate is done
            break
        running = [seq for _, seq in alive]
        running_scores = torch.stack([score for score, _ in alive])
        # early_stopping=False: stop once all k slots are finished and the best running beam, normalised by its
        # own current length, is no better than the worst finished one
        best_running = running_scores[0] / ((cur_len - 1) ** length_penalty)
        worst_finished = float(finished[-1][0]) if len(finished) == k else NEG
        improvable = improvable and float(best_running) > worst_finished
        if not improvable:
            break
    return finished[0]


def check_reference(model, cases):
    gc = model.generation_config
    start, pad, eos, forced = gc.decoder_start_token_id, gc.pad_token_id, gc.eos_token_id, gc.forced_eos_token_id
    for case in cases:
        src = torch.tensor([case["source_ids"]])
        ids, _ = strip_output(ref_greedy(model, src, start, pad, eos, forced), eos, pad)
        assert ids == case["greedy_ids"], ("greedy", case["source"], ids, case["greedy_ids"])
        for kind, lp, renorm in (("beam", 1.0, True), ("beam_lp06", 0.6, True), ("beam_no_renorm", 1.0, False)):
            ids_key, _, score_key = KEYS[kind]
            score, seq = ref_beam(model, src, start, pad, eos, forced, NUM_BEAMS, lp, renorm)
            ids, _ = strip_output(seq, eos, pad)
            assert ids == case[ids_key], (kind, case["source"], ids, case[ids_key])
            assert abs(float(score) - case[score_key]) <= 1e-5 * max(1.0, abs(float(score))), (kind, case["source"])


# ----------------------------------------------------------------------------------------------------------------
# goldens


def make_golden(name, model, tok, sources):
    cfg = model.config
    gc = model.generation_config
    eos_id, pad_id = cfg.eos_token_id, gc.pad_token_id
    start_id = gc.decoder_start_token_id
    cases = []
    stats = dict(
        greedy_eos=0, greedy_cap=0, beam_eos=0, beam_cap=0, greedy_ne_beam=0, beam_ne_lp06=0, beam_ne_no_renorm=0
    )
    for src in sources:
        enc = tok(src, return_tensors="pt")
        assert enc["attention_mask"].all()
        case = {"source": src, "source_ids": enc["input_ids"][0].tolist()}
        for kind in DECODINGS:
            ids_key, end_key, score_key = KEYS[kind]
            out = run_generate(model, enc, kind)
            seq = out.sequences[0].tolist()
            assert seq[0] == start_id
            ids, by_eos = strip_output(seq, eos_id, pad_id)
            case[ids_key] = ids
            # "eos": the model chose </s>; "cap": max_length was reached (ending in the forced </s> if any)
            forced = gc.forced_eos_token_id is not None and len(ids) + 1 == MAX_NEW_TOKENS
            case[end_key] = "eos" if by_eos and not forced else "cap"
            if score_key:
                case[score_key] = sig7(out.sequences_scores[0])
        case["greedy_text"] = tok.decode(case["greedy_ids"], skip_special_tokens=True)
        case["beam_text"] = tok.decode(case["beam_ids"], skip_special_tokens=True)
        stats["greedy_eos" if case["greedy_end"] == "eos" else "greedy_cap"] += 1
        stats["beam_eos" if case["beam_end"] == "eos" else "beam_cap"] += 1
        stats["greedy_ne_beam"] += case["greedy_ids"] != case["beam_ids"]
        stats["beam_ne_lp06"] += case["beam_ids"] != case["beam_ids_lp06"]
        stats["beam_ne_no_renorm"] += case["beam_ids"] != case["beam_ids_no_renorm"]
        cases.append(case)

    # padding must not change the reference: same settings on padded batches of 8
    mismatches = []
    for start in range(0, len(sources), BATCH_CHECK):
        batch = sources[start : start + BATCH_CHECK]
        enc = tok(batch, return_tensors="pt", padding=True)
        assert not enc["attention_mask"].all()  # there is padding
        for kind in DECODINGS:
            ids_key = KEYS[kind][0]
            out = run_generate(model, enc, kind)
            for j, seq in enumerate(out.sequences.tolist()):
                ids, _ = strip_output(seq, eos_id, pad_id)
                if ids != cases[start + j][ids_key]:
                    mismatches.append((kind, batch[j], ids, cases[start + j][ids_key]))
    assert not mismatches, f"{name}: padded batch differs from batch of 1: {mismatches}"

    check_reference(model, cases)

    forward = []
    for n_target, (en, fr) in zip((4, 5, 7), targets_for_forward()):
        enc = tok(en, return_tensors="pt")
        tgt = tok(text_target=fr)["input_ids"]  # target-side pieces and ids, </s> appended
        dec = [start_id] + tgt[:n_target]
        assert 5 <= len(dec) <= 8, dec
        with torch.no_grad():
            out = model(
                input_ids=enc["input_ids"],
                attention_mask=enc["attention_mask"],
                decoder_input_ids=torch.tensor([dec]),
            )
        forward.append(
            {
                "source": en,
                "source_ids": enc["input_ids"][0].tolist(),
                "target": fr,
                "decoder_input_ids": dec,
                "encoder_output": matrix(out.encoder_last_hidden_state[0]),
                "logits": matrix(out.logits[0]),
            }
        )

    generation = {
        "max_length": MAX_NEW_TOKENS + 1,
        "do_sample": False,
        "early_stopping": False,
        "decoder_start_token_id": start_id,
        "eos_token_id": eos_id,
        "pad_token_id": pad_id,
        "forced_eos_token_id": gc.forced_eos_token_id,
        "bad_words_ids": gc.bad_words_ids,
        "renormalize_logits": gc.renormalize_logits,
        "batch_size": 1,
    }
    golden = {
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "sentencepiece": spm.__version__,
        "max_new_tokens": MAX_NEW_TOKENS,
        "length_penalty": 1.0,
        "num_beams": NUM_BEAMS,
        "generation": generation,
        "cases": cases,
        "forward": forward,
    }
    return golden, stats


def dump_golden(golden, path):
    """Readable and compact: one line per case, one line per matrix row."""

    def j(x):
        return json.dumps(x, ensure_ascii=False)

    lines = ["{"]
    for key, value in golden.items():
        if key == "cases":
            lines.append(f'  "cases": [')
            lines.append(",\n".join("    " + j(c) for c in value))
            lines.append("  ],")
        elif key == "forward":
            lines.append('  "forward": [')
            entries = []
            for entry in value:
                fields = []
                for k, v in entry.items():
                    if k in ("encoder_output", "logits"):
                        rows = ",\n".join("        " + j(r) for r in v)
                        fields.append(f'      "{k}": [\n{rows}\n      ]')
                    else:
                        fields.append(f'      "{k}": {j(v)}')
                entries.append("    {\n" + ",\n".join(fields) + "\n    }")
            lines.append(",\n".join(entries))
            lines.append("  ]")
        else:
            lines.append(f'  "{key}": {j(value)},')
    lines.append("}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == golden
    path.write_text(text, encoding="utf-8")


def main():
    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(0)
    sources = pick_sources()
    assert len(sources) >= 60
    for spec in specs():
        name = spec["name"]
        model_dir = HERE / name / "model"
        model, tok = write_model_dir(spec, model_dir)
        golden, stats = make_golden(name, model, tok, sources)
        dump_golden(golden, HERE / name / "golden.json")
        size = sum(p.stat().st_size for p in model_dir.iterdir())
        print(
            f"{name}: vocab {len(spec['vocab'])}"
            + (f"/{len(spec['target_vocab'])}" if spec["target_vocab"] else "")
            + f", model dir {size / 1024:.0f} KB, {len(golden['cases'])} cases: "
            + ", ".join(f"{k} {v}" for k, v in stats.items())
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
