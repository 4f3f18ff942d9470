/// A token vocabulary: a token's id is its index in `tokens`.
///
/// Special tokens (`<pad>`, `<bos>`, `<eos>`, `<unk>`) are looked up by name, never assumed
/// to sit at fixed ids.
public struct Vocabulary: Sendable, Equatable {
    /// Padding, start, end and unknown tokens, in the order d2l puts them first.
    public static let reservedTokens = ["<pad>", "<bos>", "<eos>", "<unk>"]

    /// All tokens; `tokens[id]` is the token with that id.
    public let tokens: [String]
    private let ids: [String: Int]
    /// Id of `<pad>`.
    public let pad: Int
    /// Id of `<bos>`.
    public let bos: Int
    /// Id of `<eos>`.
    public let eos: Int
    /// Id of `<unk>`.
    public let unk: Int

    /// Why a token list is not a usable vocabulary.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case missingSpecialToken(String)
        case duplicateToken(String)

        public var description: String {
            switch self {
            case .missingSpecialToken(let t): return "special token \(t) is missing"
            case .duplicateToken(let t): return "token \(t) appears more than once"
            }
        }
    }

    /// A vocabulary over `tokens`, which must hold each reserved token exactly once.
    public init(tokens: [String]) throws {
        var ids = [String: Int](minimumCapacity: tokens.count)
        for (i, t) in tokens.enumerated() {
            guard ids.updateValue(i, forKey: t) == nil else { throw Problem.duplicateToken(t) }
        }
        func id(_ t: String) throws -> Int {
            guard let i = ids[t] else { throw Problem.missingSpecialToken(t) }
            return i
        }
        self.tokens = tokens
        self.ids = ids
        pad = try id("<pad>")
        bos = try id("<bos>")
        eos = try id("<eos>")
        unk = try id("<unk>")
    }

    /// Builds the d2l vocabulary: the reserved tokens, then every other token seen at least
    /// `minFrequency` times, by descending frequency and then by code-point order.
    public init(counting sentences: some Sequence<[String]>, minFrequency: Int) {
        var counts = [String: Int]()
        for sentence in sentences {
            for t in sentence { counts[t, default: 0] += 1 }
        }
        let reserved = Set(Self.reservedTokens)
        let kept = counts.filter { $0.value >= minFrequency && !reserved.contains($0.key) }
            .sorted { a, b in
                a.value != b.value ? a.value > b.value : a.key.unicodeScalars.lexicographicallyPrecedes(b.key.unicodeScalars)
            }
            .map(\.key)
        // The reserved tokens are distinct and present, so this cannot fail.
        try! self.init(tokens: Self.reservedTokens + kept)
    }

    /// Number of tokens.
    public var count: Int { tokens.count }

    /// The id of `token`, or `<unk>`'s id when it is not in the vocabulary.
    public func id(of token: String) -> Int { ids[token] ?? unk }

    /// `true` when `token` is in the vocabulary.
    public func contains(_ token: String) -> Bool { ids[token] != nil }

    /// Ids of `tokens`, unknown ones mapped to `<unk>`.
    public func ids(of tokens: [String]) -> [Int] { tokens.map(id(of:)) }

    /// Tokens of `ids`.
    public func tokens(of ids: [Int]) -> [String] { ids.map { tokens[$0] } }
}
