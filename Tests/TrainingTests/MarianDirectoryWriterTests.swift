import Foundation
import Seq2Seq
import Tensor
import Testing
import Text

@testable import Training

/// OPUS-MT directories written from training parameters.
@Suite struct MarianDirectoryWriterTests {
    /// English and French unigram models learnt from the 600 fixture pairs with
    /// libsentencepiece's trainer, one shared vocabulary, random weights: the directory loads
    /// with `MarianDirectory.load`, its text side round-trips, and the loaded model's
    /// teacher-forced logits equal the training forward pass's within 1e-4.
    @Test func writtenDirectoryLoadsAndComputesTheSameLogits() throws {
        let lines = try String(contentsOfFile: Fixtures.pairs600, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t") }
        let options = SentencePieceTrainer.opusOptions(vocabularySize: 150, threads: 1)
        let english = try SentencePieceTrainer.train(sentences: lines.map { String($0[0]) }, options: options, seed: 1)
        let french = try SentencePieceTrainer.train(sentences: lines.map { String($0[1]) }, options: options, seed: 1)
        let directory = temporaryDirectory().appendingPathComponent("model").path
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: directory).deletingLastPathComponent().path) }
        // The pieces of each model, through a loaded processor.
        func pieces(_ bytes: [UInt8]) throws -> [String] {
            let path = directory + ".probe.spm"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let model = try SentencePieceModel(contentsOf: path)
            return (0..<model.pieceCount).map(model.piece)
        }
        let vocabulary = MarianDirectoryWriter.sharedVocabulary(sourcePieces: try pieces(english), targetPieces: try pieces(french))
        let config = MarianConfig(
            dModel: 16, encoderLayers: 2, decoderLayers: 1, heads: 2, ffnDim: 24, activation: .gelu, vocabSize: vocabulary.count)
        let parameters = tinyTransformerParameters(config)
        try MarianDirectoryWriter.save(
            config: config, dropout: 0.1, tensors: parameters.tensors, sourceModel: english, targetModel: french, vocabulary: vocabulary,
            to: directory)

        let model = try MarianDirectory.load(directory, logger: quietLogger)
        let codec = try MarianDirectory.loadCodec(directory)
        #expect(model.config == config)
        let source = try codec.encode("I'm home.", maxTokens: 100)
        let target = try codec.encode("Je suis chez moi.", maxTokens: 100)  // any ids will do: teacher forcing
        let labels = Array(target.prefix(5))
        var rng = SeededGenerator(seed: 0)
        let pass = TransformerForwardPass(
            parameters: parameters, batch: [Example(source: source, decoderInput: [config.decoderStartTokenID] + labels.dropLast(), labels: labels)],
            labelSmoothing: 0, dropout: 0, rng: &rng)
        var state = model.startDecoding([source])
        var logits = [Float](repeating: 0, count: config.targetVocabSize)
        for (t, token) in ([config.decoderStartTokenID] + labels.dropLast()).enumerated() {
            logits.withUnsafeMutableBufferPointer { model.step(tokens: [token], state: &state, logits: $0.baseAddress!) }
            #expect(maxAbsDifference(logits, pass.logits.row(t)) <= 1e-4)
        }
    }
}
