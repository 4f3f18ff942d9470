#!/bin/sh
# Makes the bundled model's data from the Tatoeba English–French pairs (fra.txt, CC-BY 2.0,
# see _about.txt): the first N pairs (default: all of them), split by English sentence into
# train.tsv and test.tsv. Every 50th distinct English sentence (compared lower-cased, without
# spaces) goes with all its translations to test.tsv, so the model never sees a test source.
#
#   data/fra-eng/make-subset.sh /path/to/fra.txt [N]
set -eu
cd "$(dirname "$0")"
head -n "${2:-1000000000}" "$1" | awk -F '\t' '
    { key = tolower($1); gsub(/ /, "", key)
      if (!(key in id)) id[key] = n++
      if (id[key] % 50 == 49) print > "test.tsv"; else print > "train.tsv" }'
wc -l train.tsv test.tsv
