import Foundation
import Pipeline
import ZeroMQ

/// Binds a TCP socket on loopback to `port` (0: one the kernel picks) and closes it again;
/// the port it got, or nil when that port is taken.
func bindLoopback(port: UInt16 = 0) -> UInt16? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = port.bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    return bound ? UInt16(bigEndian: address.sin_port) : nil
}

/// A free TCP port on loopback, chosen by the kernel.
func freePort() -> Int { Int(bindLoopback()!) }

/// A free TCP endpoint on loopback, chosen by the kernel.
func freeEndpoint() -> String { "tcp://127.0.0.1:\(freePort())" }

/// Waits until `condition` holds, checking every 20 ms, for at most `seconds`.
@discardableResult
func waitUntil(seconds: Double = 120, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return try condition()
}

/// A running `seq2seq` process; its standard error is kept in a file to be searched.
final class StageProcess {
    let process = Process()
    private let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("stage-\(UUID().uuidString).log")

    /// Starts `seq2seq arguments`, inside network namespace `namespace` when given.
    init(_ arguments: [String], namespace: String? = nil, standardInput: Any? = nil, standardOutput: Any? = nil) throws {
        signal(SIGPIPE, SIG_IGN)
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        if let namespace {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["ip", "netns", "exec", namespace, Binary.url.path] + arguments
        } else {
            process.executableURL = Binary.url
            process.arguments = arguments
        }
        process.standardInput = standardInput ?? FileHandle.nullDevice
        process.standardOutput = standardOutput ?? FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logURL)
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logURL)
    }

    var pid: pid_t { process.processIdentifier }
    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    func send(_ signalNumber: Int32) {
        kill(pid, signalNumber)
    }

    /// Waits for the process to exit; its exit status, or nil if it is still running.
    func exitStatus(within seconds: Double = 120) -> Int32? {
        waitUntil(seconds: seconds) { !process.isRunning } ? process.terminationStatus : nil
    }

    /// Waits until the log contains `text`.
    func waitForLog(_ text: String, seconds: Double = 120) -> Bool {
        waitUntil(seconds: seconds) { log.contains(text) }
    }

    /// The value of `key=` in the last log line containing `message`.
    func logValue(_ key: String, in message: String) -> Int? {
        guard let line = log.split(separator: "\n").last(where: { $0.contains(message) }),
            let range = line.range(of: "\(key)=")
        else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    /// Pids of this process's children whose command line contains `subcommand`.
    func children(_ subcommand: String) -> [pid_t] {
        let path = "/proc/\(pid)/task/\(pid)/children"
        let pids = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: " ").compactMap { pid_t($0) }
        return pids.filter { child in
            let commandLine = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(child)/cmdline"))) ?? Data()
            return commandLine.split(separator: 0).dropFirst().first.map { String(decoding: $0, as: UTF8.self) } == subcommand
        }
    }
}

/// Resident memory of process `pid` in KiB (VmRSS), nil once it has gone.
func residentKiB(_ pid: pid_t) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return nil }
    return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
}

/// A client on both ends of a pipeline: PUSH to ingest, PULL from output.
final class PipelineClient {
    let context: Context
    let ingest: Socket
    let output: Socket

    init(ingest ingestEndpoint: String, output outputEndpoint: String) throws {
        context = try Context()
        ingest = try Socket(context, type: .push)
        output = try Socket(context, type: .pull)
        for socket in [ingest, output] { try socket.set(.linger, 0) }
        try ingest.connect(ingestEndpoint)
        try output.connect(outputEndpoint)
    }

    func send(_ frames: [[UInt8]]) throws {
        try ingest.send(frames)
    }

    func send(_ line: String) throws {
        try ingest.send(line)
    }

    /// The next output frame, waiting at most `seconds`.
    func receiveFrame(seconds: Double = 120) throws -> [UInt8]? {
        try output.receive(timeout: Int(seconds * 1000)).map { Array($0.joined()) }
    }

    /// `count` output records, each awaited at most two minutes.
    func receive(_ count: Int) throws -> [OutputRecord] {
        var records: [OutputRecord] = []
        while records.count < count, let frame = try receiveFrame() { records.append(try OutputRecord(json: frame)) }
        return records
    }
}

/// Inputs for the golden model and their offline translations.
enum Corpus {
    static let words: [String] = {
        let url = URL(fileURLWithPath: Binary.goldenModel).appendingPathComponent("src_vocab.json")
        let tokens = try! JSONDecoder().decode([String].self, from: Data(contentsOf: url))
        return tokens.filter { !$0.hasPrefix("<") }
    }()

    /// `count` sentences of 1 to `maxWords` source words, the same for the same seed.
    static func sentences(_ count: Int, seed: UInt64, maxWords: Int = 8) -> [String] {
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        return (0..<count).map { _ in (0..<(1 + next() % maxWords)).map { _ in words[next() % words.count] }.joined(separator: " ") }
    }

    /// What `seq2seq translate` prints for `lines`, one string per line.
    static func offline(_ lines: [String], model: String = Binary.goldenModel) throws -> [String] {
        let out = try Binary.run(["translate", "--model", model], input: Data((lines.joined(separator: "\n") + "\n").utf8))
        return Array(out.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))
    }
}

/// `seq2seq up` on a model (the golden one unless given) with free endpoints.
final class UpProcess {
    let ingest: String
    let submit: String
    let output: String
    let deliver: String
    let requests: String
    let replies: String
    let stage: StageProcess

    /// Starts `up` on `model` with `arguments`, on the client endpoints of `previous` or on free ones.
    init(_ arguments: [String] = [], model: String = Binary.goldenModel, endpointsOf previous: UpProcess? = nil) throws {
        ingest = previous?.ingest ?? freeEndpoint()
        submit = previous?.submit ?? freeEndpoint()
        output = previous?.output ?? freeEndpoint()
        deliver = previous?.deliver ?? freeEndpoint()
        requests = previous?.requests ?? freeEndpoint()
        replies = previous?.replies ?? freeEndpoint()
        stage = try StageProcess(
            ["up", "--model", model, "--ingest", ingest, "--submit", submit, "--output", output, "--deliver", deliver,
                "--requests", requests, "--replies", replies, "--drain-timeout", "60"]
                + arguments)
    }

    func client() throws -> PipelineClient {
        try PipelineClient(ingest: ingest, output: output)
    }
}
