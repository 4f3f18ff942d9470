import Foundation
import Seq2Seq
import Tensor
import Testing

@testable import Training

/// Whole training runs on small data: learning, saving, reloading, resuming, determinism.
@Suite struct RunTests {
    /// A pairs file of the first `count` fixture pairs, or of the first pair of each of the
    /// first `count` sources when `distinctSources` (so that every target is predictable).
    func pairsFile(_ count: Int, distinctSources: Bool = false, in directory: URL) throws -> String {
        var seen = Set<Substring>()
        let lines = try String(contentsOfFile: Fixtures.pairs600, encoding: .utf8).split(separator: "\n")
            .filter { !distinctSources || seen.insert($0.split(separator: "\t")[0]).inserted }.prefix(count)
        let path = directory.appendingPathComponent("pairs.tsv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func smallOptions(epochs: Int) -> TrainingOptions {
        var o = TrainingOptions()
        o.embedSize = 8
        o.numHiddens = 16
        o.epochs = epochs
        o.batchSize = 16
        o.minFrequency = 1
        o.validationFraction = 0.2
        o.seed = 7
        return o
    }

    @Test func tinyModelOverfitsTwentyPairs() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var o = TrainingOptions()
        (o.embedSize, o.numHiddens, o.dropout, o.learningRate, o.epochs, o.batchSize, o.minFrequency) = (16, 32, 0, 0.02, 150, 20, 1)
        var run = try TrainingRun(options: o, dataPath: try pairsFile(20, distinctSources: true, in: dir), logger: quietLogger)
        #expect(run.examples.count == 20)
        try run.train(saveTo: dir.appendingPathComponent("model").path, logger: quietLogger)
        #expect(run.history.first!.trainLoss > 2)
        #expect(run.history.last!.trainLoss < 0.05)
        // Teacher-forced without dropout, every label is the most likely token.
        var rng = SeededGenerator(seed: 0)
        let pass = ForwardPass(weights: run.weights, batch: run.examples, dropout: 0, rng: &rng)
        #expect(pass.loss < 0.05)
    }

    @Test func savedModelReloadsWithTheSameLogits() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("model").path
        var run = try TrainingRun(options: smallOptions(epochs: 2), dataPath: try pairsFile(60, in: dir), logger: quietLogger)
        try run.train(saveTo: out, logger: quietLogger)
        let loaded = try GRUDirectory.load(out, logger: quietLogger)
        #expect(loaded.weights == run.weights)
        #expect(loaded.config.dropout == 0.1 && loaded.config.maxLen == 20)
        let examples = Array(run.examples.prefix(10))
        var rng = SeededGenerator(seed: 0)
        let trained = ForwardPass(weights: run.weights, batch: examples, dropout: 0, rng: &rng).logitsPerExample()
        let reloaded = loaded.teacherForcedLogits(sources: examples.map(\.source), targetInputs: examples.map(\.decoderInput))
        for (a, b) in zip(trained, reloaded) { #expect(maxAbsDifference(a.storage, b.storage) < 1e-5) }
        // The files beside the model.
        let csv = try String(contentsOfFile: out + "/training.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 3 && csv[0] == "epoch,train_loss,val_loss,bleu,tokens_per_s")
        #expect(csv[2].split(separator: ",", omittingEmptySubsequences: false).count == 5)
        #expect(try String(contentsOfFile: out + "/training.svg", encoding: .utf8).contains("<polyline"))
        #expect(run.history.allSatisfy { $0.validationLoss != nil && $0.bleu != nil })
    }

    @Test func resumedRunEndsWhereAnUninterruptedOneDoes() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try pairsFile(60, in: dir)
        var straight = try TrainingRun(options: smallOptions(epochs: 4), dataPath: data, logger: quietLogger)
        try straight.train(saveTo: dir.appendingPathComponent("straight").path, logger: quietLogger)

        let interrupted = dir.appendingPathComponent("interrupted").path
        var first = try TrainingRun(options: smallOptions(epochs: 2), dataPath: data, logger: quietLogger)
        try first.train(saveTo: interrupted, logger: quietLogger)
        var resumed = try TrainingRun(resuming: interrupted, dataPath: data, epochs: 4, learningRate: nil, logger: quietLogger)
        #expect(resumed.history.count == 2 && resumed.optimizer.step == first.optimizer.step)
        try resumed.train(saveTo: interrupted, logger: quietLogger)

        #expect(resumed.weights == straight.weights)
        #expect(resumed.history.map(\.trainLoss) == straight.history.map(\.trainLoss))
        #expect(resumed.history.map(\.validationLoss) == straight.history.map(\.validationLoss))
        #expect(try TrainingRun(resuming: interrupted, dataPath: data, epochs: nil, learningRate: nil, logger: quietLogger).history.count == 4)
    }

    @Test func sameSeedSameModelOtherSeedOtherModel() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try pairsFile(40, in: dir)
        func train(seed: UInt64) throws -> Seq2SeqWeights {
            var o = smallOptions(epochs: 2)
            o.seed = seed
            var run = try TrainingRun(options: o, dataPath: data, logger: quietLogger)
            try run.train(saveTo: dir.appendingPathComponent("m\(seed)").path, logger: quietLogger)
            return run.weights
        }
        #expect(try train(seed: 3) == train(seed: 3))
        #expect(try train(seed: 3) != train(seed: 4))
    }

    @Test func checkpointFromMixedSavesIsRefused() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try pairsFile(30, in: dir)
        let out = dir.appendingPathComponent("model").path
        var run = try TrainingRun(options: smallOptions(epochs: 1), dataPath: data, logger: quietLogger)
        try run.train(saveTo: out, logger: quietLogger)
        // Weights of a later epoch next to this save's optimizer state and training.json.
        var later = try TrainingRun(options: smallOptions(epochs: 2), dataPath: data, logger: quietLogger)
        try later.train(saveTo: dir.appendingPathComponent("stray").path, logger: quietLogger)
        try FileManager.default.removeItem(atPath: out + "/model.safetensors")
        try FileManager.default.copyItem(atPath: dir.appendingPathComponent("stray/model.safetensors").path, toPath: out + "/model.safetensors")
        #expect(throws: CheckpointError.self) {
            try TrainingRun(resuming: out, dataPath: data, epochs: 2, learningRate: nil, logger: quietLogger)
        }
        try FileManager.default.removeItem(atPath: out + "/optimizer.safetensors")
        #expect(throws: CheckpointError.self) {
            try TrainingRun(resuming: out, dataPath: data, epochs: 2, learningRate: nil, logger: quietLogger)
        }
    }
}
