#!/usr/bin/env python3
"""SentencePiece parity corpus for the `separate` Marian fixture's source.spm and target.spm.

Run from the repository root, after Tests/Fixtures/marian/make_fixtures.py:

    /tmp/ref/bin/python Tests/Fixtures/sentencepiece/make_corpus.py

Writes, next to this file:

  corpus.txt    one case per line, UTF-8, split on "\n" only (the file ends with "\n"); an empty line is a case.
                No case contains "\r", "\n" or any other line terminator (\x0b \x0c \x1c-\x1e \x85 U+2028 U+2029),
                so a reader that splits on any of them sees the same lines. Tabs are literal.
  expected.tsv  one row per (model, line): model <TAB> line <TAB> pieces <TAB> ids <TAB> decoded
                  model    "source.spm" or "target.spm" (Tests/Fixtures/marian/separate/model/)
                  line     1-based line number in corpus.txt
                  pieces   sp.encode(line, out_type=str), joined by single spaces (a piece never holds a space)
                  ids      the pieces looked up in that directory's vocab.json (a piece not in it -> <unk>'s id),
                           then </s>'s id, space-separated (what MarianTokenizer gives for the source side)
                  decoded  sp.decode_pieces(pieces) of the same model
                pieces and decoded are escaped: backslash -> \\, tab -> \t, newline -> \n, carriage return -> \r.

It also checks MarianTokenizer (source side, and target side via text_target) against the ids and prints every
line where it differs.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import json  # noqa: E402
import sys  # noqa: E402
import unicodedata  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import sentencepiece as spm  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
MODEL_DIR = REPO / "Tests" / "Fixtures" / "marian" / "separate" / "model"
TEST_TSV = REPO / "data" / "fra-eng" / "test.tsv"

LINE_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# Hand-written awkward cases. Invisible or confusable characters are written as escapes.
AWKWARD = [
    # --- empty and whitespace-only
    "",
    " ",
    "   ",
    "\t",
    "\t\t",
    " \t ",
    "\u00a0",
    "\u3000",
    "\u200b",
    # --- runs of spaces, leading/trailing spaces, tabs
    "  Two leading spaces.",
    "Trailing spaces.   ",
    "Many    spaces     between   words.",
    "   Tom   est   là   .   ",
    "\tLeading tab.",
    "Tab\tinside\tthe\tsentence.",
    "Trailing tab.\t",
    "Mixed \t tab and  spaces \t\t here.",
    # --- other spaces and invisible characters
    "Non\u00a0breaking\u00a0spaces.",
    "\u00a0Leading no-break space.",
    "Trailing no-break space.\u00a0",
    "« Bonjour\u00a0! » dit-il\u202f;",
    "Narrow\u202fno-break\u202fspace.",
    "En\u2002space, em\u2003space, thin\u2009space, hair\u200aspace.",
    "Figure\u2007space and punctuation\u2008space.",
    "Ideographic\u3000space.",
    "Zero\u200bwidth\u200bspaces.",
    "\u200bLeading zero width space.",
    "Trailing zero width space.\u200b",
    "Zero width non\u200cjoiner and\u200djoiner.",
    "Word\u2060joiner.",
    "\ufeffByte order mark at the start.",
    "Byte order\ufeffmark inside.",
    "Soft\u00adhyphen.",
    "Mongolian\u180evowel separator.",
    "Left-to-right\u200emark and right-to-left\u200fmark.",
    "\u202eRight-to-left override\u202c and pop.",
    "Control \x01 character, bell \x07, escape \x1b[31mred\x1b[0m, delete \x7f.",
    "Unit\x1fseparator.",
    # --- NFKC-changed characters
    "\ufb01nance \ufb02ow \ufb00 \ufb03 \ufb04 \ufb05",
    "The \ufb01rst \ufb02ight.",
    "\uff21\uff22\uff23 \uff44\uff45\uff46 \uff11\uff12\uff13",
    "\uff34\uff4f\uff4d\u3000\uff49\uff53\u3000\uff48\uff45\uff52\uff45\uff0e",
    "\u2460\u2461\u2462 \u2469 \u2473",
    "\u24b6\u24b7\u24b8 \u24d0\u24d1\u24d2",
    "Brand\u2122 and service mark\u2120, \u00a9 and \u00ae.",
    "\u00bd \u00bc \u00be \u2153 \u215e",
    "x\u00b2 + y\u00b3 = z\u2074, H\u2082O, CO\u2082.",
    "\uff76\uff80\uff76\uff85 half-width katakana \uff8a\uff9e",
    "\u338f \u339e \u33c4 \u3392",
    "\u216b \u2160\u2161\u2162 \u217b",
    "\u210c\u2111\u211c \u2102\u2115\u211a\u211d\u2124",
    "\u01c6 \u01c4 \u01f3 \u0132 \u0133",
    "Wait\u2026 what\u2026",
    "Prime\u2032 double prime\u2033 triple\u2034.",
    "\u212b (angstrom sign) \u212a (kelvin sign) \u2126 (ohm sign) \u00b5 (micro sign).",
    "\U0001d401\U0001d428\U0001d425\U0001d41d math bold and \U0001d4b6 script.",
    "\u2070\u00b9\u00b2\u00b3\u2074 and \u2080\u2081\u2082.",
    "\ufdfa",
    "Arabic ligature \ufdfb and \ufdf2.",
    "\uff02Fullwidth quotes\uff02 \uff01\uff1f \uff08brackets\uff09 \uff0c\uff1a\uff1b",
    "\u3231 \u3232 \u32a3 \u3300",
    "\u00a8 \u00af \u00b4 \u00b8 spacing diacritics.",
    "\u1e9b\u0323 long s with dots.",
    # --- combining marks
    "e\u0301",
    "\u00e9",
    "cafe\u0301 and caf\u00e9.",
    "Ame\u0301lie et Am\u00e9lie.",
    "n\u0303 \u00f1 a\u0308 \u00e4 o\u0302 \u00f4",
    "a\u0300\u0301\u0302\u0303\u0304 stacked marks.",
    "\u0301Leading combining mark.",
    "Z\u0324\u0354\u0367\u0311\u0313a\u0308\u0356\u032d\u0308\u0307l\u036e\u0312\u036bg\u030c\u0317\u035a\u031ao\u0319\u0314\u036e\u0307\u0350\u0307",
    "A\u030a and \u00c5 and \u212b.",
    "\u1100\u1161\u11a8 and \uac01.",
    "q\u0307\u0323 and \u1e0d\u0307.",
    # --- emoji
    "\U0001f600",
    "Hello \U0001f600 world \U0001f30d!",
    "Thumbs up \U0001f44d\U0001f3fd.",
    "Family \U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466.",
    "Rainbow flag \U0001f3f3\ufe0f\u200d\U0001f308.",
    "Flags \U0001f1eb\U0001f1f7 \U0001f1ec\U0001f1e7 \U0001f1ef\U0001f1f5.",
    "Scotland \U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f.",
    "Heart \u2764\ufe0f and \u2764 and \u263a\ufe0e.",
    "Keycap 1\ufe0f\u20e3 #\ufe0f\u20e3.",
    "Astronaut \U0001f9d1\U0001f3ff\u200d\U0001f680.",
    "\U0001f600\U0001f603\U0001f604\U0001f601\U0001f606\U0001f605\U0001f602\U0001f923",
    "Tom\U0001f600Mary",
    # --- CJK, Arabic, Hebrew and other scripts
    "\u6211\u7231\u4f60\u3002",
    "\u6771\u4eac\u90fd\u306b\u4f4f\u3093\u3067\u3044\u307e\u3059\u3002",
    "\u3053\u3093\u306b\u3061\u306f\u4e16\u754c",
    "\uc548\ub155\ud558\uc138\uc694",
    "\u4e2d\u6587\uff0c\u6807\u70b9\u3002",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",
    "English, \u05e2\u05d1\u05e8\u05d9\u05ea and \u0627\u0644\u0639\u0631\u0628\u064a\u0629 mixed.",
    "\u0393\u03b5\u03b9\u03ac \u03c3\u03bf\u03c5 \u039a\u03cc\u03c3\u03bc\u03b5",
    "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440!",
    "\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e",
    "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e0a\u0e32\u0e27\u0e42\u0e25\u0e01",
    "\u10d2\u10d0\u10db\u10d0\u10e0\u10ef\u10dd\u10d1\u10d0 \u0532\u0561\u0580\u0587",
    "\u1230\u120b\u121d \u0bb5\u0ba3\u0b95\u0bcd\u0b95\u0bae\u0bcd",
    "Tom\u306f\u732b\u304c\u597d\u304d\u3002 Tom aime les chats.",
    "Mixed \u041a\u0438\u0440\u0438\u043b\u043b\u0438\u0446\u0430 and Latin: \u0430 vs a.",
    "\U0001d11e \U00020b9f \U0002a6a5",
    "Private use \ue000\uf8ff and replacement \ufffd.",
    # --- French and English typography
    "L\u2019\u00e9cole et l'\u00e9cole.",
    "\u201cDouble quotes\u201d and \u2018single quotes\u2019.",
    "Dashes \u2014 em, \u2013 en, \u2010 hyphen, \u2011 non-breaking, \u2212 minus.",
    "Tom a dit \u00ab\u00a0bonjour\u00a0\u00bb \u00e0 Marie.",
    "\u00c7a va\u00a0? O\u00f9 est l\u2019h\u00f4tel\u00a0?",
    "\u0152uvre, c\u0153ur, \u00e6sthetic, na\u00efve, No\u00ebl.",
    "ALL CAPS SENTENCE.",
    "mIxEd CaSe SeNtEnCe.",
    "\u0130stanbul, i\u0307, \u0131, stra\u00dfe, STRASSE, \u1e9e.",
    # --- very long words and lines
    "a" * 200,
    "Supercalifragilisticexpialidocious.",
    "Anticonstitutionnellement.",
    "Pneumonoultramicroscopicsilicovolcanoconiosis",
    "abc" * 100,
    "1234567890" * 20,
    "https://www.manythings.org/anki/fra-eng.zip?query=1&x=%20#fragment",
    "Tom " * 60,
    "\u00e9" * 80,
    "\U0001f600" * 40,
    "\u6f22" * 60,
    " ".join(["word"] * 30) + " " + "x" * 100,
    # --- digits, symbols, markup, backslashes
    "3.14159 and 2,718 and 1 000 000.",
    "$100, \u20ac50, \u00a320, \u00a51000, 50%.",
    "#hashtag @user email@example.com",
    "C++ && C# || F# -> =>",
    "<html><b>bold</b></html>",
    "a/b\\c and C:\\path\\to\\file",
    "Backslash-t \\t and backslash-n \\n are not escapes here.",
    "\\",
    "\\\\",
    "Tab after backslash \\\tend.",
    "~!@#$%^&*()_+`-={}|[]:\";'<>?,./",
    # --- special-token and language-code look-alikes, the spm meta symbol
    "</s>",
    "<unk>",
    "<pad>",
    "<s>",
    "Tom </s> Mary",
    "Tom<unk>Mary",
    "before <pad> after",
    ">>fra<< Bonjour.",
    ">>en<<",
    "\u2581",
    "\u2581\u2581",
    "\u2581Leading meta symbol.",
    "Word\u2581word.",
    "Meta \u2581 symbol with spaces.",
    # --- single characters
    "a",
    ".",
    "!",
    "'",
    "\u00e9",
    "0",
    "I",
    "?",
]


def escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def test_lines():
    en, fr = [], []
    with open(TEST_TSV, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            a, b = line.split("\t")[:2]
            en.append(a)
            fr.append(b)
    return en + fr


def main():
    lines = AWKWARD + test_lines()
    for i, s in enumerate(lines):
        assert not (set(s) & LINE_BREAKS), f"case {i} holds a line terminator: {s!r}"
    with open(HERE / "corpus.txt", "w", encoding="utf-8", newline="") as f:
        for s in lines:
            f.write(s + "\n")
    with open(HERE / "corpus.txt", encoding="utf-8", newline="") as f:
        assert f.read().split("\n")[:-1] == lines

    vocab = json.loads((MODEL_DIR / "vocab.json").read_text(encoding="utf-8"))
    unk, eos = vocab["<unk>"], vocab["</s>"]
    models = {name: spm.SentencePieceProcessor(model_file=str(MODEL_DIR / name)) for name in ("source.spm", "target.spm")}

    rows = []
    expected_ids = {}
    for name, sp in models.items():
        for n, s in enumerate(lines, start=1):
            pieces = sp.encode(s, out_type=str)
            assert all(" " not in p and p for p in pieces), (name, n, pieces)
            ids = [vocab.get(p, unk) for p in pieces] + [eos]
            expected_ids[name, n] = ids
            decoded = sp.decode_pieces(pieces)
            rows.append(
                "\t".join([name, str(n), escape(" ".join(pieces)), " ".join(map(str, ids)), escape(decoded)])
            )
    with open(HERE / "expected.tsv", "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(rows) + "\n")

    # MarianTokenizer parity (it splits out literal special tokens and >>xx<< language codes before spm)
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
    import transformers
    from transformers import MarianTokenizer

    transformers.logging.set_verbosity_error()
    tok = MarianTokenizer.from_pretrained(MODEL_DIR)
    differ = {"source.spm": [], "target.spm": []}
    for n, s in enumerate(lines, start=1):
        got_src = tok(s)["input_ids"]
        got_tgt = tok(text_target=s)["input_ids"]
        for name, got in (("source.spm", got_src), ("target.spm", got_tgt)):
            if got != expected_ids[name, n]:
                differ[name].append((n, s, got, expected_ids[name, n]))
    for name, items in differ.items():
        print(f"MarianTokenizer vs {name} + vocab.json: {len(items)} of {len(lines)} lines differ")
        for n, s, got, want in items:
            print(f"  line {n} {s!r}: MarianTokenizer {got} expected {want}")

    sizes = {p.name: p.stat().st_size for p in (HERE / "corpus.txt", HERE / "expected.tsv")}
    print(f"{len(lines)} lines ({len(AWKWARD)} hand-written), {len(rows)} rows; sizes {sizes}")
    nfkc_changed = sum(unicodedata.normalize("NFKC", s) != s for s in AWKWARD)
    print(f"{nfkc_changed} hand-written lines change under NFKC")
    return 0


if __name__ == "__main__":
    sys.exit(main())
