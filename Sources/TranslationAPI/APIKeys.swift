import Foundation

/// The API keys a server accepts, read from a file: one key per line; blank lines and lines
/// starting with `#` are skipped, whitespace around a key is not part of it.
public struct APIKeys: Equatable, Sendable {
    public let keys: Set<String>

    public init(_ keys: some Sequence<String>) {
        self.keys = Set(keys)
    }

    /// Reads the key file at `path`.
    ///
    /// - Throws: when it cannot be read or holds no key.
    public init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        let keys = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !keys.isEmpty else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "no API key in \(path)"]) }
        self.init(keys)
    }

    /// Checks a request's `api_key`: nil when it may go on, else the error to answer.
    func check(_ key: String?) -> APIError? {
        guard let key, !key.isEmpty else { return APIError(.forbidden, "Please contact the server operator to get an API key") }
        return keys.contains(key) ? nil : APIError(.forbidden, "Invalid API key")
    }
}
