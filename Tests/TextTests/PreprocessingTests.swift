import Foundation
import Tensor
import Testing

@testable import Text

/// The d2l preprocessing, tokenization, vocabulary and detokenizer.
@Suite struct PreprocessingTests {
    @Test func preprocessingFollowsD2L() {
        #expect(preprocess("Go.") == "go .")
        #expect(preprocess("Hi!") == "hi !")
        #expect(preprocess("Wait, what?") == "wait , what ?")
        #expect(preprocess("Already spaced .") == "already spaced .")
        #expect(preprocess("I'm home.\u{202F}") == "i'm home . ")
        #expect(preprocess("Ça\u{00A0}va ?") == "ça va ?")
        #expect(preprocess(".") == ".")  // nothing before the first character
        #expect(preprocess("Wow!!") == "wow ! !")
    }

    /// ASCII text takes a byte-wise path; a trailing "é" sends the same text down the
    /// Unicode path, and must change nothing but the "é" itself.
    @Test func asciiPathAgreesWithUnicodePath() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/fra-eng-600.tsv")
        var samples = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        samples += ["", " ", "..", "A,B.C!D?E", "\tX .\r\nY", "  Hi  !  ", "\u{0}\u{1F}\u{7F}~"]
        var rng = SeededGenerator(seed: 7)
        let alphabet = Array("aZ ,.!?\t\r\n'-0\u{1}\u{7F}".unicodeScalars)
        for _ in 0..<2000 {
            samples.append(String(String.UnicodeScalarView((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })))
        }
        for text in samples where text.utf8.allSatisfy({ $0 < 0x80 }) {
            let processed = preprocess(text)
            #expect(preprocess(text + "é") == processed + "é", "\(text.debugDescription)")
            #expect(tokenize(processed + " é") == tokenize(processed) + ["é"], "\(text.debugDescription)")
        }
    }

    @Test func tokenizeSplitsOnSpacesAndDropsEmptyPieces() {
        #expect(tokenize("  i'm   home . ") == ["i'm", "home", "."])
        #expect(tokenize("") == [])
        #expect(tokenize("   ") == [])
    }

    @Test func detokenizerMakesNormalText() {
        #expect(detokenize(["va", "!"]) == "Va !")
        #expect(detokenize(["j'ai", "perdu", "."]) == "J'ai perdu.")
        #expect(detokenize(["il", "est", "calme", ",", "non", "?"]) == "Il est calme, non ?")
        #expect(detokenize(["été", "."]) == "Été.")
        #expect(detokenize([]) == "")
    }

    @Test func vocabularyCountsLikeD2L() throws {
        let sentences = [["b", "a", "c"], ["a", "b"], ["a", "d"], ["<eos>"]]
        let vocabulary = Vocabulary(counting: sentences, minFrequency: 2)
        // Reserved tokens first, then by descending count, ties by code point; "c" and "d" are too rare.
        #expect(vocabulary.tokens == ["<pad>", "<bos>", "<eos>", "<unk>", "a", "b"])
        #expect(vocabulary.ids(of: ["b", "zzz"]) == [5, vocabulary.unk])
        #expect(vocabulary.tokens(of: [4, 5]) == ["a", "b"])
        #expect(vocabulary.contains("a") && !vocabulary.contains("c"))
    }

    @Test func vocabularyLooksSpecialTokensUpByName() throws {
        let vocabulary = try Vocabulary(tokens: ["x", "<eos>", "<unk>", "<bos>", "<pad>"])
        #expect((vocabulary.pad, vocabulary.bos, vocabulary.eos, vocabulary.unk) == (4, 3, 1, 2))
        #expect(throws: Vocabulary.Problem.missingSpecialToken("<bos>")) { try Vocabulary(tokens: ["<pad>", "<eos>", "<unk>"]) }
        #expect(throws: Vocabulary.Problem.duplicateToken("a")) { try Vocabulary(tokens: ["a", "a"]) }
    }
}
