/// Sentence pairs as raw text (`source<TAB>target` lines, further columns ignored), for models
/// with their own tokenizer (SentencePiece): no d2l preprocessing, surrounding whitespace kept.
public struct TextPairs: Sendable {
    /// Each usable pair (neither side blank), in file order.
    public var pairs: [(source: String, target: String)]
    /// Lines that were skipped; `emptySide` counts pairs with a blank side.
    public var skipped: SkippedLines

    /// Reads the pairs of `bytes`, stopping after `maxPairs` usable pairs.
    public init(bytes: [UInt8], maxPairs: Int = .max) {
        var pairs: [(source: String, target: String)] = []
        skipped = forEachPairLine(bytes, maxPairs: maxPairs) { source, target in
            func blank(_ s: String) -> Bool { s.unicodeScalars.allSatisfy(\.properties.isWhitespace) }
            guard !blank(source) && !blank(target) else { return false }
            pairs.append((source, target))
            return true
        }
        self.pairs = pairs
    }

    /// Reads the file at `path`.
    ///
    /// - Throws: ``PairsFileError`` when the file cannot be read or no line is usable.
    public init(contentsOf path: String, maxPairs: Int = .max) throws(PairsFileError) {
        self.init(bytes: try readPairsFile(path), maxPairs: maxPairs)
        guard !pairs.isEmpty else { throw .noUsablePairs(path: path, skipped: skipped) }
    }

    /// Training and validation pairs: the distinct sources shuffled with `seed`, the first
    /// `validationFraction` of them held out with all their translations
    /// (``ParallelCorpus/split(_:validationFraction:seed:)``).
    public func split(validationFraction: Double, seed: UInt64) -> (training: [(source: String, target: String)], validation: [(source: String, target: String)]) {
        splitBySource(pairs, source: \.source, validationFraction: validationFraction, seed: seed)
    }
}
