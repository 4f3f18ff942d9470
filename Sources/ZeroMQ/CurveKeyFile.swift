#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CURVE keys in files: one key per file as its 40 Z85 characters and a newline, the secret
/// key in `FILE` (mode 0600) and its public key in `FILE.pub`; lists of public keys one per
/// line. Blank lines and lines starting with `#` are skipped. Every failure names the file
/// and the problem (``CurveKeyFileError``).
public enum CurveKeyFile {
    /// The public key file that belongs to the secret key file `path`.
    public static func publicPath(of path: String) -> String { path + ".pub" }

    /// The key pair whose secret key is in `path`, which nobody but its owner may read. The
    /// public key is derived from it; a `path.pub` beside it must hold that same key.
    public static func readSecret(_ path: String) throws(CurveKeyFileError) -> CurveKeyPair {
        let (keys, mode) = try readKeys(path)
        guard mode & 0o077 == 0 else { throw CurveKeyFileError(path: path, problem: .exposed(mode: mode & 0o777)) }
        guard keys.count == 1 else { throw CurveKeyFileError(path: path, problem: .keyCount(keys.count)) }
        let pair: CurveKeyPair
        do { pair = try CurveKeyPair(secretKey: keys[0]) } catch {
            throw CurveKeyFileError(path: path, problem: .unreadable("cannot derive its public key: \(error)"))
        }
        let publicPath = publicPath(of: path)
        if access(publicPath, F_OK) == 0, try readPublic(publicPath) != pair.publicKey {
            throw CurveKeyFileError(path: publicPath, problem: .doesNotMatch(secret: path))
        }
        return pair
    }

    /// The one public key in `path`.
    public static func readPublic(_ path: String) throws(CurveKeyFileError) -> CurveKey {
        let keys = try readKeys(path).keys
        guard keys.count == 1 else { throw CurveKeyFileError(path: path, problem: .keyCount(keys.count)) }
        return keys[0]
    }

    /// The public keys listed in `path`, one per line; at least one.
    public static func readList(_ path: String) throws(CurveKeyFileError) -> [CurveKey] {
        let keys = try readKeys(path).keys
        guard !keys.isEmpty else { throw CurveKeyFileError(path: path, problem: .keyCount(0)) }
        return keys
    }

    /// Writes `pair`: the secret key to `path` (mode 0600) and the public key to `path.pub`
    /// (mode 0644). Neither file may exist already.
    public static func write(_ pair: CurveKeyPair, to path: String) throws(CurveKeyFileError) {
        let publicPath = publicPath(of: path)
        for existing in [path, publicPath] where access(existing, F_OK) == 0 {
            throw CurveKeyFileError(path: existing, problem: .exists)
        }
        try writeNew(path, pair.secretKey.text + "\n", mode: 0o600)
        try writeNew(publicPath, pair.publicKey.text + "\n", mode: 0o644)
    }

    /// Every key in `path` and the file's permission bits.
    private static func readKeys(_ path: String) throws(CurveKeyFileError) -> (keys: [CurveKey], mode: UInt16) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CurveKeyFileError(path: path, problem: errno == ENOENT ? .missing : .unreadable(systemError()))
        }
        defer { Glibc.close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw CurveKeyFileError(path: path, problem: .unreadable(systemError())) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw CurveKeyFileError(path: path, problem: .unreadable("not a regular file"))
        }
        // A key file is 41 bytes; a list of a few thousand keys is well within this.
        let limit = 1 << 20
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count <= limit {
            let got = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + count, limit + 1 - count) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw CurveKeyFileError(path: path, problem: .unreadable(systemError())) }
            if got == 0 { break }
            count += got
        }
        guard count <= limit else { throw CurveKeyFileError(path: path, problem: .unreadable("larger than \(limit) bytes")) }
        var keys: [CurveKey] = []
        for (index, line) in bytes[..<count].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let text = String(decoding: line, as: UTF8.self).trimmingWhitespace
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let key = CurveKey(text: text) else {
                let reason = text.utf8.count == CurveKey.textLength
                    ? "it has characters outside the Z85 alphabet"
                    : "it has \(text.count) characters"
                throw CurveKeyFileError(path: path, problem: .notAKey(line: index + 1, reason: reason))
            }
            keys.append(key)
        }
        return (keys, UInt16(status.st_mode & 0o7777))
    }

    /// Creates `path` with `mode` (never replacing a file) and writes `text` to it, synced.
    private static func writeNew(_ path: String, _ text: String, mode: mode_t) throws(CurveKeyFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw CurveKeyFileError(path: path, problem: errno == EEXIST ? .exists : .unwritable(systemError()))
        }
        defer { Glibc.close(descriptor) }
        // The umask may have taken bits away from a public key's mode; set it exactly.
        let bytes = Array(text.utf8)
        guard fchmod(descriptor, mode) == 0, Glibc.write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw CurveKeyFileError(path: path, problem: .unwritable(systemError()))
        }
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}

extension String {
    /// The string without leading and trailing spaces, tabs and carriage returns.
    fileprivate var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
