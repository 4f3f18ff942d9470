import Foundation

/// An OPUS-MT piece vocabulary (`vocab.json` or `target_vocab.json`): a JSON object from
/// SentencePiece piece to model id, the ids `0..<count` each given once.
///
/// Pieces are compared byte for byte, as Python compares `str` keys (Swift's `String`
/// equality would merge canonically equivalent pieces).
public struct PieceVocabulary: Sendable {
    /// The file the vocabulary was read from.
    public let file: String
    /// The piece of each id.
    public let pieces: [String]
    private let ids: [[UInt8]: Int]

    /// Number of pieces; the ids are `0..<count`.
    public var count: Int { pieces.count }

    /// Reads and checks the vocabulary file at `path`.
    ///
    /// - Throws: ``SentencePieceError`` naming the file: missing or unreadable, not JSON, not
    ///   an object of string to non-negative integer, a piece given twice, or ids that are not
    ///   `0..<count` without gaps or repeats.
    public init(contentsOf path: String) throws(SentencePieceError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SentencePieceError(file: path, problem: "missing file")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SentencePieceError(file: path, problem: "cannot read: \(error.localizedDescription)")
        }
        try self.init(json: [UInt8](data), file: path)
    }

    /// Parses and checks vocabulary JSON; `file` names it in errors.
    ///
    /// - Throws: ``SentencePieceError`` as ``init(contentsOf:)`` does.
    public init(json: [UInt8], file: String) throws(SentencePieceError) {
        let entries = try Self.entries(ofJSON: json, file: file)
        var ids = [[UInt8]: Int](minimumCapacity: entries.count)
        var pieces = [String?](repeating: nil, count: entries.count)
        for (bytes, id) in entries {
            let piece = String(decoding: bytes, as: UTF8.self)
            if ids.updateValue(id, forKey: bytes) != nil {
                throw SentencePieceError(file: file, problem: "piece \(Self.quote(piece)) appears twice")
            }
            guard id < entries.count else {
                let given = Set(entries.map(\.1))
                let missing = (0..<entries.count).first { !given.contains($0) } ?? 0
                throw SentencePieceError(
                    file: file,
                    problem: "ids are not 0..<\(entries.count) without gaps: no piece has id \(missing), "
                        + "piece \(Self.quote(piece)) has id \(id)")
            }
            if let other = pieces[id] {
                throw SentencePieceError(
                    file: file, problem: "pieces \(Self.quote(other)) and \(Self.quote(piece)) both have id \(id)")
            }
            pieces[id] = piece
        }
        self.file = file
        self.ids = ids
        // Every id is below count and none is repeated, so every id has its piece.
        self.pieces = pieces.map { $0! }
    }

    /// The id of `piece`, or `nil` when the vocabulary does not hold it.
    public func id(of piece: String) -> Int? { ids[Array(piece.utf8)] }

    /// The id of the piece whose UTF-8 bytes are `bytes`, or `nil`.
    func id(ofUTF8 bytes: UnsafeRawBufferPointer) -> Int? { ids[Array(bytes)] }

    /// The id of the special token `piece` (`</s>`, `<unk>`, `<pad>`).
    ///
    /// - Throws: ``SentencePieceError`` naming the file when it does not hold `piece`.
    public func specialID(_ piece: String) throws(SentencePieceError) -> Int {
        guard let id = id(of: piece) else {
            throw SentencePieceError(file: file, problem: "no special token \(piece)")
        }
        return id
    }

    /// `piece` in double quotes with escapes, for messages.
    static func quote(_ piece: String) -> String { piece.debugDescription }
}

extension PieceVocabulary {
    /// The (piece bytes, id) pairs of a JSON object of strings to non-negative integers, in
    /// file order. Strict JSON (RFC 8259); strings must be valid UTF-8.
    private static func entries(ofJSON json: [UInt8], file: String) throws(SentencePieceError) -> [([UInt8], Int)] {
        var i = 0
        func problem(_ text: String, _ at: Int) -> SentencePieceError {
            SentencePieceError(file: file, problem: "not a JSON object of piece to id: \(text) at byte \(at)")
        }
        func skipSpace() {
            while i < json.count, json[i] == 0x20 || json[i] == 0x0A || json[i] == 0x0D || json[i] == 0x09 { i += 1 }
        }
        func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard i < json.count, json[i] == byte else { return false }
            i += 1
            return true
        }
        func expect(_ byte: UInt8) throws(SentencePieceError) {
            guard take(byte) else {
                throw problem(i < json.count ? "expected '\(Character(Unicode.Scalar(byte)))'" : "unexpected end", i)
            }
        }

