import Foundation
import Logging
import Tensor
import Testing

@testable import Seq2Seq

/// The Transformer in each compute type against float32, on the fixture models' shapes with
/// ordinary conditioning: the fixtures' weights were drawn to make attention sharp and `<pad>`
/// tempting (to catch masking and renormalisation mistakes), which also magnifies any rounding;
/// here query and key weights are scaled back by 3, layer norms are plain and the logit bias is zero.
@Suite struct ComputeTypeTests {
    /// A copy of fixture `name` with ordinary conditioning, removed at the end of `body`.
    func tamed<T>(_ name: String, _ body: (String) throws -> T) throws -> T {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tamed-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: TransformerFixtures.modelPath(name), toPath: copy.path)
        defer { try? FileManager.default.removeItem(at: copy) }
        let file = copy.appendingPathComponent("model.safetensors")
        var tensors = try SafeTensors.decode(Array(Data(contentsOf: file)))
        for (key, tensor) in tensors {
            var values = tensor.values
            if key.hasSuffix("q_proj.weight") || key.hasSuffix("k_proj.weight") { values = values.map { $0 / 3 } }
            if key.hasSuffix("layer_norm.weight") { values = values.map { _ in 1 } }
            if key == "final_logits_bias" { values = values.map { _ in 0 } }
            tensors[key] = .init(shape: tensor.shape, values: values)
        }
        try Data(SafeTensors.encode(tensors)).write(to: file)
        return try body(copy.path)
    }

    @Test(arguments: [ComputeType.int8, .bfloat16], TransformerFixtures.names)
    func logitsStayCloseAndGreedyOutputsMostlyEqual(type: ComputeType, name: String) throws {
        try #require(type.unsupportedReason == nil, "\(type) is not available on this CPU")
        try tamed(name) { directory in try compare(type, directory: directory, golden: try TransformerFixtures.golden(name)) }
    }

    func compare(_ type: ComputeType, directory: String, golden: TransformerFixtures.Golden) throws {
        let exact = try MarianDirectory.load(directory, logger: Logger(label: "test"))
        let converted = try MarianDirectory.load(directory, computeType: type, logger: Logger(label: "test"))
        let name = directory
        for forward in golden.forward {
            var (a, b) = (exact.startDecoding([forward.source_ids]), converted.startDecoding([forward.source_ids]))
            var (x, y) = ([Float](repeating: 0, count: exact.targetVocabularySize), [Float](repeating: 0, count: exact.targetVocabularySize))
            for token in forward.decoder_input_ids {
                x.withUnsafeMutableBufferPointer { exact.step(tokens: [token], state: &a, logits: $0.baseAddress!) }
                y.withUnsafeMutableBufferPointer { converted.step(tokens: [token], state: &b, logits: $0.baseAddress!) }
                // Logits of these models span about ±12; a stated bound on the largest difference.
                #expect(maxAbsDifference(x, y) < 0.5, "\(type) \(name) on \(CPUFeatures.isa)")
            }
        }
        let sources = golden.cases.map(\.source_ids)
        let same = zip(exact.greedy(sources, maxLength: 16), converted.greedy(sources, maxLength: 16)).filter { $0 == $1 }.count
        #expect(same * 10 >= sources.count * 7, "\(same) of \(sources.count) greedy outputs equal (\(type), \(name))")
    }

    @Test(arguments: [ComputeType.int8, .bfloat16])
    func theGRUInEachTypeStaysCloseToFloat32(type: ComputeType) throws {
        try #require(type.unsupportedReason == nil, "\(type) is not available on this CPU")
        let exact = Golden.model
        let converted = try GRUDirectory.load(Golden.modelPath, computeType: type, logger: Logger(label: "test"))
        let sources = Golden.cases.cases.map(\.source_ids)
        let targets = Golden.cases.cases.map { [exact.targetVocabulary.bos] + $0.greedy_ids }
        for (a, b) in zip(exact.teacherForcedLogits(sources: sources, targetInputs: targets), converted.teacherForcedLogits(sources: sources, targetInputs: targets)) {
            #expect(maxAbsDifference(a.storage, b.storage) < 0.5, "\(type) on \(CPUFeatures.isa)")
        }
        let same = zip(exact.greedy(sources, maxLength: 10), converted.greedy(sources, maxLength: 10)).filter { $0 == $1 }.count
        #expect(same * 10 >= sources.count * 8, "\(same) of \(sources.count) greedy outputs equal (\(type))")
    }

    @Test(arguments: [ComputeType.int8, .bfloat16], DecodingPropertyTests.shapes.indices)
    func randomGRUsOfSeveralShapesStayCloseToFloat32(type: ComputeType, shape: Int) throws {
        try #require(type.unsupportedReason == nil, "\(type) is not available on this CPU")
        let (e, h, l) = DecodingPropertyTests.shapes[shape]
        let exact = randomModel(embed: e, hidden: h, layers: l, sourceVocabulary: 50, targetVocabulary: 30, seed: 90 + UInt64(shape))
        let converted = GRUModel(
            config: exact.config, weights: exact.weights, sourceVocabulary: exact.sourceVocabulary,
            targetVocabulary: exact.targetVocabulary, computeType: type)
        let sources = randomSources(exact, count: 40, lengths: 1...12, seed: 5)
        let targets = sources.map { [exact.targetVocabulary.bos] + Array($0.prefix(6)).map { $0 % 30 } }
        for (a, b) in zip(exact.teacherForcedLogits(sources: sources, targetInputs: targets), converted.teacherForcedLogits(sources: sources, targetInputs: targets)) {
            // These models' logits span about ±3.
            #expect(maxAbsDifference(a.storage, b.storage) < 0.1, "\(type), shape \(shape)")
        }
        let same = zip(exact.greedy(sources, maxLength: 10), converted.greedy(sources, maxLength: 10)).filter { $0 == $1 }.count
        #expect(same * 10 >= sources.count * 7, "\(same) of \(sources.count) greedy outputs equal (\(type), shape \(shape))")
    }
}
