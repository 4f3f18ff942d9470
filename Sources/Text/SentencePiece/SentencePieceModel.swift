import CSentencePiece
import Foundation

/// A SentencePiece model file (OPUS-MT's `source.spm` or `target.spm`) loaded by
/// libsentencepiece.
///
/// Splits text into pieces and joins pieces back into text as the Python `sentencepiece`
/// package does (`encode(text, out_type=str)` and `decode_pieces`), which wraps the same C++
/// library (Debian's is 0.1.97; the test fixtures were made with the Python package 0.2.3).
///
/// `@unchecked Sendable` is safe: the processor is only written while loading (in `init`) and
/// freed in `deinit`, when no other reference exists; in between only its `const` methods
/// (`Encode`, `Decode`, `IdToPiece`, `Is…`), which do not mutate it, are called, so any number
/// of threads may use one model at once.
public final class SentencePieceModel: @unchecked Sendable {
    /// The file the model was loaded from.
    public let path: String
    /// Number of pieces (ids) in the model.
    public let pieceCount: Int
    private let processor: OpaquePointer

    /// Loads the model file at `path`.
    ///
    /// - Throws: ``SentencePieceError`` naming the file: missing, or not a model (the
    ///   library's status message).
    public init(contentsOf path: String) throws(SentencePieceError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SentencePieceError(file: path, problem: "missing file")
        }
        var error: UnsafeMutablePointer<CChar>?
        guard let processor = spm_shim_load(path, &error) else {
            throw SentencePieceError(
                file: path, problem: "not a SentencePiece model: \(Self.take(error).trimmingCharacters(in: .whitespaces))")
        }
        self.path = path
        self.processor = processor
        self.pieceCount = Int(spm_shim_piece_count(processor))
    }

    deinit { spm_shim_free(processor) }

    /// The piece of `id` (`0..<pieceCount`).
    public func piece(_ id: Int) -> String {
        precondition((0..<pieceCount).contains(id), "piece id \(id) is not below \(pieceCount)")
        var length = 0
        let bytes = spm_shim_id_to_piece(processor, Int32(id), &length)!
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// Whether ``encode(_:)`` can give the piece of `id`: a normal, user-defined or byte piece
    /// (not the unknown piece, a control piece such as `</s>`, or an unused piece).
    public func isProducible(_ id: Int) -> Bool {
        precondition((0..<pieceCount).contains(id), "piece id \(id) is not below \(pieceCount)")
        switch spm_shim_piece_kind_of(processor, Int32(id)) {
        case SPM_SHIM_PIECE_NORMAL, SPM_SHIM_PIECE_BYTE: return true
        default: return false
        }
    }

    /// The pieces of `text`: the Python package's `encode(text, out_type=str)`. An unknown
    /// piece is its text as written (not `<unk>`).
    public func encode(_ text: String) -> [String] {
        withPieces(of: text) { ids, piece in
            (0..<ids.count).map { String(decoding: piece($0), as: UTF8.self) }
        }
    }

    /// Calls `body` with the model ids of `text`'s pieces and a function giving the UTF-8
    /// bytes of piece `i`, both valid only during the call: one library call for all pieces.
    func withPieces<Result>(
        of text: String, _ body: (UnsafeBufferPointer<Int32>, (Int) -> UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        var text = text
        var pieces = spm_shim_pieces()
        var error: UnsafeMutablePointer<CChar>?
        let status = text.withUTF8 { spm_shim_encode(processor, $0.baseAddress, $0.count, &pieces, &error) }
        // Encode fails only for a model that did not load, which init does not let happen.
        precondition(status == 0, "\(path): SentencePiece Encode failed: \(Self.take(error))")
        defer { spm_shim_pieces_free(&pieces) }
        let count = pieces.count
        let ends = UnsafeBufferPointer(start: pieces.ends, count: count)
        let bytes = UnsafeRawPointer(pieces.bytes)
        return try body(UnsafeBufferPointer(start: pieces.ids, count: count)) { i in
            let start = i == 0 ? 0 : ends[i - 1]
            return UnsafeRawBufferPointer(start: bytes.map { $0 + start }, count: ends[i] - start)
        }
    }

    /// The text of `pieces`: the Python package's `decode_pieces`. A piece the model does not
    /// know is copied as it is (its `▁` kept).
    public func decodePieces<Pieces: Sequence<String>>(_ pieces: Pieces) -> String {
        var bytes = [UInt8]()
        var ends = [Int]()
        for piece in pieces {
            bytes.append(contentsOf: piece.utf8)
            ends.append(bytes.count)
        }
        return decode(bytes: bytes, ends: ends)
    }

    /// The text of the pieces that `bytes` holds back to back, piece `i` ending at `ends[i]`.
    func decode(bytes: [UInt8], ends: [Int]) -> String {
        var length = 0
        var error: UnsafeMutablePointer<CChar>?
        let text = bytes.withUnsafeBytes { bytes in
            ends.withUnsafeBufferPointer { ends in
                spm_shim_decode_pieces(
                    processor, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), ends.baseAddress, ends.count,
                    &length, &error)
            }
        }
        // Decode fails only for a model that did not load, which init does not let happen.
        guard let text else { preconditionFailure("\(path): SentencePiece Decode failed: \(Self.take(error))") }
        defer { spm_shim_string_free(text) }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
    }

    /// The text of a message the shim allocated, which is freed.
    private static func take(_ message: UnsafeMutablePointer<CChar>?) -> String {
        guard let message else { return "unknown error" }
        defer { spm_shim_string_free(message) }
        return String(cString: message)
    }
}
