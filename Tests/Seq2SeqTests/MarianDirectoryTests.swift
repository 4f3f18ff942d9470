import Foundation
import Logging
import Testing

@testable import Seq2Seq

/// Loading broken OPUS-MT directories fails with an error naming the file and the problem.
@Suite struct MarianDirectoryTests {
    let logger = Logger(label: "test")

    /// Loads a copy of the `shared` fixture broken by `damage`; expects an error about `file`
    /// containing `fragment`, from the full load and, for text files, from the codec's load.
    func expectError(_ file: String, _ fragment: String, textOnly: Bool = false, _ damage: (URL) throws -> Void) throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("marian-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: TransformerFixtures.modelPath("shared"), toPath: copy.path)
        defer { try? FileManager.default.removeItem(at: copy) }
        try damage(copy)
        var loads: [() throws -> Void] = [{ _ = try ModelDirectory.load(copy.path, logger: logger) }]
        if textOnly { loads.append { _ = try ModelDirectory.loadCodec(copy.path) } }
        for load in loads {
            do {
                try load()
                Issue.record("loading succeeded; expected an error about \(file): \(fragment)")
            } catch let error as ModelDirectoryError {
                #expect(error.file.hasSuffix(file), "\(error)")
                #expect(error.problem.contains(fragment), "\(error)")
            }
        }
    }

    /// Rewrites config.json with `change` applied to its JSON object.
    func editConfig(_ url: URL, _ change: (inout [String: Any]) -> Void) throws {
        let file = url.appendingPathComponent("config.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: file)
    }

    func editTensors(_ url: URL, _ change: (inout [String: SafeTensors.Tensor]) -> Void) throws {
        let file = url.appendingPathComponent("model.safetensors")
        var tensors = try SafeTensors.decode(Array(Data(contentsOf: file)))
        change(&tensors)
        try Data(SafeTensors.encode(tensors)).write(to: file)
    }

    @Test func theFamilyIsToldByConfig() throws {
        #expect(try ModelDirectory.family(of: TransformerFixtures.modelPath("shared")) == .transformer)
        #expect(try ModelDirectory.family(of: Golden.modelPath) == .gru)
        try expectError("config.json", "model_type bart is not supported", textOnly: true) { url in
            try editConfig(url) { $0["model_type"] = "bart" }
        }
    }

    @Test func unsupportedConfigValuesAreNamed() throws {
        let cases: [(String, Any, String)] = [
            ("activation_function", "tanh", "activation_function tanh is not supported"),
            ("normalize_before", true, "normalize_before true"),
            ("encoder_attention_heads", 3, "encoder_attention_heads 3 does not divide d_model 32"),
            ("d_model", -4, "d_model must be positive"),
            ("eos_token_id", 5000, "eos_token_id 5000 is outside the target vocabulary"),
            ("forced_eos_token_id", 3, "forced_eos_token_id 3 differs from eos_token_id 0"),
        ]
        for (key, value, fragment) in cases {
            try expectError("config.json", fragment, textOnly: true) { url in try editConfig(url) { $0[key] = value } }
        }
    }

    @Test func configAndVocabularyMustAgree() throws {
        try expectError("config.json", "vocab_size is 402 but the vocabulary gives 401", textOnly: true) { url in
            try editConfig(url) { $0["vocab_size"] = 402; $0["decoder_vocab_size"] = 402 }
        }
        try expectError("config.json", "pad_token_id is 3 but the vocabulary gives 400", textOnly: true) { url in
            try editConfig(url) { $0["pad_token_id"] = 3 }
        }
    }

    @Test func missingTextFilesAreNamed() throws {
        for name in ["source.spm", "target.spm", "vocab.json"] {
            try expectError(name, "missing", textOnly: true) { try FileManager.default.removeItem(at: $0.appendingPathComponent(name)) }
        }
    }

    @Test func tensorsAreCheckedOneByOne() throws {
        try expectError("model.safetensors", "missing tensor model.decoder.layers.1.fc2.bias") { url in
            try editTensors(url) { $0["model.decoder.layers.1.fc2.bias"] = nil }
        }
        try expectError("model.safetensors", "tensor model.encoder.layers.0.fc1.weight has shape [63, 32], expected [64, 32]") { url in
            try editTensors(url) { $0["model.encoder.layers.0.fc1.weight"] = .init(shape: [63, 32], values: .init(repeating: 0, count: 63 * 32)) }
        }
        try expectError("model.safetensors", "tensor model.decoder.layers.2.fc1.bias is not part of this model") { url in
            try editTensors(url) { $0["model.decoder.layers.2.fc1.bias"] = .init(shape: [64], values: .init(repeating: 0, count: 64)) }
        }
        try expectError("model.safetensors", "lm_head.weight differs from model.shared.weight") { url in
            try editTensors(url) { $0["lm_head.weight"] = .init(shape: [401, 32], values: .init(repeating: 1, count: 401 * 32)) }
        }
        try expectError("model.safetensors", "missing file") { try FileManager.default.removeItem(at: $0.appendingPathComponent("model.safetensors")) }
    }

    @Test func aWholeDirectoryWithoutProblemsLoads() throws {
        for name in TransformerFixtures.names {
            let (model, codec) = try ModelDirectory.load(TransformerFixtures.modelPath(name), logger: logger)
            #expect(model.targetVocabularySize == codec.targetVocabularySize)
        }
    }
}
