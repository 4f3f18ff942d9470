import Testing
@testable import Text

// Golden values come from sacrebleu 2.6.0 on Python 3.11.7, the independent implementation:
//   corpus:    b = sacrebleu.corpus_bleu(hyps, [refs])
//              print(b.score, b.counts, b.totals, b.precisions, b.bp, b.sys_len, b.ref_len, str(b))
//   tokenizer: from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a; Tokenizer13a()(line)
// and d2l values from the d2l.ai `bleu(pred, label, k)` function, run as printed in the book.

/// A corpus with sacrebleu's statistics for it.
struct BLEUCase: CustomTestStringConvertible, Sendable {
    let name: String
    let hypotheses: [String]
    let references: [String]
    let score: Double
    let matches: [Int]
    let totals: [Int]
    let precisions: [Double]
    let brevityPenalty: Double
    let sysLen: Int
    let refLen: Int
    /// sacrebleu's `str(score)`.
    let verbose: String

    var testDescription: String { name }
}

let bleuCases: [BLEUCase] = [
    // Punctuation, apostrophes, guillemets and quotes, hyphens, `3.5` vs `3,5`, `1,000`,
    // `&amp;`, a perfect match, an empty hypothesis, shorter and longer hypotheses, and a
    // trailing `-\n` that sacrebleu's `rstrip()` keeps from being joined.
    BLEUCase(
        name: "mixed French",
        hypotheses: [
            "Il fait beau aujourd'hui.",
            "J'ai acheté 3.5 kg de pommes pour 1,000 euros !",
            "Tom &amp; Marie sont partis à la gare.",
            "« Où est le chat ? » demanda-t-il.",
            "",
            "C'est un long long chemin vers la maison, n'est-ce pas ?",
            "Je ne sais pas.",
            "Le prix est de 20-30 dollars (environ).",
            "C'est la fin-\n",
        ],
        references: [
            "Il fait beau aujourd'hui.",
            "J'ai acheté 3,5 kg de pommes pour 1 000 euros.",
            "Tom & Marie sont partis à la gare.",
            "\"Où est le chat ?\" a-t-il demandé.",
            "Bonjour.",
            "C'est un long chemin jusqu'à la maison.",
            "Je ne le sais pas du tout.",
            "Le prix est de 20-30 dollars environ.",
            "C'est la fin-",
        ],
        score: 53.67202967001198, matches: [51, 35, 23, 16], totals: [65, 57, 49, 41],
        precisions: [78.46153846153847, 61.40350877192982, 46.93877551020408, 39.02439024390244],
        brevityPenalty: 0.9847331232494917, sysLen: 65, refLen: 66,
        verbose:
            "BLEU = 53.67 78.5/61.4/46.9/39.0 (BP = 0.985 ratio = 0.985 hyp_len = 65 "
            + "ref_len = 66)"),
    // Hypotheses longer than references, no 4-gram match: `exp` smoothing gives 100 / (2 · 10).
    BLEUCase(
        name: "longer, no 4-gram match",
        hypotheses: ["the cat sat on a big red mat today", "dogs bark loudly at night when cold"],
        references: ["a cat sat on the mat", "at night dogs bark"],
        score: 16.515821590069027, matches: [10, 4, 1, 0], totals: [16, 14, 12, 10],
        precisions: [62.5, 28.571428571428573, 8.333333333333334, 5.0],
        brevityPenalty: 1.0, sysLen: 16, refLen: 10,
        verbose:
            "BLEU = 16.52 62.5/28.6/8.3/5.0 (BP = 1.000 ratio = 1.600 hyp_len = 16 ref_len = 10)"),
    // No 3-grams at all: precision 3 stays 0 and the score is 0 despite matches.
    BLEUCase(
        name: "too short for 3-grams",
        hypotheses: ["va !", "cours !"], references: ["va !", "courez !"],
        score: 0, matches: [3, 1, 0, 0], totals: [4, 2, 0, 0], precisions: [75, 50, 0, 0],
        brevityPenalty: 1, sysLen: 4, refLen: 4,
        verbose:
            "BLEU = 0.00 75.0/50.0/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)"),
    // Nothing matches: early exit with all precisions 0, brevity penalty still computed.
    BLEUCase(
        name: "no match",
        hypotheses: ["Le chien dort.", "Il neige beaucoup"],
        references: ["Un oiseau chante !", "Nous partons demain matin."],
        score: 0, matches: [0, 0, 0, 0], totals: [7, 5, 3, 1], precisions: [0, 0, 0, 0],
        brevityPenalty: 0.7514772930752859, sysLen: 7, refLen: 9,
        verbose: "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.751 ratio = 0.778 hyp_len = 7 ref_len = 9)"),
    BLEUCase(
        name: "empty hypotheses",
        hypotheses: ["", ""], references: ["Il pleut.", "Je suis là."],
        score: 0, matches: [0, 0, 0, 0], totals: [0, 0, 0, 0], precisions: [0, 0, 0, 0],
        brevityPenalty: 0, sysLen: 0, refLen: 7,
        verbose: "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.000 ratio = 0.000 hyp_len = 0 ref_len = 7)"),
]

