import Foundation
import Logging
import Seq2Seq
import Tensor

@testable import Training

/// The OPUS-MT fixtures of `Tests/Fixtures/marian` and tiny Transformers for the training tests.
enum MarianFixtures {
    static let root = Fixtures.directory.appendingPathComponent("marian")
    static let names = ["shared", "separate", "separate-vocabs"]

    static func modelPath(_ name: String) -> String { root.appendingPathComponent("\(name)/model").path }

    /// The fixture's config.json and its weights as training parameters.
    static func parameters(_ name: String) throws -> TransformerParameters {
        let directory = URL(fileURLWithPath: modelPath(name))
        let config = try JSONDecoder().decode(MarianConfig.self, from: Data(contentsOf: directory.appendingPathComponent("config.json")))
        let file = directory.appendingPathComponent("model.safetensors")
        let tensors = try SafeTensors.decode(Array(try Data(contentsOf: file)))
        return try TransformerParameters(layout: TransformerLayout(config: config), tensors: tensors, file: file.path)
    }

    struct GradientSummary: Decodable {
        let norm: Double
        let sum: Double
        let first: [Double]
    }

    /// One model's entry of `training-golden.json` (see `make_training_golden.py`).
    struct TrainingGolden: Decodable {
        let source_ids: [[Int]]
        let labels: [[Int]]
        let tokens: Int
        let loss: Double
        let loss_no_smoothing: Double
        let gradients: [String: GradientSummary]
    }

    static func trainingGolden(_ name: String) throws -> TrainingGolden {
        let data = try Data(contentsOf: root.appendingPathComponent("training-golden.json"))
        let all = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return try JSONDecoder().decode(TrainingGolden.self, from: JSONSerialization.data(withJSONObject: all[name]!))
    }

    struct Forward: Decodable {
        let source_ids: [Int]
        let decoder_input_ids: [Int]
        let logits: [[Float]]
    }

    struct Case: Decodable {
        let source_ids: [Int]
        let greedy_ids: [Int]
    }

    /// The parts of a fixture's `golden.json` these tests use.
    struct Golden: Decodable {
        let cases: [Case]
        let forward: [Forward]
    }

    static func golden(_ name: String) throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: root.appendingPathComponent("\(name)/golden.json")))
    }
}

/// The config of a tiny Transformer: `d_model` 8, 2 heads, 2+2 layers, feed-forward width 12,
/// 11 target ids (`</s>` 0, `<pad>` 10).
func tinyMarianConfig(activation: String = "swish", shared: Bool = true, scale: Bool = true) -> MarianConfig {
    let json = """
        {"model_type": "marian", "d_model": 8, "encoder_layers": 2, "decoder_layers": 2,
         "encoder_attention_heads": 2, "decoder_attention_heads": 2, "encoder_ffn_dim": 12, "decoder_ffn_dim": 12,
         "activation_function": "\(activation)", "vocab_size": \(shared ? 11 : 13), "decoder_vocab_size": 11,
         "scale_embedding": \(scale), "max_position_embeddings": 32, "pad_token_id": 10, "eos_token_id": 0,
         "decoder_start_token_id": 10, "share_encoder_decoder_embeddings": \(shared), "tie_word_embeddings": true}
        """
    return try! JSONDecoder().decode(MarianConfig.self, from: Data(json.utf8))
}

/// Random parameters large enough that every path matters (attention not uniform, layer norms
/// and biases not at their initial values), `<pad>` rows zero.
func tinyTransformerParameters(_ config: MarianConfig, seed: UInt64 = 7) -> TransformerParameters {
    var rng = SeededGenerator(seed: seed)
    var parameters = TransformerParameters(zerosFor: TransformerLayout(config: config))
    for slot in parameters.layout.slots {
        let isNormWeight = slot.name.hasSuffix("layer_norm.weight")
        for i in 0..<slot.count {
            parameters.values[slot.offset + i] = isNormWeight ? 1 + 0.2 * rng.normal() : 0.5 * rng.normal()
        }
    }
    parameters.zeroPadRows()
    return parameters
}

/// Random Transformer examples: sources of 1–`maxLength` ids then `</s>` (0), labels likewise,
/// decoder inputs `<pad>` (10) then the labels but the last. Ids 1…9.
func randomTransformerExamples(count: Int, maxLength: Int, seed: UInt64) -> [Example] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        let s = Int.random(in: 1...maxLength, using: &rng)
        let t = Int.random(in: 1...maxLength, using: &rng)
        let labels = (0..<t).map { _ in Int.random(in: 1...9, using: &rng) } + [0]
        return Example(
            source: (0..<s).map { _ in Int.random(in: 1...9, using: &rng) } + [0], decoderInput: [10] + labels.dropLast(), labels: labels)
    }
}
