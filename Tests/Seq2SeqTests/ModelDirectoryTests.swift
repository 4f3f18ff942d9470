import Foundation
import Logging
import Tensor
import Testing
import Text

@testable import Seq2Seq

/// Loading broken model directories fails with an error naming the file and the problem.
@Suite struct ModelDirectoryTests {
    let logger = Logger(label: "test")

    /// A writable copy of the golden model directory, broken by `damage`.
    func brokenCopy(_ damage: (URL) throws -> Void) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: Golden.modelPath, toPath: copy.path)
        try damage(copy)
        return copy
    }

    func expectError(_ file: String, _ fragment: String, _ damage: (URL) throws -> Void) throws {
        let directory = try brokenCopy(damage)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try GRUDirectory.load(directory.path, logger: logger)
            Issue.record("loading succeeded; expected an error about \(file): \(fragment)")
        } catch let error as ModelDirectoryError {
            #expect(error.file.hasSuffix(file), "\(error)")
            #expect(error.problem.contains(fragment), "\(error)")
        }
    }

    func safetensors(_ url: URL) -> URL { url.appendingPathComponent("model.safetensors") }

    func rewriteTensors(_ url: URL, _ change: (inout [String: SafeTensors.Tensor]) -> Void) throws {
        var tensors = try SafeTensors.decode(Array(Data(contentsOf: safetensors(url))))
        change(&tensors)
        try Data(SafeTensors.encode(tensors)).write(to: safetensors(url))
    }

    @Test func missingFiles() throws {
        for name in ["config.json", "model.safetensors", "src_vocab.json", "tgt_vocab.json"] {
            try expectError(name, "missing file") { try FileManager.default.removeItem(at: $0.appendingPathComponent(name)) }
        }
    }

    @Test func missingTensor() throws {
        try expectError("model.safetensors", "missing tensor decoder.dense.bias") { url in
            try rewriteTensors(url) { $0["decoder.dense.bias"] = nil }
        }
    }

    @Test func wrongShape() throws {
        try expectError("model.safetensors", "tensor encoder.rnn.weight_hh_l1 has shape [96, 31], expected [96, 32]") { url in
            try rewriteTensors(url) { $0["encoder.rnn.weight_hh_l1"] = .init(shape: [96, 31], values: .init(repeating: 0, count: 96 * 31)) }
        }
    }

    @Test func wrongDType() throws {
        try expectError("model.safetensors", "dtype I64") { url in
            var bytes = Array(try Data(contentsOf: safetensors(url)))
            let header = String(decoding: bytes[8..<200], as: UTF8.self)
            let at = header.range(of: "\"F32\"")!.lowerBound.utf16Offset(in: header) + 8
            bytes.replaceSubrange(at..<(at + 5), with: Array("\"I64\"".utf8))
            try Data(bytes).write(to: safetensors(url))
        }
    }

    /// Half-precision checkpoints (F16, BF16) are widened to Float exactly.
    @Test func halfPrecisionTensorsAreRead() throws {
        let values: [Float] = [0, 1, -2.5, 0.333251953125, 65504]
        func file(_ dtype: String, _ bits: [UInt16]) -> [UInt8] {
            let header = Array(#"{"t":{"dtype":"\#(dtype)","shape":[5],"data_offsets":[0,10]}}"#.utf8)
            return withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header
                + bits.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        }
        let f16 = try SafeTensors.decode(file("F16", values.map { Float16($0).bitPattern }))
        #expect(f16["t"]?.values == values && f16["t"]?.shape == [5])
        let bf16 = try SafeTensors.decode(file("BF16", values.map { UInt16($0.bitPattern >> 16) }))
        #expect(bf16["t"]?.values == values.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) })
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(file("F16", [1, 2])) }
    }

    @Test func truncatedData() throws {
        try expectError("model.safetensors", "truncated data") { url in
            let bytes = try Data(contentsOf: safetensors(url))
            try bytes.prefix(bytes.count - 100).write(to: safetensors(url))
        }
        try expectError("model.safetensors", "truncated") { url in
            try Data([1, 2, 3]).write(to: safetensors(url))
        }
    }

    @Test func badHeaderJSON() throws {
        try expectError("model.safetensors", "bad header JSON") { url in
            var bytes = Array(try Data(contentsOf: safetensors(url)))
            bytes[8] = UInt8(ascii: "[")
            bytes[9] = UInt8(ascii: "x")
            try Data(bytes).write(to: safetensors(url))
        }
        try expectError("config.json", "bad JSON") { url in
            try Data("{\"embed_size\": 32,".utf8).write(to: url.appendingPathComponent("config.json"))
        }
        try expectError("config.json", "missing key num_hiddens") { url in
            try Data("{\"embed_size\": 32}".utf8).write(to: url.appendingPathComponent("config.json"))
        }
    }

    @Test func vocabularySizeNotMatchingTheTensors() throws {
        try expectError("tgt_vocab.json", "holds 201 tokens but config.json's tgt_vocab_size is 202") { url in
            let path = url.appendingPathComponent("tgt_vocab.json")
            var tokens = try JSONDecoder().decode([String].self, from: Data(contentsOf: path))
            tokens.removeLast()
            try JSONEncoder().encode(tokens).write(to: path)
        }
        try expectError("model.safetensors", "has shape [188, 32], expected [189, 32]") { url in
            // config.json and the vocabulary agree with each other but not with the tensors.
            let config = url.appendingPathComponent("config.json")
            let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "188", with: "189")
            try text.write(to: config, atomically: true, encoding: .utf8)
            let path = url.appendingPathComponent("src_vocab.json")
            let tokens = try JSONDecoder().decode([String].self, from: Data(contentsOf: path)) + ["extra"]
            try JSONEncoder().encode(tokens).write(to: path)
        }
    }

    @Test func specialTokenMissing() throws {
        try expectError("src_vocab.json", "special token <eos> is missing") { url in
            let path = url.appendingPathComponent("src_vocab.json")
            let tokens = try JSONDecoder().decode([String].self, from: Data(contentsOf: path)).map { $0 == "<eos>" ? "eos" : $0 }
            try JSONEncoder().encode(tokens).write(to: path)
        }
    }

    @Test func saveThenLoadGivesTheSameModel() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("saved-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = Golden.model
        for _ in 0..<2 {  // the second save replaces the first
            try GRUDirectory.save(
                config: model.config, weights: model.weights, sourceVocabulary: model.sourceVocabulary,
                targetVocabulary: model.targetVocabulary, to: directory.path)
        }
        let reloaded = try GRUDirectory.load(directory.path, logger: logger)
        #expect(reloaded.weights == model.weights)
        #expect(reloaded.config == model.config)
        #expect(reloaded.targetVocabulary == model.targetVocabulary)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.deletingLastPathComponent().path)
            .filter { $0.contains(directory.lastPathComponent + ".tmp") }
        #expect(leftovers.isEmpty)
    }
}
