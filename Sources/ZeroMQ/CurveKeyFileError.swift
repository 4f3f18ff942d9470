/// A key file that cannot be used, naming the file and what is wrong with it:
///
///     curve key file /etc/seq2seq/server.key: readable by group or others (mode 644); chmod 600 it
public struct CurveKeyFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong with a key file.
    public enum Problem: Equatable, Sendable {
        /// There is no such file.
        case missing
        /// It exists and cannot be read (a directory, no permission, an I/O error).
        case unreadable(String)
        /// A secret key file that its group or others may read (`mode`: the permission bits).
        case exposed(mode: UInt16)
        /// A line that is not a key of 40 Z85 characters (`line` from 1), and why.
        case notAKey(line: Int, reason: String)
        /// A file without any key, or a key file with more than one.
        case keyCount(Int)
        /// A public key file beside a secret one that holds another key than the secret one's.
        case doesNotMatch(secret: String)
        /// A file that `keygen` would overwrite.
        case exists
        /// The file cannot be written.
        case unwritable(String)
    }

    public let path: String
    public let problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var description: String {
        let what: String
        switch problem {
        case .missing: what = "missing"
        case .unreadable(let reason): what = "unreadable: \(reason)"
        case .exposed(let mode):
            what = "readable by group or others (mode \(String(mode, radix: 8))); a secret key must be private: chmod 600 it"
        case .notAKey(let line, let reason):
            what = "line \(line) is not a CURVE key of \(CurveKey.textLength) Z85 characters: \(reason)"
        case .keyCount(let count): what = count == 0 ? "holds no key" : "holds \(count) keys, not one"
        case .doesNotMatch(let secret): what = "is not the public key of the secret key in \(secret)"
        case .exists: what = "exists already; remove it first or choose another name"
        case .unwritable(let reason): what = "cannot be written: \(reason)"
        }
        return "curve key file \(path): \(what)"
    }
}
