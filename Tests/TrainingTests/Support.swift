import Foundation
import Logging
import Seq2Seq
import Tensor
import Text

@testable import Training

/// Test fixtures, found relative to this file.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    /// The golden PyTorch model directory.
    static let goldenModel = directory.appendingPathComponent("gru-small/model").path
    /// The golden cases.
    static let goldenCases = directory.appendingPathComponent("gru-small/cases.json")
    /// The first 600 pairs of the Tatoeba English–French data.
    static let pairs600 = directory.appendingPathComponent("fra-eng-600.tsv").path
}

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// A tiny randomly initialised model's weights.
func tinyWeights(embed: Int = 3, hidden: Int = 4, layers: Int = 2, sourceVocabulary: Int = 7, targetVocabulary: Int = 8, seed: UInt64 = 5)
    -> Seq2SeqWeights
{
    let config = ModelConfig(
        embedSize: embed, numHiddens: hidden, numLayers: layers, srcVocabSize: sourceVocabulary, tgtVocabSize: targetVocabulary,
        maxLen: 10)
    var rng = SeededGenerator(seed: seed)
    return Seq2SeqWeights(randomFor: config, using: &rng)
}

/// Random examples over vocabularies of the given sizes (ids 0…3 reserved as in d2l).
func randomExamples(count: Int, sourceVocabulary: Int, targetVocabulary: Int, maxLength: Int, seed: UInt64) -> [Example] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        let s = Int.random(in: 1...maxLength, using: &rng)
        let t = Int.random(in: 1...maxLength, using: &rng)
        let labels = (0..<t).map { _ in Int.random(in: 2..<targetVocabulary, using: &rng) }
        return Example(
            source: (0..<s).map { _ in Int.random(in: 2..<sourceVocabulary, using: &rng) },
            decoderInput: [1] + labels.dropLast(), labels: labels)
    }
}

/// A temporary directory, removed by the caller.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("training-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
