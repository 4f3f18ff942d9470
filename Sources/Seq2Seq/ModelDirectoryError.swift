/// A model directory could not be loaded or saved. Names the file and the problem.
public struct ModelDirectoryError: Error, CustomStringConvertible, Equatable {
    /// The file at fault (a path).
    public let file: String
    /// What is wrong with it.
    public let problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
