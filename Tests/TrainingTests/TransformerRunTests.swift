import Foundation
import Seq2Seq
import Tensor
import Testing
import Text

@testable import Training

/// Whole Transformer training runs on the 600 fixture pairs: SentencePiece models learnt in the
/// run, checkpoints, resuming.
@Suite(.serialized) struct TransformerRunTests {
    static func options(epochs: Int? = 2, maxMinutes: Double? = nil) -> TransformerTrainingOptions {
        var o = TransformerTrainingOptions()
        (o.dModel, o.encoderLayers, o.decoderLayers, o.heads, o.ffnDim) = (16, 1, 1, 2, 32)
        (o.vocabSize, o.batchTokens, o.warmupSteps, o.learningRate) = (150, 400, 10, 3e-3)
        (o.epochs, o.maxMinutes, o.validationFraction, o.seed) = (epochs, maxMinutes, 0.1, 3)
        return o
    }

    /// Two epochs: the directory is an OPUS-MT directory our loader reads, with the run's
    /// files beside it; the loss falls; the `<pad>` row stays zero.
    @Test func trainsIntoAnOpusDirectory() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("model").path
        var run = try TransformerTrainingRun(
            options: Self.options(), dataPath: Fixtures.pairs600, sourceSPM: nil, targetSPM: nil, logger: quietLogger)
        var reports = 0
        try run.train(saveTo: directory, logger: quietLogger) { _ in reports += 1 }
        #expect(reports == 2 * run.batches.count)
        #expect(run.history.count == 2)
        #expect(run.history[1].trainLoss < run.history[0].trainLoss)
        #expect(run.history.allSatisfy { $0.validationLoss != nil })
        let model = try MarianDirectory.load(directory, logger: quietLogger)
        #expect(model.config == run.config)
        let codec = try MarianDirectory.loadCodec(directory)
        #expect(codec.sourceVocabularySize == run.config.vocabSize)
        for file in ["optimizer.safetensors", "training.json", "training.csv", "training.svg", "generation_config.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(directory)/\(file)"), "\(file)")
        }
        #expect(try String(contentsOfFile: "\(directory)/training.csv", encoding: .utf8).split(separator: "\n").count == 3)
        let d = run.config.dModel
        let pad = run.config.padTokenID
        #expect(run.parameters.values[(pad * d)..<((pad + 1) * d)].allSatisfy { $0 == 0 })
    }

    /// A run stopped by its time budget after its first mini-batch, then resumed to the end,
    /// gives the same bytes (weights and optimizer state) as an uninterrupted run; so does one
    /// resumed at an epoch's end.
    @Test func resumingIsBitIdentical() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        func bytes(_ directory: URL) throws -> [Data] {
            try ["model.safetensors", "optimizer.safetensors"].map { try Data(contentsOf: directory.appendingPathComponent($0)) }
        }
        let straight = root.appendingPathComponent("straight")
        var run = try TransformerTrainingRun(
            options: Self.options(), dataPath: Fixtures.pairs600, sourceSPM: nil, targetSPM: nil, logger: quietLogger)
        try run.train(saveTo: straight.path, logger: quietLogger)

        let stopped = root.appendingPathComponent("stopped")
        var first = try TransformerTrainingRun(
            options: Self.options(epochs: nil, maxMinutes: 1e-6), dataPath: Fixtures.pairs600, sourceSPM: nil, targetSPM: nil,
            logger: quietLogger)
        try first.train(saveTo: stopped.path, logger: quietLogger)
        #expect(first.history.isEmpty && first.optimizer.step == 1)
        var resumed = try TransformerTrainingRun(
            resuming: stopped.path, dataPath: Fixtures.pairs600, epochs: 1, maxMinutes: nil, logger: quietLogger)
        try resumed.train(saveTo: stopped.path, logger: quietLogger)
        var again = try TransformerTrainingRun(
            resuming: stopped.path, dataPath: Fixtures.pairs600, epochs: 2, maxMinutes: nil, logger: quietLogger)
        try again.train(saveTo: stopped.path, logger: quietLogger)
        #expect(try bytes(stopped) == bytes(straight))
        #expect(again.history.map(\.trainLoss) == run.history.map(\.trainLoss))
    }

    /// SentencePiece models given as files are used as they are.
    @Test func usesGivenSentencePieceModels() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let spm = MarianFixtures.modelPath("separate")
        var run = try TransformerTrainingRun(
            options: Self.options(epochs: 1), dataPath: Fixtures.pairs600, sourceSPM: "\(spm)/source.spm", targetSPM: "\(spm)/target.spm",
            logger: quietLogger)
        let directory = root.appendingPathComponent("model").path
        try run.train(saveTo: directory, logger: quietLogger)
        for file in ["source.spm", "target.spm"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(file)")) == Data(contentsOf: URL(fileURLWithPath: "\(spm)/\(file)")))
        }
        // The fixture's vocabulary is built the same way: source pieces, new target pieces, <pad>.
        #expect(try PieceVocabulary(contentsOf: "\(directory)/vocab.json").pieces == PieceVocabulary(contentsOf: "\(spm)/vocab.json").pieces)
    }
}
