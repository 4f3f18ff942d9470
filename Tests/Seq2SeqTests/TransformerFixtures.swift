import Foundation
import Logging
import Text

@testable import Seq2Seq

/// The OPUS-MT fixtures of `Tests/Fixtures/marian`: small random MarianMTModel directories and
/// golden vectors that transformers produced from them (see that folder's README).
enum TransformerFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/marian")
    /// The fixture models, each with its golden file.
    static let names = ["shared", "separate", "separate-vocabs"].filter {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/golden.json").path)
    }

    static func modelPath(_ name: String) -> String { root.appendingPathComponent("\(name)/model").path }

    struct Case: Decodable {
        let source: String
        let source_ids: [Int]
        let greedy_ids: [Int]
        let beam_ids: [Int]
        let beam_score: Double
        let beam_ids_lp06: [Int]
        let greedy_text: String
    }

    struct Forward: Decodable {
        let source_ids: [Int]
        let decoder_input_ids: [Int]
        let encoder_output: [[Float]]
        let logits: [[Float]]
    }

    struct Golden: Decodable {
        let max_new_tokens: Int
        let num_beams: Int
        let length_penalty: Double
        let cases: [Case]
        let forward: [Forward]
    }

    static func golden(_ name: String) throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: root.appendingPathComponent("\(name)/golden.json")))
    }

    /// The model and codec of fixture `name`.
    static func load(_ name: String) throws -> (model: TransformerModel, codec: SentencePieceCodec) {
        (try MarianDirectory.load(modelPath(name), logger: Logger(label: "test")), try MarianDirectory.loadCodec(modelPath(name)))
    }
}
