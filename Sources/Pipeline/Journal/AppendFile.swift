#if canImport(Glibc)
import Glibc
#endif

/// A file opened for appending, with the few POSIX calls the journal needs: write whole
/// buffers, `fdatasync`, and the whole-file helpers for reading, truncating and syncing a
/// directory.
final class AppendFile {
    let path: String
    private let descriptor: Int32
    /// Bytes in the file.
    private(set) var size: Int

    /// Opens `path` for appending, creating it (mode 0600) if it does not exist.
    init(path: String) throws(JournalError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .system(call: "open", path: path, errno: errno) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .system(call: "fstat", path: path, errno: errno) }
        size = Int(status.st_size)
    }

    deinit {
        close(descriptor)
    }

    /// Appends all of `bytes` (not yet durable: see ``sync()``).
    func write(_ bytes: [UInt8]) throws(JournalError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .system(call: "write", path: path, errno: errno)
            }
            offset += written
        }
        size += bytes.count
    }

    /// Makes what was written durable (`fdatasync`).
    func sync() throws(JournalError) {
        guard fdatasync(descriptor) == 0 else { throw .system(call: "fdatasync", path: path, errno: errno) }
    }

    /// The whole content of the file at `path`.
    static func read(_ path: String) throws(JournalError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system(call: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .system(call: "read", path: path, errno: errno) }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    /// Cuts the file at `path` to `length` bytes and makes that durable.
    static func truncate(_ path: String, to length: Int) throws(JournalError) {
        guard Glibc.truncate(path, off_t(length)) == 0 else { throw .system(call: "truncate", path: path, errno: errno) }
        try syncPath(path, flags: O_WRONLY)
    }

    /// Makes the entries of directory `path` (files created, renamed or removed) durable.
    static func syncDirectory(_ path: String) throws(JournalError) {
        try syncPath(path, flags: O_RDONLY | O_DIRECTORY)
    }

    private static func syncPath(_ path: String, flags: Int32) throws(JournalError) {
        let descriptor = open(path, flags | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system(call: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .system(call: "fsync", path: path, errno: errno) }
    }
}
