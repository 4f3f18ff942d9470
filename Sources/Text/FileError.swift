/// A file could not be used: a model directory's file, a SentencePiece model, a vocabulary.
/// Names the file and the problem, as users see it: `"<file>: <problem>"`.
public struct FileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file at fault (a path).
    public let file: String
    /// What is wrong with it.
    public let problem: String

    /// Creates the error for `problem` in `file`.
    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
