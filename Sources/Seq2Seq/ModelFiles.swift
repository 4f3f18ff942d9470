import Foundation

/// Reads the files of a model directory, every failure a ``ModelDirectoryError`` naming the
/// file and the problem.
struct ModelFiles {
    let directory: URL

    init(directory: String) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
    }

    /// The path of file `name`.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Whether file `name` exists.
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// The bytes of file `name`.
    func read(_ name: String) throws(ModelDirectoryError) -> Data {
        guard exists(name) else { throw ModelDirectoryError(file: path(name), problem: "missing file") }
        do { return try Data(contentsOf: directory.appendingPathComponent(name)) } catch {
            throw ModelDirectoryError(file: path(name), problem: "cannot read: \(error.localizedDescription)")
        }
    }

    /// File `name` decoded as JSON of type `T` (`expecting` describes it for the error).
    func json<T: Decodable>(_ type: T.Type, _ name: String, expecting: String? = nil) throws(ModelDirectoryError) -> T {
        let data = try read(name)
        do { return try JSONDecoder().decode(type, from: data) } catch {
            let what = expecting.map { " (expected \($0))" } ?? ""
            throw ModelDirectoryError(file: path(name), problem: "bad JSON\(what): \(Self.describe(error))")
        }
    }

    /// The tensors of the safetensors file `name`.
    func tensors(_ name: String) throws(ModelDirectoryError) -> [String: SafeTensors.Tensor] {
        let bytes = try read(name)
        do { return try SafeTensors.decode(Array(bytes)) } catch {
            throw ModelDirectoryError(file: path(name), problem: "\(error)")
        }
    }

    /// A short description of a JSON decoding error.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing key \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context): return "not valid JSON (\(context.debugDescription))"
        default: return "\(error)"
        }
    }
}