@Suite struct CorpusBLEUTests {
    @Test(arguments: bleuCases)
    func matchesSacrebleu(_ c: BLEUCase) {
        let b = corpusBLEU(hypotheses: c.hypotheses, references: c.references)
        #expect(abs(b.score - c.score) < 0.01)
        #expect(b.matches == c.matches)
        #expect(b.totals == c.totals)
        #expect(b.precisions.count == 4)
        for (mine, theirs) in zip(b.precisions, c.precisions) { #expect(abs(mine - theirs) < 1e-9) }
        #expect(abs(b.brevityPenalty - c.brevityPenalty) < 1e-12)
        #expect(b.sysLen == c.sysLen)
        #expect(b.refLen == c.refLen)
        #expect(b.verboseDescription == c.verbose)
        #expect(c.verbose.hasPrefix(b.description + " "))
    }

    @Test func descriptionHasTwoDecimals() {
        let b = corpusBLEU(
            hypotheses: bleuCases[1].hypotheses, references: bleuCases[1].references)
        #expect(b.description == "BLEU = 16.52")
    }

    /// Holds whenever some sentence has a 4-gram; otherwise sacrebleu's score is 0, as in
    /// "too short for 3-grams".
    @Test(
        arguments: bleuCases.map(\.references).filter { $0.contains { tokenize13a($0).count >= 4 } }
            + [["Il pleut", "a b c d e f", ""]])
    func corpusAgainstItselfIs100(_ corpus: [String]) {
        let b = corpusBLEU(hypotheses: corpus, references: corpus)
        #expect(abs(b.score - 100) < 1e-9)
        #expect(b.brevityPenalty == 1)
    }

    @Test(arguments: bleuCases.map(\.references))
    func emptyHypothesesScoreZero(_ references: [String]) {
        let b = corpusBLEU(hypotheses: references.map { _ in "" }, references: references)
        #expect(b.score == 0)
        #expect(b.sysLen == 0)
    }

    @Test func emptyCorpusScoresZero() {
        let b = corpusBLEU(hypotheses: [], references: [])
        #expect(b.score == 0)
        #expect(b.description == "BLEU = 0.00")
    }

    @Test func caseIsKept() {
        let b = corpusBLEU(hypotheses: ["Le chat dort ici"], references: ["le chat dort ici"])
        #expect(b.matches == [3, 2, 1, 0])
    }
}

@Suite struct Tokenizer13aTests {
    /// Lines and the string sacrebleu's `Tokenizer13a()` turns each into.
    static let golden: [(line: String, tokenized: String)] = [
        ("Hello, world! It's 3.5 km -- 1,000.5 m.", "Hello , world ! It's 3.5 km -- 1,000.5 m ."),
        ("a-\nb <skipped> c\nd", "ab c d"),
        (
            "&amp;lt; &quot;quoted&quot; &gt; AT&amp;T &amp;amp;",
            "< \" quoted \" > AT & T & amp ;"
        ),
        ("e.g. U.S.A., etc..", "e . g . U . S . A . , etc . ."),
        ("10-20 -5 x-y 5- 2-3-4", "10 - 20 -5 x-y 5 - 2 - 3 - 4"),
        (
            "(test) [x] {y} ~z~ a/b @me #tag $5 100% ^_^ `bt` |p| \\s",
            "( test ) [ x ] { y } ~ z ~ a / b @ me # tag $ 5 100 % ^ _ ^ ` bt ` | p | \\ s"
        ),
        ("l'homme qu'il a vu aujourd'hui", "l'homme qu'il a vu aujourd'hui"),
        (
            ".5 ,5 5. 5, a.b a,b 1.a a.1 3.14.15 1,,2",
            ". 5 , 5 5 . 5 , a . b a , b 1 . a a . 1 3.14.15 1 , , 2"
        ),
        (
            "tab\there  \u{00A0}nbsp\u{2009}thin\u{3000}wide\u{1C}info",
            "tab here nbsp thin wide info"
        ),
        (
            "« Où est-il ? » demanda-t-elle ; « là ! »",
            "« Où est-il ? » demanda-t-elle ; « là ! »"
        ),
        ("e\u{0301}t\u{00E9}.", "e\u{0301}t\u{00E9} ."),
        ("line\r\nbreak-\r\nend", "line break- end"),
        ("J'ai 3,5 kg.&amp; (100%)", "J'ai 3,5 kg . & ( 100 % )"),
        ("", ""),
        ("   ", ""),
    ]

