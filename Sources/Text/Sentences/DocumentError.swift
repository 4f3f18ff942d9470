/// Why a document (one input of any number of sentences) cannot be translated. Its
/// description is the error text users see.
public enum DocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input as a whole: not valid UTF-8, empty, or a single sentence over the token limit.
    case input(SegmentError)
    /// More UTF-8 bytes than the limit.
    case tooManyBytes(bytes: Int, limit: Int)
    /// More sentences than the limit.
    case tooManySentences(count: Int, limit: Int)
    /// One sentence of several (`index` from 0) cannot be translated.
    case sentence(index: Int, count: Int, SegmentError)

    public var description: String {
        switch self {
        case .input(let error): "\(error)"
        case .tooManyBytes(let bytes, let limit): "input has \(bytes) bytes, more than the limit of \(limit)"
        case .tooManySentences(let count, let limit): "input has \(count) sentences, more than the limit of \(limit)"
        case .sentence(let index, let count, .tooLong(let tokens, let limit)):
            "sentence \(index + 1) of \(count) has \(tokens) tokens, more than the limit of \(limit)"
        case .sentence(let index, let count, let error): "sentence \(index + 1) of \(count): \(error)"
        }
    }

    /// A short name of the problem, for metrics labels: `invalid_utf8`, `empty`, `too_long`,
    /// `too_many_bytes` or `too_many_sentences`.
    public var kind: String {
        switch self {
        case .input(let error), .sentence(_, _, let error):
            switch error {
            case .invalidUTF8: "invalid_utf8"
            case .empty: "empty"
            case .tooLong: "too_long"
            }
        case .tooManyBytes: "too_many_bytes"
        case .tooManySentences: "too_many_sentences"
        }
    }
}