        var entries = [([UInt8], Int)]()
        try expect(UInt8(ascii: "{"))
        if !take(UInt8(ascii: "}")) {
            repeat {
                try expect(UInt8(ascii: "\""))
                let piece = try string(json, at: &i, problem: problem)
                try expect(UInt8(ascii: ":"))
                skipSpace()
                entries.append((piece, try id(json, at: &i, of: piece, problem: problem)))
            } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        }
        skipSpace()
        guard i == json.count else { throw problem("data after the object", i) }
        return entries
    }

    /// The bytes of the JSON string starting at `json[i]` (just after its opening quote);
    /// leaves `i` after the closing quote.
    private static func string(
        _ json: [UInt8], at i: inout Int, problem: (String, Int) -> SentencePieceError
    ) throws(SentencePieceError) -> [UInt8] {
        var bytes = [UInt8]()
        while true {
            guard i < json.count else { throw problem("unterminated string", i) }
            let byte = json[i]
            i += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard String(validating: bytes, as: UTF8.self) != nil else { throw problem("string is not valid UTF-8", i) }
                return bytes
            case UInt8(ascii: "\\"):
                guard i < json.count else { throw problem("unterminated string", i) }
                let escape = json[i]
                i += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escape)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"): bytes.append(contentsOf: try unicodeEscape(json, at: &i, problem: problem))
                default: throw problem("bad escape \\\(Character(Unicode.Scalar(escape)))", i)
                }
            case 0..<0x20: throw problem("control character in string", i)
            default: bytes.append(byte)
            }
        }
    }

    /// The UTF-8 bytes of the `\uXXXX` escape (or surrogate pair) whose hex digits start at
    /// `json[i]`; leaves `i` after it.
    private static func unicodeEscape(
        _ json: [UInt8], at i: inout Int, problem: (String, Int) -> SentencePieceError
    ) throws(SentencePieceError) -> String.UTF8View {
        func hex4() throws(SentencePieceError) -> UInt32 {
            guard i + 4 <= json.count, json[i..<i + 4].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
                let value = UInt32(String(decoding: json[i..<i + 4], as: UTF8.self), radix: 16)
            else { throw problem("bad \\u escape", i) }
            i += 4
            return value
        }
        var value = try hex4()
        if (0xD800..<0xDC00).contains(value) {
            guard i + 2 <= json.count, json[i] == UInt8(ascii: "\\"), json[i + 1] == UInt8(ascii: "u") else {
                throw problem("lone surrogate in \\u escape", i)
            }
            i += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw problem("lone surrogate in \\u escape", i) }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw problem("lone surrogate in \\u escape", i) }
        return String(Character(scalar)).utf8
    }

    /// The non-negative integer starting at `json[i]`, the id of `piece`; leaves `i` after it.
    private static func id(
        _ json: [UInt8], at i: inout Int, of piece: [UInt8], problem: (String, Int) -> SentencePieceError
    ) throws(SentencePieceError) -> Int {
        let name = quote(String(decoding: piece, as: UTF8.self))
        let start = i
        while i < json.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(json[i]) { i += 1 }
        let digits = json[start..<i]
        let next = i < json.count ? json[i] : 0
        guard !digits.isEmpty, next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E") else {
            throw problem("the id of piece \(name) is not a non-negative integer", i)
        }
        guard digits.count == 1 || digits.first != UInt8(ascii: "0") else {
            throw problem("the id of piece \(name) has a leading zero", i)
        }
        guard digits.count <= 9, let value = Int(String(decoding: digits, as: UTF8.self)) else {
            throw problem("the id of piece \(name) is too large", i)
        }
        return value
    }
}
