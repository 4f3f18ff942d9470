import Foundation
import Tensor
import Text

/// A sentence pair after d2l preprocessing, split into tokens (both sides non-empty).
public struct SentencePair: Sendable, Equatable {
    /// English tokens.
    public var source: [String]
    /// French tokens.
    public var target: [String]

    public init(source: [String], target: [String]) {
        self.source = source
        self.target = target
    }
}

/// Lines of a pairs file that were not used, by reason.
public struct SkippedLines: Sendable, Equatable, CustomStringConvertible {
    /// Lines without a tab.
    public var withoutTab = 0
    /// Lines whose source or target has no token after preprocessing.
    public var emptySide = 0
    /// Lines that are not valid UTF-8.
    public var invalidUTF8 = 0

    /// All skipped lines.
    public var total: Int { withoutTab + emptySide + invalidUTF8 }

    public var description: String {
        "\(withoutTab) without a tab, \(emptySide) with an empty side, \(invalidUTF8) not valid UTF-8"
    }
}

/// A pairs file cannot be used. The description names the file and the problem.
public enum PairsFileError: Error, CustomStringConvertible, Equatable {
    /// The file cannot be read.
    case unreadable(path: String, reason: String)
    /// No line of the file is a usable pair; `skipped` says why.
    case noUsablePairs(path: String, skipped: SkippedLines)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .noUsablePairs(let path, let skipped):
            return "\(path) holds no usable sentence pair (`source<TAB>target` lines); skipped \(skipped.total) lines: \(skipped)"
        }
    }
}

/// Sentence pairs read from `source<TAB>target` lines (further columns ignored), as the
/// d2l English–French data holds them.
public struct ParallelCorpus: Sendable {
    /// Usable pairs, in file order.
    public var pairs: [SentencePair]
    /// Lines that were skipped.
    public var skipped: SkippedLines

    /// Reads the pairs of `bytes`, stopping after `maxPairs` usable pairs.
    ///
    /// Lines end with `\n` (a final `\r` is dropped); blank lines count as lines without a tab.
    public init(bytes: [UInt8], maxPairs: Int = .max) {
        var pairs: [SentencePair] = []
        skipped = forEachPairLine(bytes, maxPairs: maxPairs) { sourceText, targetText in
            let source = tokenize(preprocess(sourceText))
            let target = tokenize(preprocess(targetText))
            guard !source.isEmpty && !target.isEmpty else { return false }
            pairs.append(SentencePair(source: source, target: target))
            return true
        }
        self.pairs = pairs
    }

    /// Reads the file at `path` (see ``init(bytes:maxPairs:)``).
    ///
    /// - Throws: ``PairsFileError`` when the file cannot be read or no line is usable.
    public init(contentsOf path: String, maxPairs: Int = .max) throws(PairsFileError) {
        self.init(bytes: try readPairsFile(path), maxPairs: maxPairs)
        guard !pairs.isEmpty else { throw .noUsablePairs(path: path, skipped: skipped) }
    }

    /// Splits pairs into training and validation sets by source sentence, so that no
    /// validation source is ever seen in training (the data holds several translations of
    /// many sources).
    ///
    /// The distinct sources are shuffled with `seed` and the first `validationFraction` of them
    /// (rounded, at least one when the fraction is positive, never all) go to validation.
    /// Both sets keep file order.
    public static func split(
        _ pairs: [SentencePair], validationFraction: Double, seed: UInt64
    ) -> (training: [SentencePair], validation: [SentencePair]) {
        splitBySource(pairs, source: \.source, validationFraction: validationFraction, seed: seed)
    }
}

/// Splits `pairs` into training and validation sets by their `source`, as
/// ``ParallelCorpus/split(_:validationFraction:seed:)`` describes.
func splitBySource<Pair, Source: Hashable>(
    _ pairs: [Pair], source: (Pair) -> Source, validationFraction: Double, seed: UInt64
) -> (training: [Pair], validation: [Pair]) {
    guard validationFraction > 0 else { return (pairs, []) }
    var firstSeen: [Source: Int] = [:]
    var sources: [Source] = []
    for pair in pairs where firstSeen[source(pair)] == nil {
        firstSeen[source(pair)] = sources.count
        sources.append(source(pair))
    }
    guard sources.count > 1 else { return (pairs, []) }
    var rng = SeededGenerator(seed: seed)
    let order = shuffledIndices(count: sources.count, using: &rng)
    let count = min(max(1, Int((Double(sources.count) * validationFraction).rounded())), sources.count - 1)
    let held = Set(order.prefix(count).map { sources[$0] })
    return (pairs.filter { !held.contains(source($0)) }, pairs.filter { held.contains(source($0)) })
}

/// Calls `accept` with the first two columns of every `source<TAB>target` line of `bytes`
/// (further columns ignored; lines end with `\n`, a final `\r` dropped) until it has accepted
/// `maxPairs`; `accept` says whether the pair is usable (`false` counts the line as having an
/// empty side).
///
/// - Returns: the lines skipped, by reason.
func forEachPairLine(_ bytes: [UInt8], maxPairs: Int, _ accept: (String, String) -> Bool) -> SkippedLines {
    var skipped = SkippedLines()
    var (start, accepted) = (0, 0)
    while start < bytes.count && accepted < maxPairs {
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        var line = bytes[start..<end]
        start = end + 1
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        guard let text = String(validating: line, as: UTF8.self) else {
            skipped.invalidUTF8 += 1
            continue
        }
        let columns = text.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
        guard columns.count >= 2 else {
            skipped.withoutTab += 1
            continue
        }
        if accept(String(columns[0]), String(columns[1])) { accepted += 1 } else { skipped.emptySide += 1 }
    }
    return skipped
}

/// The bytes of the pairs file at `path`.
///
/// - Throws: ``PairsFileError/unreadable(path:reason:)``.
func readPairsFile(_ path: String) throws(PairsFileError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        throw .unreadable(path: path, reason: !exists ? "no such file" : isDirectory.boolValue ? "a directory" : "permission denied")
    }
    return Array(data)
}
