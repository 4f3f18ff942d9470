import Foundation
import Logging
import Seq2Seq
import Text

/// The golden model of `Tests/Fixtures`, loaded once.
enum Fixture {
    static let modelPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gru-small/model").path
    static let model = try! GRUDirectory.load(modelPath, logger: Logger(label: "test"))

    /// `count` sentences of words from the model's source vocabulary, the same every run.
    static func sentences(_ count: Int, seed: UInt64 = 7) -> [String] {
        let words = model.sourceVocabulary.tokens.filter { !$0.hasPrefix("<") }
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        return (0..<count).map { _ in (0..<(1 + next() % 8)).map { _ in words[next() % words.count] }.joined(separator: " ") }
    }

    /// The translation of `text` as one sentence, as a worker gives it for one work item.
    static func sentenceTranslation(_ text: String) -> String {
        let ids = try! model.codec.encode(text, maxTokens: .max)
        return model.codec.decode(model.decode([ids], options: DecodingOptions())[0].ids)
    }

    /// What `seq2seq translate` gives for `text`: its sentences translated one by one and
    /// put back together.
    static func translation(_ text: String) -> String {
        let document = try! model.codec.encodeDocument(text, splitter: SentenceSplitter(), limits: DocumentLimits(maxTokensPerSentence: .max))
        return try! model.translate([.success(document)], options: DecodingOptions(), render: model.codec.decode)[0].get()
    }
}

/// A directory for ipc socket files (paths must fit in 107 bytes), removed afterwards.
func withTemporaryDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let path = "/tmp/pipe-tests-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}
