/// A SentencePiece model, a piece vocabulary or an OPUS-MT model directory's text files could
/// not be loaded. Names the file and the problem.
public struct SentencePieceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file at fault (a path).
    public let file: String
    /// What is wrong with it.
    public let problem: String

    /// Creates the error for `problem` in `file`.
    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    /// `"<file>: <problem>"`.
    public var description: String { "\(file): \(problem)" }
}