    @Test(arguments: golden.indices)
    func matchesSacrebleu(_ i: Int) {
        let (line, tokenized) = Self.golden[i]
        let tokens = tokenize13a(line)
        // Compare scalars, as Python compares strings, not canonical equivalence.
        let joined = tokens.joined(separator: " ")
        #expect(Array(joined.unicodeScalars) == Array(tokenized.unicodeScalars))
        #expect(!tokens.contains(""))
    }
}

@Suite struct D2LBLEUTests {
    /// Prediction, label, k and the d2l `bleu` value.
    static let golden: [(prediction: String, label: String, k: Int, bleu: Double)] = [
        // The d2l book's translations of "go .", "i lost .", "he's calm .", "i'm home .".
        ("va !", "va !", 2, 1),
        ("j'ai perdu .", "j'ai perdu .", 2, 1),
        ("il est calme .", "il est calme .", 2, 1),
        ("je suis chez moi .", "je suis chez moi .", 2, 1),
        ("il est <unk> .", "il est calme .", 2, 0.6580370064762462),
        ("je suis <unk> .", "je suis chez moi .", 2, 0.5124797359336637),
        ("il court .", "il est mouillé .", 2, 0),
        ("i lost .", "j'ai perdu .", 2, 0),
        // Clipping, brevity penalty, higher k, k = 0, and Python's split(' ') on empty and
        // doubled-space strings.
        ("le le le chat", "le chat", 2, 0.537284965911771),
        ("le chat est sur le tapis", "le chat est sur le tapis rouge", 4, 0.846481724890614),
        ("a b c d e", "a b c x e f", 3, 0.536770254827322),
        ("va !", "va !", 0, 1),
        ("", "va !", 2, 0),
        ("", "", 2, 1),
        ("va !", "", 2, 0),
        ("a  b", "a b", 2, 0),
        ("a  b", "a  b c", 2, 0.7165313105737893),
        ("le  chat", "le chat", 1, 0.816496580927726),
    ]

    @Test(arguments: golden.indices)
    func matchesD2L(_ i: Int) {
        let c = Self.golden[i]
        #expect(abs(d2lBLEU(prediction: c.prediction, label: c.label, k: c.k) - c.bleu) < 1e-12)
    }
}
