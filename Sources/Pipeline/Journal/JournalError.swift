#if canImport(Glibc)
import Glibc
#endif

/// Why the journal cannot be opened or written.
public enum JournalError: Error, Equatable, CustomStringConvertible {
    /// A system call failed on `path`.
    case system(call: String, path: String, errno: Int32)
    /// The state directory's epoch file is damaged.
    case badEpochFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .system(let call, let path, let code):
            "journal: \(call) \(path) failed: \(String(cString: strerror(code)))"
        case .badEpochFile(let path, let reason):
            "journal: epoch file \(path) is damaged (\(reason)); restore it or empty the state directory"
        }
    }
}
