import Foundation

/// The built `seq2seq` executable and the fixtures the end-to-end tests run it on.
enum Binary {
    /// `seq2seq`, built beside the test bundle (the EndToEndTests target depends on it).
    static let url: URL = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("seq2seq")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        fatalError("seq2seq executable not found near \(testBinary.path)")
    }()

    /// The repository's `Tests/Fixtures`.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The golden PyTorch model directory.
    static let goldenModel = fixtures.appendingPathComponent("gru-small/model").path

    /// Bytes filled in by another thread, read after it has finished.
    final class Box: @unchecked Sendable {
        var data = Data()
    }

    /// What a finished run printed.
    struct Output {
        let status: Int32
        let stdout: Data
        let stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `seq2seq arguments` with `input` on standard input and waits for it to exit.
    static func run(_ arguments: [String], input: Data = Data(), environment: [String: String] = [:]) throws -> Output {
        // A child that exits without reading its input must not kill the test run with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Write and read concurrently so that large outputs cannot fill a pipe and stall the child.
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
        }
        let errorBytes = Box()
        DispatchQueue.global().async(group: group) { errorBytes.data = stderr.fileHandleForReading.readDataToEndOfFile() }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        group.wait()
        return Output(status: process.terminationStatus, stdout: out, stderr: String(decoding: errorBytes.data, as: UTF8.self))
    }
}
