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
