import Foundation
import Testing

/// What crosses the wire: a packet capture (tshark) of the loopback traffic on the test's
/// own ports shows a known sentence in plain mode and not with CURVE.
///
/// Needs tshark (Debian's `tshark`, installed by .ci/run) and the right to capture (root).
@Suite(.enabled(if: PacketCapture.isAvailable, "needs tshark and the right to capture on lo"))
struct CaptureTests {
    /// The capture of one `up` run that translates `lines`, with `curve` arguments (empty: plain).
    func capture(_ lines: [String], keys: KeyRing, curve: Bool) throws -> Data {
        let up = try UpProcess(["--workers", "1"] + (curve ? try keys.arguments("server", clients: try keys.list("clients", ["client"])) : []))
        #expect(up.stage.waitForLog("started worker 1"), "\(up.stage.log)")
        let ports = [up.ingest, up.output].map { $0.split(separator: ":").last! }
        let capture = try PacketCapture(filter: ports.map { "tcp port \($0)" }.joined(separator: " or "))
        let translations = try sendAndReceive(
            lines, ingest: up.ingest, output: up.output, curve: curve ? try keys.arguments("client", server: "server") : [])
        #expect(translations.count == lines.count)
        return try capture.finish()
    }

    @Test func curveHidesTheTextThatPlainModeShows() throws {
        let keys = try KeyRing()
        let lines = Corpus.sentences(30, seed: 77, maxWords: 8)
        let known = try #require(lines.max { $0.utf8.count < $1.utf8.count })
        try #require(known.utf8.count >= 20, "a sentence long enough not to appear by chance")
        let needle = Data(known.utf8)

        let plain = try capture(lines, keys: keys, curve: false)
        #expect(plain.range(of: needle) != nil, "the plain capture (\(plain.count) bytes) shows the sentence")
        let secured = try capture(lines, keys: keys, curve: true)
        #expect(secured.count > plain.count / 2, "the CURVE capture holds the traffic (\(secured.count) bytes)")
        #expect(secured.range(of: needle) == nil, "the CURVE capture does not show the sentence")
        #expect(secured.range(of: Data("\"translation\"".utf8)) == nil)
    }
}

/// `tshark -i lo -f FILTER -w FILE`, from when it says it is capturing until ``finish()``.
final class PacketCapture {
    private let process = Process()
    private let file = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString.prefix(8)).pcap")
    private let log = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString.prefix(8)).log")

    static let tshark = ["/usr/bin/tshark", "/usr/sbin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether tshark is installed and this process may capture (root).
    static var isAvailable: Bool { tshark != nil && getuid() == 0 }

    init(filter: String) throws {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.tshark!)
        process.arguments = ["-i", "lo", "-f", filter, "-w", file.path, "-q"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        // The test runner's threads block most signals, and a spawned process inherits the mask:
        // tshark would never see the SIGTERM that ends the capture. Spawn it with none blocked.
        var none = sigset_t()
        var previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
        let started = waitUntil(seconds: 60) { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("Capturing on") }
        try #require(started, "tshark did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: file)
        try? FileManager.default.removeItem(at: log)
    }

    /// Stops the capture and returns the pcap file's bytes.
    func finish() throws -> Data {
        // Let the last packets reach the capture file.
        Thread.sleep(forTimeInterval: 1)
        process.terminate()
        process.waitUntilExit()
        return try Data(contentsOf: file)
    }
}
