import Foundation
import Tensor
import Testing
import Text

@testable import Training

/// Reading pairs files, building examples, splitting and batching.
@Suite struct DataTests {
    @Test func brokenLinesAreSkippedAndCounted() {
        var bytes = Array("Go.\tVa !\r\nno tab here\n\n \tvide\nHi.\t \nRun!\tCours !\tCC-BY attribution\n".utf8)
        bytes += [0x62, 0x61, 0x64, 0xFF, 0x09, 0x78, 0x0A]  // invalid UTF-8
        bytes += Array("I'm home.\tJe suis chez moi.".utf8)  // no final newline
        let corpus = ParallelCorpus(bytes: bytes)
        #expect(corpus.pairs.map(\.source) == [["go", "."], ["run", "!"], ["i'm", "home", "."]])
        #expect(corpus.pairs.map(\.target) == [["va", "!"], ["cours", "!"], ["je", "suis", "chez", "moi", "."]])
        #expect(corpus.skipped == SkippedLines(withoutTab: 2, emptySide: 2, invalidUTF8: 1))
        #expect(ParallelCorpus(bytes: bytes, maxPairs: 2).pairs.count == 2)
    }

    @Test func aFileWithoutUsableLinesIsAClearError() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.tsv").path
        try Data("just text\n\t\nsource only\t  \n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: PairsFileError.self) {
            try TrainingRun(options: TrainingOptions(), dataPath: path, logger: quietLogger)
        }
        #expect(error == .noUsablePairs(path: path, skipped: SkippedLines(withoutTab: 1, emptySide: 2, invalidUTF8: 0)))
        #expect(error?.description.contains("no usable sentence pair") == true)
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(throws: PairsFileError.noUsablePairs(path: path, skipped: SkippedLines())) { try ParallelCorpus(contentsOf: path) }
        let missing = dir.appendingPathComponent("missing.tsv").path
        #expect(throws: PairsFileError.unreadable(path: missing, reason: "no such file")) { try ParallelCorpus(contentsOf: missing) }
        #expect(throws: PairsFileError.unreadable(path: dir.path, reason: "a directory")) { try ParallelCorpus(contentsOf: dir.path) }
    }

    @Test func examplesFollowD2L() throws {
        let source = try Vocabulary(tokens: Vocabulary.reservedTokens + ["i", "lost", "."])
        let target = try Vocabulary(tokens: ["<unk>", "<eos>", "<bos>", "<pad>", "j'ai", "perdu", "."])
        let pair = SentencePair(source: ["i", "lost", "it", "."], target: ["j'ai", "perdu", "."])
        let full = Example(pair, sourceVocabulary: source, targetVocabulary: target, numSteps: 10)
        #expect(full.source == [4, 5, 3, 6, 2])
        #expect(full.labels == [4, 5, 6, 1])
        #expect(full.decoderInput == [2, 4, 5, 6])
        let truncated = Example(pair, sourceVocabulary: source, targetVocabulary: target, numSteps: 3)
        #expect(truncated.source == [4, 5, 3] && truncated.labels == [4, 5, 6] && truncated.decoderInput == [2, 4, 5])
    }

    @Test func validationSourcesNeverAppearInTraining() {
        let pairs = ParallelCorpus(bytes: Array(try! Data(contentsOf: URL(fileURLWithPath: Fixtures.pairs600)))).pairs
        let (training, validation) = ParallelCorpus.split(pairs, validationFraction: 0.1, seed: 1)
        #expect(training.count + validation.count == pairs.count)
        let distinct = Set(pairs.map(\.source)).count
        #expect(Set(validation.map(\.source)).count == Int((Double(distinct) * 0.1).rounded()))
        #expect(Set(training.map(\.source)).isDisjoint(with: validation.map(\.source)))
        #expect(ParallelCorpus.split(pairs, validationFraction: 0.1, seed: 1) == (training, validation))
        #expect(ParallelCorpus.split(pairs, validationFraction: 0.1, seed: 2).validation != validation)
        #expect(ParallelCorpus.split(pairs, validationFraction: 0, seed: 1).validation.isEmpty)
    }

    @Test func batchesCoverEveryExampleOnceInASeededOrder() {
        var rng = SeededGenerator(seed: 4)
        let batches = shuffledBatches(count: 103, batchSize: 10, using: &rng)
        #expect(batches.count == 11 && batches.last!.count == 3)
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<103))
        #expect(batches.flatMap { $0 } != Array(0..<103))
        var again = SeededGenerator(seed: 4)
        #expect(shuffledBatches(count: 103, batchSize: 10, using: &again) == batches)
    }
}
