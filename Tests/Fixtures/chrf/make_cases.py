"""chrF goldens from sacrebleu (2.6.0): writes cases.json beside this script.

    python3 -m venv /tmp/ref && /tmp/ref/bin/pip install sacrebleu && /tmp/ref/bin/python make_cases.py
"""
import sacrebleu, json, random, os
from sacrebleu.metrics import CHRF
random.seed(3)
fr=[l.rstrip('\n').split('\t')[1] for l in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fra-eng-600.tsv'),encoding='utf-8')][:300]
def perturb(s):
    w=s.split()
    r=random.random()
    if r<0.3 and len(w)>1: del w[random.randrange(len(w))]
    elif r<0.5: w=w[::-1]
    elif r<0.6: return s.lower()
    elif r<0.7: return ''
    return ' '.join(w)
cases=[
 ("mixed French",
  ["Il fait beau aujourd'hui.","J'ai acheté 3.5 kg de pommes pour 1,000 euros !","Tom &amp; Marie sont partis à la gare.","« Où est le chat ? » demanda-t-il.","","C'est un long long chemin vers la maison, n'est-ce pas ?","Je ne sais pas.","Le prix est de 20-30 dollars (environ).","C'est la fin-\n"],
  ["Il fait beau aujourd'hui.","J'ai acheté 3,5 kg de pommes pour 1 000 euros.","Tom & Marie sont partis à la gare.","\"Où est le chat ?\" a-t-il demandé.","Bonjour.","C'est un long chemin jusqu'à la maison.","Je ne le sais pas du tout.","Le prix est de 20-30 dollars environ.","C'est la fin-"]),
 ("short and empty", ["Va !","","a","ab c","Oui."],["Va !","Non.","a","abc","Oui !"]),
 ("all empty hypotheses", ["",""],["Bonjour.","Salut."]),
 ("unicode and whitespace", ["e\u0301té  au\tbord\u00a0de 🇫🇷 l'eau","ＡＢＣ ① ﬁn", "  Çà et là  "],["été au bord de 🇫🇷 l'eau","ABC 1 fin","Çà et là"]),
 ("Tatoeba 300 perturbed", [perturb(s) for s in fr], fr),
]
out=[]
for name,h,r in cases:
    c=sacrebleu.corpus_chrf(h,[r])
    stats=CHRF()._extract_corpus_statistics(h,[r])
    tot=[sum(x) for x in zip(*stats)]
    out.append(dict(name=name,hyp=h,ref=r,score=c.score,stats=tot,text=str(c)))
json.dump(out,open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cases.json'),'w'),ensure_ascii=False,indent=1)
for o in out: print(o['name'],o['score'],o['text'],o['stats'])
print(sacrebleu.__version__)
