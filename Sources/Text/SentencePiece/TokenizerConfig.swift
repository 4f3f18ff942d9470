import Foundation

/// What ``SentencePieceCodec`` reads from an OPUS-MT directory's `tokenizer_config.json`, an
/// optional file: without it, transformers' defaults. Other keys are ignored.
struct TokenizerConfig: Decodable {
    /// `separate_vocabs`: the target side has `target_vocab.json`.
    var separateVocabularies = false
    /// `clean_up_tokenization_spaces` (transformers' default is `false` since 4.45).
    var cleanUpTokenizationSpaces = false

    private enum CodingKeys: String, CodingKey {
        case separateVocabularies = "separate_vocabs"
        case cleanUpTokenizationSpaces = "clean_up_tokenization_spaces"
    }

    /// The defaults.
    init() {}

    /// Reads the settings; each is `true`, `false`, `null` or absent (`false`).
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        separateVocabularies = try container.decodeIfPresent(Bool.self, forKey: .separateVocabularies) ?? false
        cleanUpTokenizationSpaces = try container.decodeIfPresent(Bool.self, forKey: .cleanUpTokenizationSpaces) ?? false
    }

    /// Reads the file at `path`, or gives the defaults when there is none.
    ///
    /// - Throws: ``SentencePieceError`` naming the file when it cannot be read, is not a JSON
    ///   object, or has a setting above that is not `true`, `false` or `null`.
    static func load(path: String) throws(SentencePieceError) -> TokenizerConfig {
        guard FileManager.default.fileExists(atPath: path) else { return TokenizerConfig() }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SentencePieceError(file: path, problem: "cannot read: \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(TokenizerConfig.self, from: data) } catch {
            throw SentencePieceError(file: path, problem: "bad JSON: \(describe(error))")
        }
    }

    /// A decoding error in a few words.
    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            return key.isEmpty ? "not an object" : "\(key) is not true, false or null"
        case DecodingError.dataCorrupted(let context): return "not valid JSON (\(context.debugDescription))"
        default: return "\(error)"
        }
    }
}
