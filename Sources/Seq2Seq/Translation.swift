import Text

/// Why a segment cannot be translated. Its description is the error text users see.
public enum SegmentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not valid UTF-8.
    case invalidUTF8
    /// Nothing but whitespace.
    case empty
    /// More source tokens than the limit.
    case tooLong(tokens: Int, limit: Int)

    public var description: String {
        switch self {
        case .invalidUTF8: return "input is not valid UTF-8"
        case .empty: return "input is empty"
        case .tooLong(let tokens, let limit): return "input has \(tokens) tokens, more than the limit of \(limit)"
        }
    }
}

/// How to decode.
public struct DecodingOptions: Sendable, Equatable {
    /// Beam width; 1 is greedy decoding.
    public var beamWidth: Int
    /// Limit on generated tokens per sentence.
    public var maxLength: Int
    /// Exponent of the length normalisation of beam scores.
    public var lengthPenalty: Double

    public init(beamWidth: Int = 1, maxLength: Int, lengthPenalty: Double = 0.75) {
        self.beamWidth = beamWidth
        self.maxLength = maxLength
        self.lengthPenalty = lengthPenalty
    }
}

extension Seq2SeqModel {
    /// Source ids of raw text: d2l preprocessing, split on spaces, ids (`<unk>` for unknown
    /// tokens) and `<eos>`.
    ///
    /// - Throws: ``SegmentError/empty`` for text of nothing but whitespace, ``SegmentError/tooLong(tokens:limit:)``
    ///   when it has more than `maxTokens` tokens.
    public func encodeSource(_ text: String, maxTokens: Int = .max) throws(SegmentError) -> [Int] {
        // Splitting on spaces keeps tabs and other spacing as tokens; whitespace-only text is empty.
        let tokens = tokenize(preprocess(text))
        guard !tokens.isEmpty, !text.allSatisfy(\.isWhitespace) else { throw .empty }
        guard tokens.count <= maxTokens else { throw .tooLong(tokens: tokens.count, limit: maxTokens) }
        return sourceIDs(tokens)
    }

    /// Decodes a batch of source id sequences with `options` (greedy for beam width 1).
    public func decode(_ sources: [[Int]], options: DecodingOptions) -> [[Int]] {
        options.beamWidth == 1
            ? greedyDecode(sources, maxLength: options.maxLength)
            : beamSearch(sources, beamWidth: options.beamWidth, maxLength: options.maxLength, lengthPenalty: options.lengthPenalty)
    }

    /// Output tokens of target ids.
    public func targetTokens(_ ids: [Int]) -> [String] { targetVocabulary.tokens(of: ids) }

    /// Decodes the valid sources of a batch together; each failure keeps its place.
    public func decode(_ sources: [Result<[Int], SegmentError>], options: DecodingOptions) -> [Result<[Int], SegmentError>] {
        var decoded = decode(sources.compactMap { try? $0.get() }, options: options).makeIterator()
        return sources.map { $0.map { _ in decoded.next()! } }
    }

    /// Translates a batch of texts; each gets its translation's tokens or its error.
    public func translate(
        _ texts: [String], options: DecodingOptions, maxInputTokens: Int = .max
    ) -> [Result<[String], SegmentError>] {
        let sources = texts.map { text in Result { () throws(SegmentError) in try encodeSource(text, maxTokens: maxInputTokens) } }
        return decode(sources, options: options).map { $0.map(targetTokens) }
    }
}
