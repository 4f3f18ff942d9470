import Foundation

/// The real HTTP clients of the API's tests: Python programs in `Tests/Clients`, run from the
/// virtual environment `Tests/Clients/venv.sh` makes (libretranslatepy and schemathesis from
/// PyPI; `.ci/run` makes it before the tests).
enum PythonClients {
    /// `Tests/Clients`.
    static let directory = Binary.fixtures.deletingLastPathComponent().appendingPathComponent("Clients")
    /// The repository.
    static let repository = Binary.fixtures.deletingLastPathComponent().deletingLastPathComponent()

    /// The virtual environment's directory, made on first use.
    static let venv: Result<String, any Error> = Result {
        let out = try run("/bin/bash", [directory.appendingPathComponent("venv.sh").path])
        guard out.status == 0 else { throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "venv.sh: \(out.output)"]) }
        return out.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Runs `executable arguments` in `directory` and waits; its exit status and everything it printed.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Runs the virtual environment's `program` (`python`, `st`) with `arguments`.
    static func venvRun(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        try run(try venv.get() + "/bin/" + program, arguments, in: directory)
    }

    /// A temporary file holding `value` as JSON.
    static func jsonFile(_ value: Any) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("http-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: value).write(to: url)
        return url
    }
}
